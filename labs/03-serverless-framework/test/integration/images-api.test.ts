// Runs this lab's real serverless.yml on the local cloud: the tables and the index come from its
// CloudFormation resources, API Gateway applies the CreateImageRequest model, and the handlers reach DynamoDB
// Local through the same SDK code they run on AWS. The tests talk HTTP, as a browser would.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { start, type LocalCloud } from '@serverless-course/local-cloud';

const SERVICE_PATH = path.join(__dirname, '..', '..');
const STAGE = 'lab03-int';
const GROUPS_TABLE = `udagram-images-groups-${STAGE}`;

let cloud: LocalCloud;
let documents: DynamoDBDocumentClient;

interface Image {
  imageId: string;
  groupId: string;
  timestamp: string;
  title: string;
  contentType: string;
}

beforeAll(async () => {
  cloud = await start({ servicePath: SERVICE_PATH, inMemory: true, stage: STAGE });
  const dynamoDb = cloud.platform.services.dynamoDb;
  if (dynamoDb === undefined)
    throw new Error('local-cloud started no DynamoDB for the tables in serverless.yml');
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamoDb.url, region: cloud.region, credentials: cloud.credentials }),
  );
}, 120_000);

afterAll(async () => {
  documents?.destroy();
  await cloud?.stop();
});

/** A group as Lab 02's POST /groups stores it, written straight to the table. */
async function givenGroup(): Promise<string> {
  const id = randomUUID();
  await documents.send(
    new PutCommand({
      TableName: GROUPS_TABLE,
      Item: { id, name: 'Harbours', description: 'Boats and water', timestamp: new Date().toISOString() },
    }),
  );
  return id;
}

async function postImage(groupId: string, body: unknown): Promise<Response> {
  return fetch(`${cloud.apiUrl}/groups/${groupId}/images`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function createdImage(groupId: string, title: string): Promise<Image> {
  const response = await postImage(groupId, { title, contentType: 'image/jpeg' });
  expect(response.status).toBe(201);
  return (await response.json()) as Image;
}

describe('the images API on local-cloud', () => {
  it('creates an image in a group and answers 201 with it', async () => {
    const groupId = await givenGroup();

    const response = await postImage(groupId, { title: 'Harbour at dusk', contentType: 'image/png' });

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      imageId: expect.any(String) as unknown,
      groupId,
      timestamp: expect.any(String) as unknown,
      title: 'Harbour at dusk',
      contentType: 'image/png',
    });
  });

  it("lists a group's images newest first, and no other group's", async () => {
    const groupId = await givenGroup();
    const otherGroupId = await givenGroup();
    const first = await createdImage(groupId, 'First');
    const second = await createdImage(groupId, 'Second');
    await createdImage(otherGroupId, 'Elsewhere');

    const response = await fetch(`${cloud.apiUrl}/groups/${groupId}/images`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [second, first] });
  });

  it('finds an image by its id through the ImageIdIndex index', async () => {
    const image = await createdImage(await givenGroup(), 'Lighthouse');

    const response = await fetch(`${cloud.apiUrl}/images/${image.imageId}`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(image);
  });

  it('answers 404 with a JSON message for the images of a group that does not exist', async () => {
    const response = await fetch(`${cloud.apiUrl}/groups/${randomUUID()}/images`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: expect.stringContaining('does not exist') as unknown });
  });

  it('answers 404 for an image id that does not exist', async () => {
    const response = await fetch(`${cloud.apiUrl}/images/${randomUUID()}`);

    expect(response.status).toBe(404);
  });

  it('answers 404 when posting an image to a group that does not exist', async () => {
    const groupId = randomUUID();

    const response = await postImage(groupId, { title: 'Lost', contentType: 'image/jpeg' });

    expect(response.status).toBe(404);
  });

  it.each([
    ['without a title', { contentType: 'image/jpeg' }],
    ['with a blank title', { title: '   ', contentType: 'image/jpeg' }],
    ['with a GIF', { title: 'Animated', contentType: 'image/gif' }],
    [
      'with a field the model does not allow',
      { title: 'Mine', contentType: 'image/jpeg', imageId: 'chosen' },
    ],
  ])(
    'has API Gateway refuse a body %s with 400 Invalid request body, before the function runs',
    async (_case, body) => {
      const groupId = await givenGroup();

      const response = await postImage(groupId, body);

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: 'Invalid request body' });
      const listed = await fetch(`${cloud.apiUrl}/groups/${groupId}/images`);
      expect(await listed.json()).toEqual({ items: [] });
    },
  );
});

describe('per-function IAM on local-cloud', () => {
  // local-cloud checks each function's calls against its own role, as AWS does. Signing as a function (its
  // role's session keys) shows what the role allows: what the handler does, and nothing beyond it.
  const IMAGES_TABLE = `udagram-images-images-${STAGE}`;
  const denied = { name: 'AccessDeniedException' };

  function asFunction(functionKey: string): DynamoDBDocumentClient {
    return DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: cloud.lambdaEndpoint,
        region: cloud.region,
        credentials: cloud.credentialsOf(functionKey),
      }),
    );
  }

  async function asEach<T>(functionKey: string, use: (client: DynamoDBDocumentClient) => Promise<T>) {
    const client = asFunction(functionKey);
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  }

  const byImageId = {
    TableName: IMAGES_TABLE,
    IndexName: 'ImageIdIndex',
    KeyConditionExpression: 'imageId = :id',
    ExpressionAttributeValues: { ':id': 'any' },
  };

  it('lets getImage query the ImageIdIndex index, but not the table or the groups', async () => {
    await asEach('getImage', async (client) => {
      await expect(client.send(new QueryCommand(byImageId))).resolves.toBeDefined();
      await expect(
        client.send(
          new QueryCommand({
            TableName: IMAGES_TABLE,
            KeyConditionExpression: 'groupId = :g',
            ExpressionAttributeValues: { ':g': 'any' },
          }),
        ),
      ).rejects.toMatchObject(denied);
      await expect(
        client.send(new GetCommand({ TableName: GROUPS_TABLE, Key: { id: 'any' } })),
      ).rejects.toMatchObject(denied);
    });
  });

  it('lets getImages read a group and query the images, but not the index or any write', async () => {
    await asEach('getImages', async (client) => {
      await expect(
        client.send(new GetCommand({ TableName: GROUPS_TABLE, Key: { id: 'any' } })),
      ).resolves.toBeDefined();
      await expect(client.send(new QueryCommand(byImageId))).rejects.toMatchObject(denied);
      await expect(
        client.send(new PutCommand({ TableName: GROUPS_TABLE, Item: { id: randomUUID() } })),
      ).rejects.toMatchObject(denied);
    });
  });

  it('lets createImage read a group and put an image, but not delete one or write a group', async () => {
    await asEach('createImage', async (client) => {
      await expect(
        client.send(new GetCommand({ TableName: GROUPS_TABLE, Key: { id: 'any' } })),
      ).resolves.toBeDefined();
      await expect(
        client.send(
          new DeleteCommand({
            TableName: IMAGES_TABLE,
            Key: { groupId: 'any', timestamp: '2026-01-01T00:00:00Z' },
          }),
        ),
      ).rejects.toMatchObject(denied);
      await expect(
        client.send(new PutCommand({ TableName: GROUPS_TABLE, Item: { id: randomUUID() } })),
      ).rejects.toMatchObject(denied);
    });
  });
});
