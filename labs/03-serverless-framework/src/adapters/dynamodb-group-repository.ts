import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GroupRepository } from '../core/ports';

/** Lab 02's Groups table, keyed by id. */
export class DynamoDbGroupRepository implements GroupRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async exists(groupId: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { id: groupId },
        // Whether it exists is all we need: read the key, not the whole group.
        ProjectionExpression: 'id',
      }),
    );
    return Item !== undefined;
  }
}
