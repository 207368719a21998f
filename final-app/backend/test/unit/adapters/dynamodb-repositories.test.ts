// The DynamoDB repositories against a mocked document client: the commands they send and how they read
// DynamoDB's answers and errors.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbConnectionRepository } from '../../../src/adapters/dynamodb-connection-repository';
import { DynamoDbGroupRepository } from '../../../src/adapters/dynamodb-group-repository';
import { DynamoDbImageRepository } from '../../../src/adapters/dynamodb-image-repository';
import { ConflictError, ServiceUnavailableError } from '../../../src/core/errors';
import { sdkError } from '../support/http';
import { GROUP_ID, IMAGE_ID, group, imageRecord } from '../support/ids';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => dynamo.reset());

describe('DynamoDbGroupRepository', () => {
  const groups = new DynamoDbGroupRepository(documents, 'groups');

  it('creates a group only if its id is free', async () => {
    dynamo.on(PutCommand).resolves({});

    await groups.create(group);

    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'groups',
      Item: group,
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it('turns a failed condition into ConflictError and throttling into ServiceUnavailableError', async () => {
    dynamo
      .on(PutCommand)
      .rejectsOnce(sdkError('ConditionalCheckFailedException'))
      .rejectsOnce(sdkError('ThrottlingException'));

    await expect(groups.create(group)).rejects.toBeInstanceOf(ConflictError);
    await expect(groups.create(group)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('reads a group, or undefined', async () => {
    dynamo
      .on(GetCommand)
      .resolves({})
      .on(GetCommand, { Key: { id: GROUP_ID } })
      .resolves({ Item: group });

    expect(await groups.get(GROUP_ID)).toEqual(group);
    expect(await groups.get('other')).toBeUndefined();
  });

  it('lists a page and the cursor of the next', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [group], LastEvaluatedKey: { id: GROUP_ID } });

    const page = await groups.list(1, { id: 'before' });

    expect(page).toEqual({ items: [group], cursor: { id: GROUP_ID } });
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, { Limit: 1, ExclusiveStartKey: { id: 'before' } });
  });

  it('lets other SDK errors through unchanged', async () => {
    const failure = sdkError('ResourceNotFoundException');
    dynamo.on(ScanCommand).rejects(failure);

    await expect(groups.list(1)).rejects.toBe(failure);
  });
});

describe('DynamoDbImageRepository', () => {
  const images = new DynamoDbImageRepository(documents, 'images', 'group-index');

  it('creates an image only if its id is free', async () => {
    dynamo.on(PutCommand).rejects(sdkError('ConditionalCheckFailedException'));

    await expect(images.create(imageRecord)).rejects.toBeInstanceOf(ConflictError);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(imageId)',
    });
  });

  it('reads many images in batches of 100, asking again for unprocessed keys', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => `id-${index}`);
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { images: [imageRecord] },
        UnprocessedKeys: { images: { Keys: [{ imageId: 'id-99' }] } },
      })
      .resolves({ Responses: { images: [imageRecord] } });

    const found = await images.getMany(ids);

    expect(found).toHaveLength(3);
    const calls = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems!.images!.Keys!.length);
    expect(calls).toEqual([100, 1, 50]);
  });

  it('gives up with ServiceUnavailableError when keys stay unprocessed', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: { images: [] },
      UnprocessedKeys: { images: { Keys: [{ imageId: IMAGE_ID }] } },
    });

    await expect(images.getMany([IMAGE_ID])).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 3);
  });

  it('marks an image uploaded if it still exists', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(sdkError('ConditionalCheckFailedException'));

    expect(await images.markUploaded(IMAGE_ID, 'thumbnails/x.jpeg')).toBe(true);
    expect(await images.markUploaded(IMAGE_ID, 'thumbnails/x.jpeg')).toBe(false);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET #status = :uploaded, thumbnailKey = :thumbnailKey',
      ExpressionAttributeNames: { '#status': 'status' },
    });
  });

  it('deletes an image only for its owner', async () => {
    dynamo.on(DeleteCommand).resolvesOnce({}).rejectsOnce(sdkError('ConditionalCheckFailedException'));

    expect(await images.deleteOwned(IMAGE_ID, 'alice')).toBe(true);
    expect(await images.deleteOwned(IMAGE_ID, 'bob')).toBe(false);
    expect(dynamo).toHaveReceivedNthCommandWith(2, DeleteCommand, {
      ExpressionAttributeValues: { ':userId': 'bob' },
    });
  });

  it('reports throttled updates and deletes as ServiceUnavailableError', async () => {
    dynamo.on(UpdateCommand).rejects(sdkError('ProvisionedThroughputExceededException'));
    dynamo.on(DeleteCommand).rejects(sdkError('RequestLimitExceeded'));

    await expect(images.markUploaded(IMAGE_ID, 'k')).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(images.deleteOwned(IMAGE_ID, 'alice')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('DynamoDbConnectionRepository', () => {
  const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
  const connections = new DynamoDbConnectionRepository(documents, 'connections', clock);

  it('stores a connection that expires after 2 hours', async () => {
    dynamo.on(PutCommand).resolves({});

    await connections.add('c1');

    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'connections',
      Item: { connectionId: 'c1', connectedAt: 1767225600, expiresAt: 1767225600 + 7200 },
    });
  });

  it('lists every connection, page after page', async () => {
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ connectionId: 'c1' }], LastEvaluatedKey: { connectionId: 'c1' } })
      .resolvesOnce({ Items: [{ connectionId: 'c2' }] });

    expect(await connections.list()).toEqual(['c1', 'c2']);
    expect(dynamo).toHaveReceivedNthCommandWith(2, ScanCommand, {
      ExclusiveStartKey: { connectionId: 'c1' },
    });
  });

  it('removes a connection', async () => {
    dynamo.on(DeleteCommand).resolves({});

    await connections.remove('c1');

    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { Key: { connectionId: 'c1' } });
  });
});
