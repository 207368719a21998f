// Open WebSocket connections in a DynamoDB table keyed by `connectionId`. Each item expires (TTL) after
// API Gateway's 2 h connection limit, so a missed $disconnect does not leave it behind for ever.
import { DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, ConnectionRepository } from '../core/ports';
import { translateSdkError } from './sdk-errors';

const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;

export class DynamoDbConnectionRepository implements ConnectionRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async add(connectionId: string): Promise<void> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { connectionId, connectedAt: now, expiresAt: now + CONNECTION_LIFETIME_SECONDS },
        }),
      );
    } catch (error) {
      translateSdkError(error);
    }
  }

  async remove(connectionId: string): Promise<void> {
    try {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { connectionId } }));
    } catch (error) {
      translateSdkError(error);
    }
  }

  async list(): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const { Items = [], LastEvaluatedKey } = await this.documents.send(
          new ScanCommand({
            TableName: this.tableName,
            ProjectionExpression: 'connectionId',
            ExclusiveStartKey: startKey,
          }),
        );
        ids.push(...Items.map((item) => item.connectionId as string));
        startKey = LastEvaluatedKey;
      } while (startKey);
    } catch (error) {
      translateSdkError(error);
    }
    return ids;
  }
}
