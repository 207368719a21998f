import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbService, type DynamoDbService } from '../../src/services/dynamodb';
import { credentials, fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';

// Starting, stopping and restarting DynamoDB Local: persistence, in-memory mode, changed definitions, and no
// Java process left behind, even when local-cloud itself is killed.
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-dynamodb-lifecycle-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Whether the Java process is still running; a service without one of its own fails the test. */
function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) throw new Error('this service started no Java process of its own');
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A process's end is observable only by polling its id; bounded. */
async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function client(dynamodb: DynamoDbService): DynamoDBClient {
  return new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials });
}

const notesV1 = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: 'lifecycle-notes',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
  },
};
const notesV2 = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    ...notesV1.Properties,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'author', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'ByAuthor',
        KeySchema: [{ AttributeName: 'author', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
  },
};
const keysV2 = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: 'lifecycle-keys',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'version', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'version', KeyType: 'RANGE' },
    ],
  },
};

describe('persisted data (the default)', () => {
  it('keeps tables and items across a restart, applies in-place changes and reports the others', async () => {
    const dataDir = path.join(scratch, 'persisted');
    const first = await createDynamoDbService({
      service: fixtureService({
        service: 'lifecycle',
        resources: { Notes: notesV1, Keys: streamTable('lifecycle-keys') },
      }),
      credentials,
      dataDir,
    });
    const firstClient = client(first);
    await firstClient.send(
      new PutItemCommand({ TableName: 'lifecycle-notes', Item: { pk: { S: 'n1' }, author: { S: 'ada' } } }),
    );
    await firstClient.send(new PutItemCommand({ TableName: 'lifecycle-keys', Item: { pk: { S: 'k1' } } }));
    firstClient.destroy();
    await first.stop();

    expect(isRunning(first.javaPid)).toBe(false);
    expect(readdirSync(dataDir)).toEqual(['shared-local-instance.db']);

    const second = await createDynamoDbService({
      service: fixtureService({ service: 'lifecycle', resources: { Notes: notesV2, Keys: keysV2 } }),
      credentials,
      dataDir,
    });
    const secondClient = client(second);
    try {
      const note = await secondClient.send(
        new GetItemCommand({ TableName: 'lifecycle-notes', Key: { pk: { S: 'n1' } } }),
      );
      const key = await secondClient.send(
        new GetItemCommand({ TableName: 'lifecycle-keys', Key: { pk: { S: 'k1' } } }),
      );
      const byAuthor = await DynamoDBDocumentClient.from(secondClient).send(
        new QueryCommand({
          TableName: 'lifecycle-notes',
          IndexName: 'ByAuthor',
          KeyConditionExpression: 'author = :a',
          ExpressionAttributeValues: { ':a': 'ada' },
        }),
      );

      expect(note.Item).toEqual({ pk: { S: 'n1' }, author: { S: 'ada' } });
      expect(key.Item).toEqual({ pk: { S: 'k1' } });
      expect(byAuthor.Items).toEqual([{ pk: 'n1', author: 'ada' }]);
      expect(second.tables).toEqual([
        {
          logicalId: 'Notes',
          tableName: 'lifecycle-notes',
          status: 'updated',
          updates: ['stream NEW_IMAGE -> NEW_AND_OLD_IMAGES', 'global secondary index ByAuthor added'],
          warnings: [],
        },
        expect.objectContaining({ logicalId: 'Keys', status: 'existing', updates: [] }),
      ]);
      expect(second.warnings).toEqual([
        `table "lifecycle-keys" (resources.Resources.Keys) kept from an earlier run in ${path.resolve(dataDir)} has key schema pk(HASH), serverless.yml declares pk(HASH) version(RANGE). ` +
          'Changing this replaces the table on AWS, which deletes its items, so local-cloud kept the table and its data as they are. ' +
          `Fix: delete the table (DeleteTableCommand, or remove ${path.resolve(dataDir)}) and start again to recreate it`,
      ]);
    } finally {
      secondClient.destroy();
      await second.stop();
    }
    expect(isRunning(second.javaPid)).toBe(false);
  }, 60_000);

  it('lives under <service>/.local-cloud/dynamodb/ by default, which git ignores', async () => {
    const servicePath = path.join(scratch, 'service');
    const dynamodb = await createDynamoDbService({
      service: fixtureService({
        service: 'lifecycle-default',
        servicePath,
        resources: { Items: streamTable('default-items') },
      }),
      credentials,
    });
    await dynamodb.stop();

    expect(dynamodb.dataDir).toBe(path.join(servicePath, '.local-cloud', 'dynamodb'));
    expect(existsSync(path.join(servicePath, '.local-cloud', 'dynamodb', 'shared-local-instance.db'))).toBe(
      true,
    );
    expect(existsSync(path.join(servicePath, '.local-cloud', '.gitignore'))).toBe(true);
  }, 60_000);
});

