// Groups in a DynamoDB table keyed by `id`.
import { GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../core/errors';
import type { Cursor, Group, StoredPage } from '../core/model';
import type { GroupRepository } from '../core/ports';
import { isConditionalCheckFailed, translateSdkError } from './sdk-errors';

export class DynamoDbGroupRepository implements GroupRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(group: Group): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: group,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new ConflictError(`A group with the id ${group.id} already exists. Send the request again`);
      }
      translateSdkError(error);
    }
  }

  async get(id: string): Promise<Group | undefined> {
    try {
      const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { id } }));
      return Item as Group | undefined;
    } catch (error) {
      return translateSdkError(error);
    }
  }

  async list(limit: number, cursor?: Cursor): Promise<StoredPage<Group>> {
    try {
      const { Items = [], LastEvaluatedKey } = await this.documents.send(
        new ScanCommand({ TableName: this.tableName, Limit: limit, ExclusiveStartKey: cursor }),
      );
      return { items: Items as Group[], ...(LastEvaluatedKey ? { cursor: LastEvaluatedKey } : {}) };
    } catch (error) {
      return translateSdkError(error);
    }
  }
}
