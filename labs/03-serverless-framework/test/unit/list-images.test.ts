import { GROUPS_TABLE, IMAGES_TABLE } from '../support/environment';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/get-images';
import { MAX_IMAGES_LISTED } from '../../src/core/list-images';
import { bodyOf, call, messageOf } from '../support/http';

const dynamo = mockClient(DynamoDBDocumentClient);
const GROUP_ID = '5b0e6f5c-3f8e-4a53-9a43-7f1d0b8a6c01';

const newer = {
  imageId: '0c6c1f37-60d4-4a5b-8f6e-0c2b1a4f9e21',
  groupId: GROUP_ID,
  timestamp: '2026-11-21T10:05:00.000Z',
  title: 'Harbour at dusk',
  contentType: 'image/jpeg',
};
const older = {
  imageId: '7d3f0b2e-9a41-4c8e-b5d6-2e1f4a7c9b30',
  groupId: GROUP_ID,
  timestamp: '2026-11-20T08:00:00.000Z',
  title: 'Morning fog',
  contentType: 'image/png',
};

function getImages(groupId = GROUP_ID) {
  return call(handler, {
    method: 'GET',
    path: `/groups/${groupId}/images`,
    resource: '/groups/{groupId}/images',
    pathParameters: { groupId },
  });
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand, { TableName: GROUPS_TABLE }).resolves({ Item: { id: GROUP_ID } });
  dynamo.on(QueryCommand, { TableName: IMAGES_TABLE }).resolves({ Items: [newer, older] });
});

describe('GET /groups/{groupId}/images', () => {
  it("answers 200 with the group's images as { items }", async () => {
    const response = await getImages();

    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
    expect(bodyOf(response)).toEqual({ items: [newer, older] });
  });

  it('queries the Images table by partition key, not a Scan', async () => {
    await getImages();

    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: IMAGES_TABLE,
      KeyConditionExpression: expect.stringMatching(/^\s*groupId\s*=\s*:\w+\s*$/) as unknown as string,
    });
    const [query] = dynamo.commandCalls(QueryCommand);
    const values = query?.args[0].input.ExpressionAttributeValues ?? {};
    expect(Object.values(values)).toEqual([GROUP_ID]);
    expect(query?.args[0].input.IndexName).toBeUndefined();
  });

  it('asks DynamoDB for the newest first (ScanIndexForward: false)', async () => {
    await getImages();

    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: false });
  });

  it(`reads at most ${MAX_IMAGES_LISTED} images`, async () => {
    await getImages();

    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { Limit: MAX_IMAGES_LISTED });
  });

  it('answers { items: [] } for a group that exists but has no images yet', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const response = await getImages();

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ items: [] });
  });

  it('checks that the group exists by reading it from the Groups table by id', async () => {
    await getImages();

    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { TableName: GROUPS_TABLE, Key: { id: GROUP_ID } });
  });

  it('answers 404 with a JSON message naming the group when the group does not exist', async () => {
    dynamo.on(GetCommand).resolves({});

    const response = await getImages('no-such-group');

    expect(response.statusCode).toBe(404);
    expect(messageOf(response)).toContain('no-such-group');
  });

  it('does not query images of a group that does not exist', async () => {
    dynamo.on(GetCommand).resolves({});

    await getImages('no-such-group');

    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('answers 500 with a JSON message, without internals, when DynamoDB fails', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    dynamo.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException: table secrets'));

    const response = await getImages();

    expect(response.statusCode).toBe(500);
    expect(messageOf(response)).not.toContain('secrets');
  });

  // BEGIN HIDDEN TESTS
  it('returns only the fields of an image, not other attributes stored on the item', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ ...newer, internalNote: 'moderation pending' }] });

    const response = await getImages();

    expect(bodyOf(response)).toEqual({ items: [newer] });
  });
  // END HIDDEN TESTS
});
