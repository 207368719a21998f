// The images endpoints, each handler with its middleware; DynamoDB, S3, Secrets Manager and the WebSocket
// management API mocked. Presigned URLs are computed locally by the SDK, so their shape is checked.
import { PAGINATION_SECRET } from '../support/env';
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import MiniSearch from 'minisearch';
import { HmacPageTokens } from '../../../src/adapters/hmac-page-tokens';
import { handler as createImage } from '../../../src/handlers/create-image';
import { handler as deleteImage } from '../../../src/handlers/delete-image';
import { handler as getImage } from '../../../src/handlers/get-image';
import { handler as listImages } from '../../../src/handlers/list-images';
import { handler as searchImages } from '../../../src/handlers/search-images';
import { ALICE, BOB, call, objectBody, sdkError } from '../support/http';
import { GROUP_ID, IMAGE_ID, OTHER_ID, group, imageRecord } from '../support/ids';

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const management = mockClient(ApiGatewayManagementApiClient);
const tokens = new HmacPageTokens('unit-test-pagination-key');

const presigned = (key: string) =>
  expect.stringMatching(
    new RegExp(`^https://images-bucket\\.s3\\.us-east-1\\.amazonaws\\.com/${key}\\?.*X-Amz-Signature=`),
  ) as unknown;

beforeEach(() => {
  dynamo.reset();
  s3.reset();
  secrets.reset();
  management.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: PAGINATION_SECRET });
  dynamo.on(GetCommand, { TableName: 'groups-table', Key: { id: GROUP_ID } }).resolves({ Item: group });
});

