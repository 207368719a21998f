import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Image } from '../core/image';
import type { ImageRepository } from '../ports/image-repository';

export class DynamoDbImageRepository implements ImageRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(image: Image): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: image }));
  }
}
