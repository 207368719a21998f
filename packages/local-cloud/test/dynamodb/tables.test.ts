import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  type DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbService, type DynamoDbService } from '../../src/services/dynamodb';
import { credentials, fixtureService } from '../fixtures/dynamodb/service-definition';

// One DynamoDB Local for the file (it takes a few seconds to start), in memory, with the tables of
// resources.json created for the service "tables-test": tables-test-dev-users and tables-test-dev-images.
let dynamodb: DynamoDbService;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamodb = await createDynamoDbService({
    service: fixtureService({ service: 'tables-test' }),
    credentials,
    inMemory: true,
  });
  client = new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials });
  documents = DynamoDBDocumentClient.from(client);
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await dynamodb?.stop();
});

describe('tables declared in CloudFormation resources', () => {
  it('are created at start-up, each reported with its logical id', async () => {
    const { TableNames } = await client.send(new ListTablesCommand({}));

    expect(TableNames).toEqual(['tables-test-dev-images', 'tables-test-dev-users']);
    expect(
      dynamodb.tables.map(({ logicalId, tableName, status }) => ({ logicalId, tableName, status })),
    ).toEqual([
      { logicalId: 'UsersTable', tableName: 'tables-test-dev-users', status: 'created' },
      { logicalId: 'ImagesTable', tableName: 'tables-test-dev-images', status: 'created' },
    ]);
    expect(dynamodb.tableNames).toEqual({
      UsersTable: 'tables-test-dev-users',
      ImagesTable: 'tables-test-dev-images',
    });
  });

  it('have the declared billing mode, throughput, stream and time to live', async () => {
    const users = (await client.send(new DescribeTableCommand({ TableName: 'tables-test-dev-users' }))).Table;
    const images = (await client.send(new DescribeTableCommand({ TableName: 'tables-test-dev-images' })))
      .Table;
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'tables-test-dev-users' }));

    expect(users?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(users?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(images?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 1, WriteCapacityUnits: 1 });
    expect(images?.StreamSpecification).toBeUndefined();
  });

  it('answer queries through their global secondary index, with its projection', async () => {
    await documents.send(
      new PutCommand({
        TableName: 'tables-test-dev-users',
        Item: {
          groupId: 'g1',
          userId: 'u1',
          createdAt: '2024-01-02',
          email: 'ada@example.com',
          name: 'Ada',
          bio: 'x',
        },
      }),
    );

    const { Items } = await documents.send(
      new QueryCommand({
        TableName: 'tables-test-dev-users',
        IndexName: 'ByEmail',
        KeyConditionExpression: 'email = :email',
        ExpressionAttributeValues: { ':email': 'ada@example.com' },
      }),
    );

    // INCLUDE [name]: the table's and the index's keys, and name; not bio, nor the LSI's sort key.
    expect(Items).toEqual([{ groupId: 'g1', userId: 'u1', email: 'ada@example.com', name: 'Ada' }]);
  });

  it('answer queries through their local secondary index, in its sort order', async () => {
    for (const [userId, createdAt] of [
      ['u2', '2024-03-01'],
      ['u3', '2024-01-15'],
      ['u4', '2024-02-10'],
    ]) {
      await documents.send(
        new PutCommand({ TableName: 'tables-test-dev-users', Item: { groupId: 'g2', userId, createdAt } }),
      );
    }

    const { Items } = await documents.send(
      new QueryCommand({
        TableName: 'tables-test-dev-users',
        IndexName: 'ByCreatedAt',
        KeyConditionExpression: 'groupId = :group AND createdAt > :after',
        ExpressionAttributeValues: { ':group': 'g2', ':after': '2024-01-31' },
      }),
    );

    expect(Items?.map((item) => item.userId as string)).toEqual(['u4', 'u2']);
  });

  it('answer queries through a provisioned table GSI with a numeric sort key', async () => {
    for (const [imageId, timestamp] of [
      ['i1', 30],
      ['i2', 10],
      ['i3', 20],
    ] as const) {
      await documents.send(
        new PutCommand({ TableName: 'tables-test-dev-images', Item: { imageId, groupId: 'g', timestamp } }),
      );
    }

    const { Items } = await documents.send(
      new QueryCommand({
        TableName: 'tables-test-dev-images',
        IndexName: 'ByGroup',
        KeyConditionExpression: 'groupId = :group',
        ExpressionAttributeValues: { ':group': 'g' },
        ScanIndexForward: false,
      }),
    );

    expect(Items?.map((item) => item.imageId as string)).toEqual(['i1', 'i3', 'i2']);
  });
});

describe('the DynamoDB endpoint', () => {
  it('serves DynamoDB and DynamoDB Streams clients configured by AWS_ENDPOINT_URL alone', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: dynamodb.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    const fromEnv = new DynamoDBClient({});
    const streams = new DynamoDBStreamsClient({});
    try {
      const table = (await fromEnv.send(new DescribeTableCommand({ TableName: 'tables-test-dev-users' })))
        .Table;
      const stream = await streams.send(new DescribeStreamCommand({ StreamArn: table?.LatestStreamArn }));

      expect(stream.StreamDescription?.TableName).toBe('tables-test-dev-users');
    } finally {
      fromEnv.destroy();
      streams.destroy();
      process.env = saved;
    }
  });

  it('listens on 127.0.0.1', () => {
    expect(dynamodb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([
    [
      'a wrong secret key',
      { accessKeyId: credentials.accessKeyId, secretAccessKey: 'wrong' },
      'us-east-1',
      'InvalidSignatureException',
      /^The request signature we calculated does not match the signature you provided/,
    ],
    [
      'an unknown access key',
      { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: credentials.secretAccessKey },
      'us-east-1',
      'UnrecognizedClientException',
      /^The security token included in the request is invalid\.$/,
    ],
    [
      'another region',
      credentials,
      'eu-west-1',
      'InvalidSignatureException',
      /^Credential should be scoped to a valid region, not 'eu-west-1'/,
    ],
  ])(
    'refuses a request signed with %s with HTTP 400, as DynamoDB does',
    async (_case, keys, region, name, message) => {
      const wrong = new DynamoDBClient({ endpoint: dynamodb.url, region, credentials: keys, maxAttempts: 1 });
      try {
        const error = (await wrong
          .send(new ListTablesCommand({}))
          .catch((e: unknown) => e)) as DynamoDBServiceException;

        expect(error.name).toBe(name);
        expect(error.message).toMatch(message);
        expect(error.$metadata.httpStatusCode).toBe(400);
      } finally {
        wrong.destroy();
      }
    },
  );

  it('answers an operation DynamoDB Local lacks with UnknownOperationException naming it', async () => {
    const response = await signedFetch('DynamoDB_20120810.DescribeContributorInsights', {
      TableName: 'tables-test-dev-users',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#UnknownOperationException',
      message:
        'An unknown operation was requested: DescribeContributorInsights. DynamoDB Local, which serves DynamoDB in local-cloud, does not implement it.',
    });
  });
});

/** A request signed as the SDK signs it, for an operation the SDK version may not model. */
async function signedFetch(target: string, body: object): Promise<Response> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const url = new URL(dynamodb.url);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'dynamodb', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
    },
    body: JSON.stringify(body),
  });
  return fetch(dynamodb.url, { method: 'POST', headers: signed.headers, body: JSON.stringify(body) });
}
