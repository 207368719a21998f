// GroupRepository on a DynamoDB table whose partition key is `id`, through the DocumentClient, which turns
// plain JavaScript values into DynamoDB's typed attributes ({ S: "..." }) and back.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../errors';
import type { Group } from '../groups/group';
import type { GroupKey, GroupPage, GroupRepository } from '../groups/group-repository';

export class DynamoDbGroupRepository implements GroupRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A Scan, because listing every group has no key to look up: a Query needs one partition key value. Limit
   * caps the items DynamoDB reads (not only returns) per call, and LastEvaluatedKey says where it stopped.
   */
  async list(limit: number, startKey?: GroupKey): Promise<GroupPage> {
    // BEGIN SOLUTION list-groups
    // TODO(list-groups): send one ScanCommand with Limit and ExclusiveStartKey; map Items and LastEvaluatedKey.
    const output = await this.documentClient.send(
      new ScanCommand({ TableName: this.tableName, Limit: limit, ExclusiveStartKey: startKey }),
    );
    const groups = (output.Items ?? []) as Group[];
    const lastId: unknown = output.LastEvaluatedKey?.id;
    return typeof lastId === 'string' ? { groups, lastKey: { id: lastId } } : { groups };
    // END SOLUTION
  }

  /** A conditional put: PutItem alone would silently replace a group that already had this id. */
  async create(group: Group): Promise<void> {
    // BEGIN SOLUTION create-group
    // TODO(create-group): put the item only if no item has its id yet (a ConditionExpression).
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: group,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`A group with id ${group.id} already exists. Send the request again.`);
      }
      throw error;
    }
    // END SOLUTION
  }
}
