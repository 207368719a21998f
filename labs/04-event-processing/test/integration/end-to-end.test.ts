// The whole lab on local-cloud, as a client uses it: create a group, ask for an upload URL, PUT the bytes with
// plain fetch, then watch the events fan out. The thumbnail appears in its bucket, a WebSocket client that
// connected beforehand is told, a stale connection is cleaned up on 410, search finds the image by a word of
// its title, and a poison record in the Images stream is given up without blocking it. Every wait is bounded.
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { start, type LocalCloud } from '@serverless-course/local-cloud';
import sharp from 'sharp';
import WebSocket from 'ws';
import { makeJpeg } from '../support/images';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

const STAGE = 'lab04-e2e';
const THUMBNAILS_BUCKET = `event-processing-thumbnails-${STAGE}`;
const IMAGES_TABLE = `event-processing-images-${STAGE}`;
const CONNECTIONS_TABLE = `event-processing-connections-${STAGE}`;

let cloud: LocalCloud;
let s3: S3Client;
let documents: DynamoDBDocumentClient;
let socket: WebSocket;
const socketMessages: string[] = [];
const platformLog: string[] = [];

function sdkConfig(endpoint: string) {
  return { endpoint, region: cloud.region, credentials: cloud.credentials, maxAttempts: 1 };
}

async function post(
  pathname: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${cloud.apiUrl}${pathname}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const client = new WebSocket(url);
    client.on('message', (data: Buffer) => socketMessages.push(data.toString()));
    client.once('open', () => resolve(client));
    client.once('error', reject);
  });
}

beforeAll(async () => {
  cloud = await start({
    servicePath: path.resolve(__dirname, '../..'),
    inMemory: true,
    stage: STAGE,
    asyncRetryDelaysMs: [100, 200],
    log: (line) => platformLog.push(line),
  });
  const { s3: s3Service, dynamoDb, webSocket } = cloud.platform.services;
  if (!dynamoDb || !webSocket) throw new Error('local-cloud started without DynamoDB or the WebSocket API');
  s3 = new S3Client(sdkConfig(s3Service.url));
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(dynamoDb.url)));
  // Connected before anything is uploaded: $connect has stored it by the time the upgrade completes.
  socket = await openSocket(webSocket.url);
}, 90_000);

afterAll(async () => {
  socket?.terminate();
  await cloud?.stop();
});

describe('uploading an image, end to end on local-cloud', () => {
  let groupId: string;
  let imageId: string;
  let uploadUrl: string;
  const jpeg = makeJpeg(640, 480);

  it('creates a group, then an image with a presigned upload URL', async () => {
    const group = await post('/groups', { name: 'Holidays' });
    groupId = group.json.groupId as string;

    const created = await post(`/groups/${groupId}/images`, {
      title: 'Sunset over the harbour',
      contentType: 'image/jpeg',
    });
    imageId = (created.json.image as { imageId: string }).imageId;
    uploadUrl = created.json.uploadUrl as string;

    expect(group.status).toBe(201);
    expect(created.status).toBe(201);
    expect(new URL(uploadUrl).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('refuses an upload whose Content-Type is not the one signed', async () => {
    const refused = await fetch(uploadUrl, {
      method: 'PUT',
      body: await jpeg,
      headers: { 'Content-Type': 'image/png' },
    });

    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('SignatureDoesNotMatch');
  });

  it('after a PUT of the bytes: thumbnail, WebSocket notification, stale connection removed, and search', async () => {
    // A connection that vanished without $disconnect: API Gateway answers 410 for it.
    await documents.send(
      new PutCommand({
        TableName: CONNECTIONS_TABLE,
        Item: { connectionId: 'vanished', connectedAt: '2026-01-01T00:00:00.000Z' },
      }),
    );

    const upload = await fetch(uploadUrl, {
      method: 'PUT',
      body: await jpeg,
      headers: { 'Content-Type': 'image/jpeg' },
    });

    expect(upload.status).toBe(200);
    const notification = await waitFor('the WebSocket notification', async () =>
      socketMessages.find((message) => message.includes(imageId)),
    );
    expect(JSON.parse(notification)).toMatchObject({ type: 'image-uploaded', groupId, imageId });
    const thumbnail = await waitFor('the thumbnail', async () => {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: THUMBNAILS_BUCKET, Key: `thumbnails/${imageId}.jpg` }),
      );
      return object.Body?.transformToByteArray();
    });
    expect(await sharp(thumbnail).metadata()).toMatchObject({ format: 'jpeg', width: 200, height: 150 });
    await waitFor('the vanished connection to be deleted', async () => {
      const { Item } = await documents.send(
        new GetCommand({ TableName: CONNECTIONS_TABLE, Key: { connectionId: 'vanished' } }),
      );
      return Item === undefined ? true : undefined;
    });
    const found = await waitFor('search to find the image', async () => {
      const response = await fetch(`${cloud.apiUrl}/images/search?q=harbour`);
      const { items } = (await response.json()) as { items: { imageId: string }[] };
      return items.some((item) => item.imageId === imageId) ? items : undefined;
    });
    expect(found).toContainEqual(
      expect.objectContaining({ imageId, groupId, title: 'Sunset over the harbour' }),
    );
  });

  it('gives up a poison record of the Images stream after its retries, and later images are still indexed', async () => {
    await documents.send(
      new PutCommand({
        TableName: IMAGES_TABLE,
        Item: { groupId, timestamp: new Date().toISOString(), imageId: 'poison', title: 42 },
      }),
    );
    const later = await post(`/groups/${groupId}/images`, {
      title: 'Lighthouse at dawn',
      contentType: 'image/png',
    });
    const laterId = (later.json.image as { imageId: string }).imageId;

    const found = await waitFor('search to find the image created after the poison record', async () => {
      const response = await fetch(`${cloud.apiUrl}/images/search?q=lighthouse`);
      const { items } = (await response.json()) as { items: { imageId: string }[] };
      return items.some((item) => item.imageId === laterId) ? items : undefined;
    });
    const givenUp = await waitFor('the mapping to give up the poison record', async () =>
      platformLog.find((line) => /indexImages gave up on \d+ record\(s\).*after 3 attempt\(s\)/.test(line)),
    );

    expect(found.map((item) => item.imageId)).toContain(laterId);
    // The on-failure destination is the IndexFailuresTopic, resolved to its ARN and published to.
    expect(givenUp).toMatch(
      /published their description to arn:aws:sns:[\w-]+:\d{12}:event-processing-index-failures-lab04-e2e \(message /,
    );
  });
});
