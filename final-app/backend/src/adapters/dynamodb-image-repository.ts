// Images in a DynamoDB table keyed by `imageId`, with a global secondary index on (groupId, timestamp) to
// list a group's images newest first.
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, ServiceUnavailableError } from '../core/errors';
import type { Cursor, ImageRecord, StoredPage } from '../core/model';
import type { ImageRepository } from '../core/ports';
import { isConditionalCheckFailed, translateSdkError } from './sdk-errors';

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
/** Unprocessed keys (throttling) are asked for again this many times before giving up. */
const BATCH_GET_ATTEMPTS = 3;

export class DynamoDbImageRepository implements ImageRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly groupIndexName: string,
  ) {}

  async create(image: ImageRecord): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: image,
          ConditionExpression: 'attribute_not_exists(imageId)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new ConflictError(
          `An image with the id ${image.imageId} already exists. Send the request again`,
        );
      }
      translateSdkError(error);
    }
  }

  async get(imageId: string): Promise<ImageRecord | undefined> {
    try {
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { imageId } }),
      );
      return Item as ImageRecord | undefined;
    } catch (error) {
      return translateSdkError(error);
    }
  }

  async getMany(imageIds: string[]): Promise<ImageRecord[]> {
    const found: ImageRecord[] = [];
    for (let start = 0; start < imageIds.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = imageIds
        .slice(start, start + BATCH_GET_LIMIT)
        .map((imageId) => ({ imageId }));
      for (let attempt = 0; attempt < BATCH_GET_ATTEMPTS && keys.length > 0; attempt++) {
        try {
          const { Responses, UnprocessedKeys } = await this.documents.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
          );
          found.push(...((Responses?.[this.tableName] ?? []) as ImageRecord[]));
          keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        } catch (error) {
          translateSdkError(error);
        }
      }
      if (keys.length > 0) {
        throw new ServiceUnavailableError('The image table is busy right now. Retry in a few seconds');
      }
    }
    return found;
  }

  async listByGroup(groupId: string, limit: number, cursor?: Cursor): Promise<StoredPage<ImageRecord>> {
    try {
      const { Items = [], LastEvaluatedKey } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: this.groupIndexName,
          KeyConditionExpression: 'groupId = :groupId',
          ExpressionAttributeValues: { ':groupId': groupId },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: cursor,
        }),
      );
      return { items: Items as ImageRecord[], ...(LastEvaluatedKey ? { cursor: LastEvaluatedKey } : {}) };
    } catch (error) {
      return translateSdkError(error);
    }
  }

  async markUploaded(imageId: string, thumbnailKey: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId },
          UpdateExpression: 'SET #status = :uploaded, thumbnailKey = :thumbnailKey',
          ConditionExpression: 'attribute_exists(imageId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':uploaded': 'uploaded', ':thumbnailKey': thumbnailKey },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      return translateSdkError(error);
    }
  }

  async deleteOwned(imageId: string, userId: string): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { imageId },
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': userId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      return translateSdkError(error);
    }
  }
}
