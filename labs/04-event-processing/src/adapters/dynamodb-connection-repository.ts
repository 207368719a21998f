import { DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectionRepository } from '../ports/connection-repository';

export class DynamoDbConnectionRepository implements ConnectionRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(connectionId: string, connectedAt: string): Promise<void> {
    // BEGIN SOLUTION websocket-connections
    // TODO(websocket-connections): put { connectionId, connectedAt } in the table.
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { connectionId, connectedAt } }),
    );
    // END SOLUTION
  }

  async remove(connectionId: string): Promise<void> {
    // BEGIN SOLUTION websocket-connections
    // TODO(websocket-connections): delete the connection's item (deleting a missing item is not an error).
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { connectionId } }));
    // END SOLUTION
  }

  async listIds(): Promise<string[]> {
    // BEGIN SOLUTION websocket-connections
    // TODO(websocket-connections): scan every page (LastEvaluatedKey) and return the ids.
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new ScanCommand({
          TableName: this.tableName,
          ProjectionExpression: 'connectionId',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(item.connectionId as string);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
    // END SOLUTION
  }
}
