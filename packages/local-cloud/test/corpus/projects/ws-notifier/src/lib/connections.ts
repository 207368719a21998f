import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.CONNECTIONS_TABLE;
/** API Gateway closes a WebSocket connection after 2 hours; its record goes with it (TTL). */
const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;

export interface Connection {
  connectionId: string;
  channels: string[];
  connectedAt: number;
  expiresAt: number;
}

export async function remember(connectionId: string, channels: string[]): Promise<void> {
  const connectedAt = Date.now();
  const item: Connection = {
    connectionId,
    channels,
    connectedAt,
    expiresAt: Math.floor(connectedAt / 1000) + CONNECTION_LIFETIME_SECONDS,
  };
  await documents.send(new PutCommand({ TableName, Item: item }));
}

export async function forget(connectionId: string): Promise<void> {
  await documents.send(new DeleteCommand({ TableName, Key: { connectionId } }));
}

/** Every connection that follows the channel (a scan: a dashboard has tens of connections, not thousands). */
export async function following(channel: string): Promise<Connection[]> {
  const found: Connection[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName,
        FilterExpression: 'contains(channels, :channel)',
        ExpressionAttributeValues: { ':channel': channel },
        ExclusiveStartKey,
      }),
    );
    found.push(...((page.Items ?? []) as Connection[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found;
}
