import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { createDynamoDbService, type DynamoDbService } from '../../src/services/dynamodb';
import {
  startDynamoDbLocal,
  type DynamoDbLocalProcess,
} from '../../src/services/dynamodb/dynamodb-local-process';
import { defaultJavaCommand } from '../../src/services/dynamodb/java';
import {
  borrowSharedDynamoDbLocal,
  SHARED_DYNAMODB_LOCAL_ENV,
  withAccessKey,
} from '../../src/services/dynamodb/shared-dynamodb-local';
import { credentials, fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';

// In-memory services that borrow one DynamoDB Local (as every test file of `npm test` does): each gets a
// database of its own there, signatures are still verified, and stopping a service leaves the shared
// process to the others. This file starts its own shared process, so it also runs outside `npm test`.
let shared: DynamoDbLocalProcess;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  shared = await startDynamoDbLocal({ javaCommand: defaultJavaCommand(), startTimeoutMs: 60_000 });
  env = { [SHARED_DYNAMODB_LOCAL_ENV]: shared.url };
}, 60_000);

afterAll(async () => {
  await shared?.stop();
});

function borrowing(service: string, streamViewType?: string): Promise<DynamoDbService> {
  return createDynamoDbService({
    service: fixtureService({ service, resources: { Notes: streamTable('shared-notes', streamViewType) } }),
    credentials,
    inMemory: true,
    env,
  });
}

function client(dynamodb: DynamoDbService, keys = credentials): DynamoDBClient {
  return new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials: keys });
}

describe('in-memory services that borrow a shared DynamoDB Local', () => {
  it('each see only their own items, though their tables have the same name, and start no Java', async () => {
    const first = await borrowing('shared-first');
    const second = await borrowing('shared-second');
    const firstClient = client(first);
    const secondClient = client(second);
    try {
      await firstClient.send(
        new PutItemCommand({ TableName: 'shared-notes', Item: { pk: { S: 'only-in-first' } } }),
      );

      const inSecond = await secondClient.send(new ScanCommand({ TableName: 'shared-notes' }));
      const inFirst = await firstClient.send(
        new GetItemCommand({ TableName: 'shared-notes', Key: { pk: { S: 'only-in-first' } } }),
      );
      expect(inSecond.Items).toEqual([]);
      expect(inFirst.Item).toEqual({ pk: { S: 'only-in-first' } });
      expect(first.javaPid).toBeUndefined();
      expect(new URL(first.url).port).not.toBe(new URL(shared.url).port);
    } finally {
      firstClient.destroy();
      secondClient.destroy();
      await first.stop();
      await second.stop();
    }
  }, 60_000);

  it("lists only the service's own stream, though another service's table has the same name", async () => {
    const first = await borrowing('shared-streams-first', 'NEW_IMAGE');
    const second = await borrowing('shared-streams-second', 'NEW_IMAGE');
    const streams = new DynamoDBStreamsClient({ endpoint: first.url, region: 'us-east-1', credentials });
    const tables = client(first);
    try {
      const { Streams } = await streams.send(new ListStreamsCommand({}));
      const { Table } = await tables.send(new DescribeTableCommand({ TableName: 'shared-notes' }));
      expect(Streams?.map((stream) => stream.StreamArn)).toEqual([Table?.LatestStreamArn]);
    } finally {
      streams.destroy();
      tables.destroy();
      await first.stop();
      await second.stop();
    }
  }, 60_000);

  it('still refuses a request signed with the wrong secret, as DynamoDB does', async () => {
    const dynamodb = await borrowing('shared-signatures');
    const forger = client(dynamodb, { ...credentials, secretAccessKey: 'not-the-secret' });
    try {
      await expect(forger.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'InvalidSignatureException',
      });
    } finally {
      forger.destroy();
      await dynamodb.stop();
    }
  }, 60_000);

  it('leaves the shared DynamoDB Local running for the others when a service stops', async () => {
    const dynamodb = await borrowing('shared-stop');
    await dynamodb.stop();

    const later = await borrowing('shared-after');
    const laterClient = client(later);
    try {
      const { TableNames } = await laterClient.send(new ListTablesCommand({}));
      expect(TableNames).toEqual(['shared-notes']);
      expect(await dynamodb.exited).toBeNull();
    } finally {
      laterClient.destroy();
      await later.stop();
    }
  }, 60_000);
});

describe('the variable that announces a shared DynamoDB Local', () => {
  it('lends nothing when unset or off: each service starts its own Java process', () => {
    expect(borrowSharedDynamoDbLocal({})).toBeUndefined();
    expect(borrowSharedDynamoDbLocal({ [SHARED_DYNAMODB_LOCAL_ENV]: 'off' })).toBeUndefined();
  });

  it('gives every borrower a namespace of its own', () => {
    const a = borrowSharedDynamoDbLocal({ [SHARED_DYNAMODB_LOCAL_ENV]: 'http://127.0.0.1:8000' });
    const b = borrowSharedDynamoDbLocal({ [SHARED_DYNAMODB_LOCAL_ENV]: 'http://127.0.0.1:8000' });

    expect(a?.namespace.accessKeyId).toMatch(/^LCNS[0-9A-F]{16}$/);
    expect(a?.namespace.accessKeyId).not.toBe(b?.namespace.accessKeyId);
    expect(a?.url).toBe('http://127.0.0.1:8000');
  });

  it.each([
    ['not a URL', 'localhost', 'which is not a URL'],
    ['another host', 'http://10.0.0.5:8000', 'it must be http://127.0.0.1:<port>'],
    ['no port', 'http://127.0.0.1', 'it must be http://127.0.0.1:<port>'],
  ])('refuses %s, naming the variable and the fix', (_case, value, problem) => {
    expect(() => borrowSharedDynamoDbLocal({ [SHARED_DYNAMODB_LOCAL_ENV]: value })).toThrow(
      new RegExp(`^${SHARED_DYNAMODB_LOCAL_ENV} is "${value}".*${escape(problem)}.*Fix: unset it`),
    );
  });

  it("puts the namespace's key in place of the caller's, leaving the rest of the header as it was", () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKIDLOCALCLOUD/20261207/us-east-1/dynamodb/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=abc123';

    expect(withAccessKey(header, 'LCNS00FF')).toBe(
      'AWS4-HMAC-SHA256 Credential=LCNS00FF/20261207/us-east-1/dynamodb/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=abc123',
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
