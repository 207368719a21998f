import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Image } from './image';
import type { ImageRepository } from './image-repository';

/** Images in a DynamoDB table whose partition key is `imageId`. */
export class DynamoDbImageRepository implements ImageRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(imageId: string): Promise<Image | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { imageId } }),
    );
    return Item as Image | undefined;
  }

  async save(image: Image): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: image }));
  }

  async remove(imageId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { imageId } }));
  }
}
