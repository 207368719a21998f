import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@serverless-course/test-kit';
import { createDynamoDbService, type DynamoDbService } from '../../src/services/dynamodb';
import { credentials, fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';
import { logRecorder } from '../support/log-recorder';

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

/** The access key id a persisted service keeps its tables under (own-namespace.ts). */
function namespaceOf(dataDir: string): string {
  return readFileSync(path.join(dataDir, 'namespace'), 'utf8').trim();
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
    expect(readdirSync(dataDir).sort()).toEqual([`${namespaceOf(dataDir)}_us-east-1.db`, 'namespace']);

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

    const dataDir = path.join(servicePath, '.local-cloud', 'dynamodb');
    expect(dynamodb.dataDir).toBe(dataDir);
    expect(existsSync(path.join(dataDir, `${namespaceOf(dataDir)}_us-east-1.db`))).toBe(true);
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

    // A process's end is observable only by polling its id.
    await eventually(() => !isRunning(javaPid), {
      timeoutMs: 15_000,
      description: `DynamoDB Local's Java (pid ${javaPid}) to exit`,
    });

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

describe('what reaches DynamoDB Local without going through local-cloud', () => {
  /** Local addresses listening on `port`, from /proc/net/tcp and tcp6 (hexadecimal, as the kernel lists them). */
  function listeningAddresses(port: number): string[] {
    const found: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!existsSync(table)) continue;
      for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const [, local, , state] = row.trim().split(/\s+/);
        if (state === '0A' && local && parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) {
          found.push(local.slice(0, local.lastIndexOf(':')));
        }
      }
    }
    return found;
  }

  it("sees none of the service's tables: DynamoDB Local listens on every interface, under a namespace only local-cloud knows", async () => {
    const dataDir = path.join(scratch, 'exposed');
    const dynamodb = await createDynamoDbService({
      service: fixtureService({ service: 'exposure', resources: { Notes: notesV1 } }),
      credentials,
      dataDir,
    });
    const owner = client(dynamodb);
    // Any key but the namespace: what a client on another machine that found the port would send. DynamoDB
    // Local tells clients apart by nothing else, so sending it over loopback shows what it would get.
    const stranger = new DynamoDBClient({
      endpoint: dynamodb.backendUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'anything' },
    });
    try {
      await owner.send(new PutItemCommand({ TableName: 'lifecycle-notes', Item: { pk: { S: 'secret' } } }));
      const backendPort = Number(new URL(dynamodb.backendUrl).port);

      // The reason for the namespace: no loopback-only address (7F000001, or ::1) for the Java port.
      expect(listeningAddresses(backendPort).every((address) => /^0+$/.test(address))).toBe(true);
      expect((await stranger.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      await expect(
        stranger.send(new GetItemCommand({ TableName: 'lifecycle-notes', Key: { pk: { S: 'secret' } } })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(
        stranger.send(new PutItemCommand({ TableName: 'lifecycle-notes', Item: { pk: { S: 'planted' } } })),
      ).rejects.toBeInstanceOf(ResourceNotFoundException);
      const planted = await owner.send(
        new GetItemCommand({ TableName: 'lifecycle-notes', Key: { pk: { S: 'planted' } } }),
      );
      expect(planted.Item).toBeUndefined();
      // The published endpoint, the proxy, listens on loopback only.
      expect(listeningAddresses(dynamodb.port)).toEqual(['0100007F']);
    } finally {
      owner.destroy();
      stranger.destroy();
      await dynamodb.stop();
    }
  }, 60_000);

  it('moves the tables of a local-cloud that used -sharedDb under its namespace, and says so', async () => {
    const dataDir = path.join(scratch, 'upgraded');
    const service = fixtureService({ service: 'upgraded', resources: { Notes: notesV1 } });
    const first = await createDynamoDbService({ service, credentials, dataDir });
    const firstClient = client(first);
    await firstClient.send(new PutItemCommand({ TableName: 'lifecycle-notes', Item: { pk: { S: 'kept' } } }));
    firstClient.destroy();
    await first.stop();
    // What an earlier local-cloud left: one shared database, and no namespace file.
    renameSync(
      path.join(dataDir, `${namespaceOf(dataDir)}_us-east-1.db`),
      path.join(dataDir, 'shared-local-instance.db'),
    );
    rmSync(path.join(dataDir, 'namespace'));
    const logged: string[] = [];

    const second = await createDynamoDbService({
      service,
      credentials,
      dataDir,
      log: (line) => logged.push(line),
    });
    const secondClient = client(second);
    try {
      const kept = await secondClient.send(
        new GetItemCommand({ TableName: 'lifecycle-notes', Key: { pk: { S: 'kept' } } }),
      );

      expect(kept.Item).toEqual({ pk: { S: 'kept' } });
      expect(logged).toEqual([
        `moved the tables of an earlier local-cloud (shared-local-instance.db) to ${namespaceOf(dataDir)}_us-east-1.db`,
      ]);
    } finally {
      secondClient.destroy();
      await second.stop();
    }
  }, 60_000);

  it('refuses a damaged namespace file, naming it and the fix, before starting Java', async () => {
    const dataDir = path.join(scratch, 'damaged');
    const first = await createDynamoDbService({
      service: fixtureService({ service: 'damaged', resources: { Notes: notesV1 } }),
      credentials,
      dataDir,
    });
    await first.stop();
    writeFileSync(path.join(dataDir, 'namespace'), 'half a ke');

    await expect(
      createDynamoDbService({
        service: fixtureService({ service: 'damaged', resources: { Notes: notesV1 } }),
        credentials,
        dataDir,
      }),
    ).rejects.toThrow(
      `${path.join(dataDir, 'namespace')} is damaged: it should hold the access key id the tables are kept under (LCNS and 16 hexadecimal digits), not "half a ke". Fix: restore it, or move the folder ${dataDir} aside to start with empty tables`,
    );
  }, 60_000);
});

describe('DynamoDB Local exiting on its own', () => {
  it('is started again on the same data, and the log says so', async () => {
    const dataDir = path.join(scratch, 'restarted');
    const watcher = logRecorder();
    const dynamodb = await createDynamoDbService({
      service: fixtureService({ service: 'restarted', resources: { Notes: notesV1 } }),
      credentials,
      dataDir,
      log: watcher.log,
    });
    const owner = client(dynamodb);
    try {
      await owner.send(new PutItemCommand({ TableName: 'lifecycle-notes', Item: { pk: { S: 'kept' } } }));
      const killed = dynamodb.javaPid!;

      process.kill(killed, 'SIGKILL');
      await watcher.waitFor(/^DynamoDB Local is back/);

      expect(watcher.lines[0]).toMatch(
        new RegExp(
          `^DynamoDB Local (was killed|exited with code \\d+); starting it again on the same data \\(${dataDir}\\)$`,
        ),
      );
      expect(dynamodb.javaPid).not.toBe(killed);
      const kept = await owner.send(
        new GetItemCommand({ TableName: 'lifecycle-notes', Key: { pk: { S: 'kept' } } }),
      );
      expect(kept.Item).toEqual({ pk: { S: 'kept' } });
    } finally {
      owner.destroy();
      await dynamodb.stop();
    }
    expect(isRunning(dynamodb.javaPid)).toBe(false);
  }, 60_000);

  it('is given up after too many exits, and then every request is told why and what to do', async () => {
    const watcher = logRecorder();
    const dynamodb = await createDynamoDbService({
      service: fixtureService({ service: 'given-up', resources: { Notes: notesV1 } }),
      credentials,
      dataDir: path.join(scratch, 'given-up'),
      log: watcher.log,
      maxRestarts: 0,
    });
    const owner = new DynamoDBClient({
      endpoint: dynamodb.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    try {
      process.kill(dynamodb.javaPid!, 'SIGKILL');
      await dynamodb.exited;

      const reason = await watcher.waitFor(/no longer restarts it/);
      expect(reason).toMatch(
        /Fix: read Java's output above, then stop local-cloud \(Ctrl\+C\) and start it again/,
      );
      await expect(
        owner.send(new GetItemCommand({ TableName: 'lifecycle-notes', Key: { pk: { S: 'any' } } })),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailable',
        message: reason,
        $metadata: { httpStatusCode: 503 },
      });
    } finally {
      owner.destroy();
      await dynamodb.stop();
    }
  }, 60_000);
});