describe('in-memory mode', () => {
  it('writes nothing to disk and leaves no Java process once stopped', async () => {
    const servicePath = path.join(scratch, 'in-memory');
    const dynamodb = await createDynamoDbService({
      service: fixtureService({
        service: 'lifecycle-memory',
        servicePath,
        resources: { Items: streamTable('memory-items') },
      }),
      credentials,
      inMemory: true,
      // No shared DynamoDB Local (npm test announces one): this test is about the service's own Java.
      env: {},
    });
    const memoryClient = client(dynamodb);
    await memoryClient.send(new PutItemCommand({ TableName: 'memory-items', Item: { pk: { S: 'a' } } }));
    const stored = await memoryClient.send(
      new GetItemCommand({ TableName: 'memory-items', Key: { pk: { S: 'a' } } }),
    );
    memoryClient.destroy();
    await dynamodb.stop();

    expect(stored.Item).toEqual({ pk: { S: 'a' } });
    expect(dynamodb.dataDir).toBeUndefined();
    expect(existsSync(servicePath)).toBe(false);
    expect(isRunning(dynamodb.javaPid)).toBe(false);
  }, 60_000);
});

describe('when local-cloud is killed (kill -9)', () => {
  it('takes DynamoDB Local down with it, and every acknowledged write is there after a restart', async () => {
    const dataDir = path.join(scratch, 'killed');
    // One process, as `local-cloud start` is (tsx's CLI would run the script in a child of its own).
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, '../fixtures/dynamodb/write-until-killed.ts'),
        dataDir,
        'killed-items',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let javaPid = 0;
    let acked = -1;
    const lines = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', () => reject(new Error('the writer exited before it was killed')));
      lines.on('line', (line) => {
        const [word, value] = line.split(' ');
        if (word === 'java-pid') javaPid = Number(value);
        if (word === 'acked') acked = Number(value);
        if (acked >= 20) resolve();
      });
    });
    child.kill('SIGKILL');
    const killedAfter = acked;

    expect(await waitUntilGone(javaPid, 15_000)).toBe(true);

    const restarted = await createDynamoDbService({
      service: fixtureService({
        service: 'killed',
        resources: { Items: streamTable('killed-items', 'NEW_IMAGE') },
      }),
      credentials,
      dataDir,
    });
    const restartedClient = client(restarted);
    try {
      const keys = Array.from({ length: killedAfter + 1 }, (_, n) => ({ pk: { S: `item-${n}` } }));
      const found: string[] = [];
      for (let start = 0; start < keys.length; start += 100) {
        const response = await restartedClient.send(
          new BatchGetItemCommand({
            RequestItems: { 'killed-items': { Keys: keys.slice(start, start + 100) } },
          }),
        );
        found.push(...(response.Responses?.['killed-items'] ?? []).map((item) => item.pk?.S ?? ''));
      }

      expect(found.sort()).toEqual(keys.map((key) => key.pk.S).sort());
      expect(restarted.tables[0]?.status).toBe('existing');
    } finally {
      restartedClient.destroy();
      await restarted.stop();
    }
  }, 60_000);
});
