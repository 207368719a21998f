// State on disk found damaged (cut short by a crash or a full disk, emptied, edited by hand) is said with the
// file, what is wrong and the fix: never an opaque error from deeper down, never skipped silently or served
// short.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ServiceDefinition } from '../../src/config/service-definition';
import { localCredentials } from '../../src/endpoints';
import { createDynamoDbService } from '../../src/services/dynamodb';
import { createIdentityService } from '../../src/services/identity/identity-service';
import { createS3Service } from '../../src/services/s3/s3-service';
import { DamagedStateError } from '../../src/common/damaged-state';
import { start } from '../../src';
import { SHARED_DYNAMODB_LOCAL_ENV } from '../../src/services/dynamodb/shared-dynamodb-local';
import { fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';

// The database file under test is this service's own DynamoDB Local's.
delete process.env[SHARED_DYNAMODB_LOCAL_ENV];

const credentials = localCredentials({});
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-damaged-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('a DynamoDB Local database', () => {
  const service = fixtureService({ service: 'damaged', resources: { Items: streamTable('damaged-items') } });

  async function fill(dataDir: string): Promise<string> {
    const dynamodb = await createDynamoDbService({ service, credentials, dataDir });
    const client = new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials });
    for (let n = 0; n < 60; n += 1) {
      await client.send(
        new PutItemCommand({
          TableName: 'damaged-items',
          Item: { pk: { S: `item-${n}` }, data: { S: 'x'.repeat(500) } },
        }),
      );
    }
    client.destroy();
    await dynamodb.stop();
    const [database] = readdirSync(dataDir).filter((name) => name.endsWith('_us-east-1.db'));
    return path.join(dataDir, database!);
  }

  it('cut short refuses to start, naming the file, its size and the fix', async () => {
    const dataDir = path.join(scratch, 'dynamodb-cut');
    const database = await fill(dataDir);
    const size = statSync(database).size;
    truncateSync(database, Math.floor(size / 2));
    const log: string[] = [];

    const starting = createDynamoDbService({ service, credentials, dataDir, log: (line) => log.push(line) });

    await expect(starting).rejects.toBeInstanceOf(DamagedStateError);
    await expect(starting).rejects.toThrow(
      new RegExp(
        `^${database.replace(/[.]/g, '\\.')} is cut short: it holds ${Math.floor(size / 2)} bytes of the ${size} its header records .* Fix: move it aside \\(mv "${database.replace(/[.]/g, '\\.')}" ".*\\.damaged"\\) and start again: the tables are made again, empty$`,
      ),
    );
  }, 60_000);

  it('emptied starts with empty tables, and says so', async () => {
    const dataDir = path.join(scratch, 'dynamodb-empty');
    const database = await fill(dataDir);
    truncateSync(database, 0);
    const log: string[] = [];

    const dynamodb = await createDynamoDbService({
      service,
      credentials,
      dataDir,
      log: (line) => log.push(line),
    });
    await dynamodb.stop();

    expect(log).toContain(
      `warning: ${database} is empty, so the tables start with no items. If they held data, the file was cut short (a crash, a full disk): stop local-cloud and restore it from a copy`,
    );
  }, 60_000);
});

describe('an S3 object file', () => {
  const service: ServiceDefinition = {
    service: 'damaged-s3',
    servicePath: scratch,
    provider: { region: 'us-east-1', stage: 'dev', runtime: 'nodejs24.x', binaryMediaTypes: [] },
    functions: {},
    resources: { Photos: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'damaged-photos' } } },
    custom: {},
  };

  it('cut short is reported and not served short; the others are served', async () => {
    const dataDir = path.join(scratch, 's3');
    const first = await createS3Service({ service, credentials, dataDir });
    const client = new S3Client({ endpoint: first.url, region: 'us-east-1', credentials });
    await client.send(
      new PutObjectCommand({ Bucket: 'damaged-photos', Key: 'cut.jpg', Body: Buffer.alloc(10_000, 1) }),
    );
    await client.send(new PutObjectCommand({ Bucket: 'damaged-photos', Key: 'whole.jpg', Body: 'whole' }));
    client.destroy();
    await first.stop();
    const hash = createHash('sha256').update('cut.jpg').digest('hex');
    const file = path.join(dataDir, 'buckets', 'damaged-photos', 'objects', hash.slice(0, 2), hash);
    truncateSync(file, statSync(file).size - 4_000);
    const log: string[] = [];

    const second = await createS3Service({ service, credentials, dataDir, log: (line) => log.push(line) });
    const again = new S3Client({ endpoint: second.url, region: 'us-east-1', credentials });
    try {
      expect(log).toEqual([
        `warning: ${file} holds 6000 bytes of object "cut.jpg", whose size is 10000, so it is not served. Fix: move it aside (mv "${file}" "${file}.damaged") and start again: the object is gone from bucket "damaged-photos"; upload it again`,
      ]);
      await expect(
        again.send(new GetObjectCommand({ Bucket: 'damaged-photos', Key: 'cut.jpg' })),
      ).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
      const whole = await again.send(new GetObjectCommand({ Bucket: 'damaged-photos', Key: 'whole.jpg' }));
      expect(await whole.Body?.transformToString()).toBe('whole');
    } finally {
      again.destroy();
      await second.stop();
    }
  });
});

describe("the identity issuer's signing key", () => {
  it('damaged refuses to start, naming the file and the fix, not OpenSSL’s decoder', async () => {
    const dataDir = path.join(scratch, 'identity');
    await (await createIdentityService({ port: 0, dataDir })).stop();
    const file = path.join(dataDir, 'private-key.pem');
    writeFileSync(file, '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n');

    const starting = createIdentityService({ port: 0, dataDir });

    await expect(starting).rejects.toBeInstanceOf(DamagedStateError);
    await expect(starting).rejects.toThrow(`${file} is not the identity issuer's RSA signing key (`);
    await expect(starting).rejects.toThrow(
      `Fix: move it aside (mv "${file}" "${file}.damaged") and start again: a new key is made, and tokens signed with the old one no longer verify (sign in again)`,
    );
  });

  it('damaged stops start() with the same one line', async () => {
    const servicePath = path.join(scratch, 'service');
    const keyFile = path.join(servicePath, '.local-cloud', 'identity', 'private-key.pem');
    const service: ServiceDefinition = {
      service: 'damaged-key',
      servicePath,
      provider: { region: 'us-east-1', stage: 'dev', runtime: 'nodejs24.x', binaryMediaTypes: [] },
      functions: {},
      resources: {},
      custom: {},
    };
    await (await start({ service })).stop();
    writeFileSync(keyFile, '');

    await expect(start({ service })).rejects.toThrow(
      `${keyFile} is not the identity issuer's RSA signing key (the file is empty). Fix: move it aside`,
    );
  }, 30_000);
});
