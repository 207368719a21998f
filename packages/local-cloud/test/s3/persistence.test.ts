import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CREDENTIALS, REGION, rejection, serviceDefinition, startS3, temporaryDirectory } from './s3-harness';

jest.setTimeout(30_000);

const CHILD = path.join(__dirname, '../fixtures/s3/s3-child.js');

describe('objects on disk', () => {
  it('survive a restart with their content type and metadata; deletions too', async () => {
    const { dir, remove } = temporaryDirectory('s3-restart');
    try {
      const service = serviceDefinition({ servicePath: dir });
      const first = await startS3({ service, inMemory: false });
      await first.client.send(new CreateBucketCommand({ Bucket: 'persist-test-bucket' }));
      await first.client.send(
        new PutObjectCommand({
          Bucket: 'persist-test-bucket',
          Key: 'docs/readme.md',
          Body: '# hello',
          ContentType: 'text/markdown',
          Metadata: { author: 'ada' },
        }),
      );
      await first.client.send(
        new PutObjectCommand({ Bucket: 'persist-test-bucket', Key: 'gone.txt', Body: 'x' }),
      );
      await first.client.send(new DeleteObjectCommand({ Bucket: 'persist-test-bucket', Key: 'gone.txt' }));
      await first.stop();

      const second = await startS3({ service, inMemory: false });
      try {
        const object = await second.client.send(
          new GetObjectCommand({ Bucket: 'persist-test-bucket', Key: 'docs/readme.md' }),
        );
        const listing = await second.client.send(new ListObjectsV2Command({ Bucket: 'persist-test-bucket' }));
        const buckets = await second.client.send(new ListBucketsCommand({}));

        expect(second.s3.dataDir).toBe(path.join(dir, '.local-cloud', 's3'));
        expect(await object.Body?.transformToString()).toBe('# hello');
        expect(object.ContentType).toBe('text/markdown');
        expect(object.Metadata).toEqual({ author: 'ada' });
        expect(listing.Contents?.map((item) => item.Key)).toEqual(['docs/readme.md']);
        expect(buckets.Buckets?.map((bucket) => bucket.Name)).toEqual(['persist-test-bucket']);
      } finally {
        await second.stop();
      }
    } finally {
      remove();
    }
  });

  it('that were acknowledged survive kill -9 of the process in the middle of a stream of writes', async () => {
    const { dir, remove } = temporaryDirectory('s3-kill');
    const child = spawn(process.execPath, [CHILD, dir], {
      env: {
        ...process.env,
        S3_CHILD_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        S3_CHILD_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /READY (\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`the S3 child exited (${code}) before it was ready`)));
      });
      const client = new S3Client({
        endpoint: url,
        region: REGION,
        credentials: CREDENTIALS,
        maxAttempts: 1,
      });
      await client.send(new CreateBucketCommand({ Bucket: 'kill-test-bucket' }));

      const bodies = new Map<string, Buffer>();
      const acknowledged: string[] = [];
      let killed = false;
      const writer = async (worker: number) => {
        for (let i = 0; !killed; i++) {
          const key = `stream/${worker}/${i}`;
          const body = randomBytes(8 * 1024 + ((worker * 7919 + i * 104_729) % 65_536));
          bodies.set(key, body);
          try {
            await client.send(new PutObjectCommand({ Bucket: 'kill-test-bucket', Key: key, Body: body }));
            acknowledged.push(key);
          } catch {
            return; // The process is gone: this write was never acknowledged.
          }
          if (acknowledged.length === 60) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4, 5].map(writer));
      client.destroy();
      await exited;

      const restarted = await startS3({
        service: serviceDefinition({ servicePath: dir }),
        inMemory: false,
        dataDir: dir,
      });
      try {
        const stored = await restarted.client.send(new ListObjectsV2Command({ Bucket: 'kill-test-bucket' }));
        const storedKeys = new Set(stored.Contents?.map((item) => item.Key));
        const missing = acknowledged.filter((key) => !storedKeys.has(key));
        const corrupt: string[] = [];
        for (const item of stored.Contents ?? []) {
          const object = await restarted.client.send(
            new GetObjectCommand({ Bucket: 'kill-test-bucket', Key: item.Key }),
          );
          const bytes = Buffer.from(await object.Body!.transformToByteArray());
          const expected = bodies.get(item.Key ?? '');
          if (
            !expected?.equals(bytes) ||
            object.ETag !== `"${createHash('md5').update(bytes).digest('hex')}"`
          ) {
            corrupt.push(item.Key ?? '');
          }
        }

        expect(acknowledged.length).toBeGreaterThanOrEqual(60);
        expect(missing).toEqual([]);
        expect(corrupt).toEqual([]);
      } finally {
        await restarted.stop();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      remove();
    }
  });

  it('are not read in memory mode: a second in-memory service starts empty', async () => {
    const first = await startS3();
    await first.client.send(new CreateBucketCommand({ Bucket: 'memory-test-bucket' }));
    await first.stop();

    const second = await startS3();
    const error = await rejection(
      second.client.send(new ListObjectsV2Command({ Bucket: 'memory-test-bucket' })),
    );
    await second.stop();

    expect(error.name).toBe('NoSuchBucket');
  });
});
