import { IMAGE_ID_INDEX, IMAGES_TABLE } from '../support/environment';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../src/handlers/get-image';
import { bodyOf, call, messageOf } from '../support/http';

const dynamo = mockClient(DynamoDBDocumentClient);

const image = {
  imageId: '0c6c1f37-60d4-4a5b-8f6e-0c2b1a4f9e21',
  groupId: '5b0e6f5c-3f8e-4a53-9a43-7f1d0b8a6c01',
  timestamp: '2026-11-21T10:05:00.000Z',
  title: 'Harbour at dusk',
  contentType: 'image/jpeg',
};

function getImage(imageId: string) {
  return call(handler, {
    method: 'GET',
    path: `/images/${imageId}`,
    resource: '/images/{imageId}',
    pathParameters: { imageId },
  });
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [image] });
});

describe('GET /images/{imageId}', () => {
  it('answers 200 with the image', async () => {
    const response = await getImage(image.imageId);

    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
    expect(bodyOf(response)).toEqual(image);
  });

  it('queries the ImageIdIndex global secondary index of the Images table by imageId', async () => {
    await getImage(image.imageId);

    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: IMAGES_TABLE,
      IndexName: IMAGE_ID_INDEX,
      KeyConditionExpression: expect.stringMatching(/^\s*imageId\s*=\s*:\w+\s*$/) as unknown as string,
    });
    const [query] = dynamo.commandCalls(QueryCommand);
    expect(Object.values(query?.args[0].input.ExpressionAttributeValues ?? {})).toEqual([image.imageId]);
  });

  it('neither scans the table nor asks for a strongly consistent read, which a GSI cannot give', async () => {
    await getImage(image.imageId);

    expect(dynamo).not.toHaveReceivedCommand(ScanCommand);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
    const [query] = dynamo.commandCalls(QueryCommand);
    expect(query?.args[0].input.ConsistentRead).not.toBe(true);
  });

  it('answers 404 with a JSON message naming the image when no image has that id', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    const response = await getImage('no-such-image');

    expect(response.statusCode).toBe(404);
    expect(messageOf(response)).toContain('no-such-image');
  });

  it('answers 404 when DynamoDB returns no Items field at all', async () => {
    dynamo.on(QueryCommand).resolves({});

    const response = await getImage('no-such-image');

    expect(response.statusCode).toBe(404);
  });

  it('answers 400 without calling DynamoDB when the id is absurdly long', async () => {
    const response = await getImage('x'.repeat(500));

    expect(response.statusCode).toBe(400);
    expect(messageOf(response)).toMatch(/imageId/);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  // BEGIN HIDDEN TESTS
  it('reads a single item from the index: ids are unique', async () => {
    await getImage(image.imageId);

    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { Limit: 1 });
  });
  // END HIDDEN TESTS
});
