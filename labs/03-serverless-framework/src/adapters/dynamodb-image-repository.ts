import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../core/errors';
import type { Image } from '../core/image';
import type { ImageRepository } from '../core/ports';

/**
 * Images in a DynamoDB table keyed by (groupId HASH, timestamp RANGE), with a global secondary index on
 * imageId for lookups by id.
 */
export class DynamoDbImageRepository implements ImageRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly imageIdIndex: string,
  ) {}

  async listByGroup(groupId: string, limit: number): Promise<Image[]> {
    // BEGIN SOLUTION list-images
    // TODO(list-images): Query the table for the group's items, newest first, at most `limit` of them
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'groupId = :groupId',
        ExpressionAttributeValues: { ':groupId': groupId },
        // Sort keys are read in descending order: ISO timestamps sort as time does, so newest first.
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(toImage);
    // END SOLUTION
  }

  async getById(imageId: string): Promise<Image | undefined> {
    // BEGIN SOLUTION get-image-by-id
    // TODO(get-image-by-id): Query the ImageIdIndex index (this.imageIdIndex) for the imageId; undefined when nothing matches
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: this.imageIdIndex,
        KeyConditionExpression: 'imageId = :imageId',
        ExpressionAttributeValues: { ':imageId': imageId },
        // A GSI key is not unique as a table key is, but ids are UUIDs: one item at most.
        Limit: 1,
      }),
    );
    const [item] = Items;
    return item === undefined ? undefined : toImage(item);
    // END SOLUTION
  }

  async save(image: Image): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: image,
          // Two images of a group created in the same millisecond share a key: never overwrite silently.
          ConditionExpression: 'attribute_not_exists(groupId)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          'Another image was added to this group at the same moment. Send the request again.',
        );
      }
      throw error;
    }
  }
}

/** Only the fields of an Image: an item may carry attributes added later that the API does not promise. */
export function toImage(item: Record<string, unknown>): Image {
  const { imageId, groupId, timestamp, title, contentType } = item as unknown as Image;
  return { imageId, groupId, timestamp, title, contentType };
}
