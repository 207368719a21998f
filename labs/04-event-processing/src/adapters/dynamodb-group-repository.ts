import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Group, GroupRepository } from '../ports/group-repository';

export class DynamoDbGroupRepository implements GroupRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(group: Group): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: group }));
  }

  async exists(groupId: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { groupId },
        ProjectionExpression: 'groupId',
      }),
    );
    return Item !== undefined;
  }
}