describe('GET /groups/{groupId}/images', () => {
  const request = (query?: Record<string, string>) => ({
    path: `/groups/${GROUP_ID}/images`,
    pathParameters: { groupId: GROUP_ID },
    query,
  });

  it("answers the group's images newest first, with presigned URLs of the original and the thumbnail", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [imageRecord], LastEvaluatedKey: { imageId: IMAGE_ID } });

    const answer = await call(listImages, request({ limit: '1' }));

    expect(answer.statusCode).toBe(200);
    const { thumbnailKey: _key, ...fields } = imageRecord;
    expect(answer.body.items).toEqual([
      {
        ...fields,
        imageUrl: presigned(`images/${IMAGE_ID}`),
        thumbnailUrl: presigned(`thumbnails/${IMAGE_ID}.jpeg`),
      },
    ]);
    expect(tokens.decode(answer.body.nextKey as string)).toEqual({ imageId: IMAGE_ID });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'images-table',
      IndexName: 'group-index',
      KeyConditionExpression: 'groupId = :groupId',
      ExpressionAttributeValues: { ':groupId': GROUP_ID },
      ScanIndexForward: false,
      Limit: 1,
    });
  });

  it('gives a pending image no thumbnailUrl', async () => {
    const { thumbnailKey: _key, ...pending } = { ...imageRecord, status: 'pending' };
    dynamo.on(QueryCommand).resolves({ Items: [pending] });

    const answer = await call(listImages, request());

    const [image] = answer.body.items as Record<string, unknown>[];
    expect(image).not.toHaveProperty('thumbnailUrl');
    expect(image).toMatchObject({ status: 'pending', imageUrl: presigned(`images/${IMAGE_ID}`) });
  });

  it('answers 404 for an unknown group', async () => {
    dynamo.on(GetCommand, { TableName: 'groups-table' }).resolves({});

    const answer = await call(listImages, request());

    expect(answer.statusCode).toBe(404);
    expect(answer.body.message).toMatch(/^No group has the id/);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('refuses a bad limit and a forged nextKey', async () => {
    const badLimit = await call(listImages, request({ limit: '1000' }));
    const forged = await call(listImages, request({ nextKey: 'eyJ9.bm9wZQ' }));

    expect([badLimit.statusCode, forged.statusCode]).toEqual([400, 400]);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('answers 503 when the query is throttled', async () => {
    dynamo.on(QueryCommand).rejects(sdkError('ProvisionedThroughputExceededException'));

    const answer = await call(listImages, request());

    expect(answer.statusCode).toBe(503);
  });
});

describe('POST /groups/{groupId}/images', () => {
  const request = (body: unknown, authorizer: { principalId: string } | null = ALICE) => ({
    method: 'POST',
    path: `/groups/${GROUP_ID}/images`,
    pathParameters: { groupId: GROUP_ID },
    authorizer: authorizer ?? undefined,
    body,
  });

  it('records a pending image and answers a presigned PUT URL bound to the content type', async () => {
    dynamo.on(PutCommand).resolves({});

    const answer = await call(createImage, request({ title: 'My cat', contentType: 'image/png' }));

    expect(answer.statusCode).toBe(201);
    const image = answer.body.image as Record<string, string>;
    expect(image).toEqual({
      imageId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      groupId: GROUP_ID,
      userId: 'alice',
      title: 'My cat',
      contentType: 'image/png',
      timestamp: expect.any(String) as unknown,
      status: 'pending',
      imageUrl: presigned(`images/${image.imageId}`),
    });
    const uploadUrl = new URL(answer.body.uploadUrl as string);
    expect(uploadUrl.pathname).toBe(`/images/${image.imageId}`);
    expect(uploadUrl.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(uploadUrl.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'images-table',
      Item: { ...image, imageUrl: undefined },
      ConditionExpression: 'attribute_not_exists(imageId)',
    });
  });

  it('answers 404 for an unknown group and records nothing', async () => {
    dynamo.on(GetCommand, { TableName: 'groups-table' }).resolves({});

    const answer = await call(createImage, request({ title: 'My cat', contentType: 'image/png' }));

    expect(answer.statusCode).toBe(404);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it.each([
    ['a missing content type', { title: 'x' }, /^The body needs a title and a contentType\./],
    ['an unsupported content type', { title: 'x', contentType: 'image/gif' }, /^contentType must be one of/],
    ['a title too long', { title: 'x'.repeat(201), contentType: 'image/png' }, /^title must be text/],
    ['an unknown field', { title: 'x', contentType: 'image/png', userId: 'bob' }, /^The body may hold only/],
  ])('refuses %s with 400', async (_case, body, message) => {
    const answer = await call(createImage, request(body));

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(message);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 401 without a signed-in user', async () => {
    const answer = await call(createImage, request({ title: 'x', contentType: 'image/png' }, null));

    expect(answer.statusCode).toBe(401);
  });

  it('answers 409 when the conditional write finds the id taken', async () => {
    dynamo.on(PutCommand).rejects(sdkError('ConditionalCheckFailedException'));

    const answer = await call(createImage, request({ title: 'x', contentType: 'image/png' }));

    expect(answer.statusCode).toBe(409);
  });
});

describe('GET /images/{imageId}', () => {
  it('answers the image with fresh URLs', async () => {
    dynamo
      .on(GetCommand, { TableName: 'images-table', Key: { imageId: IMAGE_ID } })
      .resolves({ Item: imageRecord });

    const answer = await call(getImage, {
      path: `/images/${IMAGE_ID}`,
      pathParameters: { imageId: IMAGE_ID },
    });

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toMatchObject({
      imageId: IMAGE_ID,
      thumbnailUrl: presigned(`thumbnails/${IMAGE_ID}.jpeg`),
    });
  });

  it('answers 404 for an unknown image, 400 for an id that is not a UUID', async () => {
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({});

    const unknown = await call(getImage, {
      path: `/images/${OTHER_ID}`,
      pathParameters: { imageId: OTHER_ID },
    });
    const malformed = await call(getImage, { path: '/images/abc', pathParameters: { imageId: 'abc' } });

    expect(unknown.statusCode).toBe(404);
    expect(unknown.body.message).toMatch(/^No image has the id/);
    expect(malformed.statusCode).toBe(400);
  });
});

describe('DELETE /images/{imageId}', () => {
  const request = (authorizer?: { principalId: string }) => ({
    method: 'DELETE',
    path: `/images/${IMAGE_ID}`,
    pathParameters: { imageId: IMAGE_ID },
    authorizer,
  });

  beforeEach(() => {
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: imageRecord });
  });

  it("deletes the owner's image, its files, and tells every connected client", async () => {
    dynamo.on(DeleteCommand).resolves({});
    dynamo.on(ScanCommand).resolves({ Items: [{ connectionId: 'c1' }, { connectionId: 'c2' }] });
    s3.on(DeleteObjectCommand).resolves({});
    management.on(PostToConnectionCommand).resolves({});

    const answer = await call(deleteImage, request(ALICE));

    expect(answer.statusCode).toBe(204);
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'images-table',
      Key: { imageId: IMAGE_ID },
      ConditionExpression: 'userId = :userId',
      ExpressionAttributeValues: { ':userId': 'alice' },
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: 'images-bucket',
      Key: `images/${IMAGE_ID}`,
    });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `thumbnails/${IMAGE_ID}.jpeg` });
    expect(management).toHaveReceivedCommandTimes(PostToConnectionCommand, 2);
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, {
      ConnectionId: 'c1',
      Data: JSON.stringify({ type: 'image-deleted', imageId: IMAGE_ID }),
    });
  });

  it("answers 403 for someone else's image and deletes nothing", async () => {
    const answer = await call(deleteImage, request(BOB));

    expect(answer.statusCode).toBe(403);
    expect(answer.body.message).toMatch(/belongs to another user\. Only its owner can delete it/);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('answers 404 for an unknown image', async () => {
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({});

    const answer = await call(deleteImage, request(ALICE));

    expect(answer.statusCode).toBe(404);
  });

  it('answers 404 when another delete won the race (the condition failed)', async () => {
    dynamo.on(DeleteCommand).rejects(sdkError('ConditionalCheckFailedException'));

    const answer = await call(deleteImage, request(ALICE));

    expect(answer.statusCode).toBe(404);
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('answers 401 without a signed-in user', async () => {
    const answer = await call(deleteImage, request());

    expect(answer.statusCode).toBe(401);
  });
});

describe('GET /images/search', () => {
  function storedIndex(documents: { imageId: string; groupId: string; title: string }[]) {
    const index = new MiniSearch({ idField: 'imageId', fields: ['title'], storeFields: [] });
    index.addAll(documents);
    const body = objectBody(JSON.stringify(index));
    s3.on(GetObjectCommand, { Bucket: 'search-bucket', Key: 'search/images.json' }).resolves({
      Body: body,
      ETag: '"1"',
    });
    s3.on(HeadObjectCommand).resolves({ ETag: '"1"' });
  }

  it('answers the images whose titles match, as the table has them now', async () => {
    storedIndex([
      { imageId: IMAGE_ID, groupId: GROUP_ID, title: 'Sleepy cat' },
      { imageId: OTHER_ID, groupId: GROUP_ID, title: 'Happy dog' },
    ]);
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'images-table': [imageRecord] } });

    const answer = await call(searchImages, { path: '/images/search', query: { q: 'sleep' } });

    expect(answer.statusCode).toBe(200);
    expect(answer.body.items).toEqual([expect.objectContaining({ imageId: IMAGE_ID, title: 'Sleepy cat' })]);
    expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { 'images-table': { Keys: [{ imageId: IMAGE_ID }] } },
    });
  });

  it('leaves out images deleted since they were indexed', async () => {
    storedIndex([{ imageId: IMAGE_ID, groupId: GROUP_ID, title: 'Sleepy cat' }]);
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'images-table': [] } });

    const answer = await call(searchImages, { path: '/images/search', query: { q: 'cat' } });

    expect(answer.body).toEqual({ items: [] });
  });

  it('answers no items before anything was indexed', async () => {
    s3.on(HeadObjectCommand).rejects(sdkError('NotFound'));
    s3.on(GetObjectCommand).rejects(sdkError('NoSuchKey'));

    const answer = await call(searchImages, { path: '/images/search', query: { q: 'cat' } });

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toEqual({ items: [] });
  });

  it.each([
    ['no q', {}, /^The search needs words to look for\./],
    ['an empty q', { q: '' }, /^q must be text of 1 to 100 characters/],
    ['a q too long', { q: 'x'.repeat(101) }, /^q must be text/],
    ['a limit over 50', { q: 'cat', limit: '51' }, /^limit must be a whole number from 1 to 50/],
  ])('refuses %s with 400', async (_case, query, message) => {
    const answer = await call(searchImages, { path: '/images/search', query });

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(message);
  });

  it('refuses a search without a query string at all', async () => {
    const answer = await call(searchImages, { path: '/images/search' });

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(/^The search needs words to look for\./);
  });
});
