// Adapter: ImageRepository on a DynamoDB table keyed by groupId (partition) and imageId (sort).
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Image } from '../core/image';
import type { ImageRepository } from '../core/ports';

export class DynamoDbImageRepository implements ImageRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(image: Image): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: image }));
  }

  async get(groupId: string, imageId: string): Promise<Image | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { groupId, imageId } }),
    );
    return Item as Image | undefined;
  }

  async list(groupId: string): Promise<Image[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'groupId = :groupId',
        ExpressionAttributeValues: { ':groupId': groupId },
      }),
    );
    return (Items as Image[]).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
