// One form of ARN for DynamoDB's tables and streams: the service's region and account, as stream events and
// endpoints.json give them, in every answer (DynamoDB Local's own say `ddblocal:000000000000`), and accepted in
// every request; the AWS CLI, which checks each answer's CRC32, reads the rewritten answers.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { createDynamoDbService, type DynamoDbService } from '../../src/services/dynamodb';
import { credentials, fixtureService } from '../fixtures/dynamodb/service-definition';

const run = promisify(execFile);
const TABLE = 'arns-test-dev-users';
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`;

let dynamodb: DynamoDbService;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  dynamodb = await createDynamoDbService({
    service: fixtureService({ service: 'arns-test' }),
    credentials,
    inMemory: true,
  });
  const config = { endpoint: dynamodb.url, region: 'us-east-1', credentials };
  client = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
}, 60_000);

afterAll(async () => {
  client?.destroy();
  streams?.destroy();
  await dynamodb?.stop();
});

describe('the ARNs DynamoDB answers with', () => {
  it('name the service’s region and account, for tables and streams alike', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: TABLE }));

    expect(Table?.TableArn).toBe(TABLE_ARN);
    expect(Table?.LatestStreamArn).toMatch(new RegExp(`^${TABLE_ARN}/stream/\\S+$`));
    expect(Streams?.map((stream) => stream.StreamArn)).toEqual([Table?.LatestStreamArn]);
  });

  it('are accepted back in requests: a stream ARN from an answer, a table ARN as TableName', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    await client.send(
      new PutItemCommand({ TableName: TABLE_ARN, Item: { groupId: { S: 'g1' }, userId: { S: 'u1' } } }),
    );

    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
    );
    const { Item } = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { groupId: { S: 'g1' }, userId: { S: 'u1' } } }),
    );

    expect(StreamDescription?.StreamArn).toBe(Table?.LatestStreamArn);
    expect(StreamDescription?.TableName).toBe(TABLE);
    expect(Item).toEqual({ groupId: { S: 'g1' }, userId: { S: 'u1' } });
  });

  it('reach the AWS CLI, which checks the checksum of each answer', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-arns-cli-'));
    try {
      const { stdout } = await run(
        'aws',
        [
          'dynamodb',
          'describe-table',
          '--table-name',
          TABLE,
          '--endpoint-url',
          dynamodb.url,
          '--output',
          'json',
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: home,
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_PAGER: '',
          },
        },
      );

      expect(JSON.parse(stdout)).toMatchObject({ Table: { TableName: TABLE, TableArn: TABLE_ARN } });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 30_000);
});
