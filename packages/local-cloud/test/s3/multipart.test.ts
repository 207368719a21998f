// Multipart uploads as the AWS CLI makes them (`aws s3 cp` of 8 MB and more) and as the SDK does part by
// part: the object is whole, its ETag is S3's multipart one, and S3's rules on parts hold.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { localCredentials } from '../../src/endpoints';
import { createS3Service, type S3Service } from '../../src/services/s3/s3-service';
import { serviceDefinition } from '../support/function-definition';

const run = promisify(execFile);
const credentials = localCredentials({});
const BUCKET = 'multipart-uploads';
let scratch: string;
let s3: S3Service;
let client: S3Client;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-multipart-'));
  s3 = await createS3Service({
    service: serviceDefinition({
      service: 'multipart',
      servicePath: scratch,
      resources: { Uploads: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } } },
    }),
    credentials,
    dataDir: path.join(scratch, 's3'),
  });
  client = new S3Client({ endpoint: s3.url, region: 'us-east-1', credentials });
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const aws = (...args: string[]) =>
  run('aws', [...args, '--endpoint-url', s3.url], {
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    },
    maxBuffer: 16 * 1024 * 1024,
  });

describe('multipart uploads', () => {
  it('carry a 64 MB file up and down through aws s3 cp, whole, under the multipart ETag', async () => {
    const original = path.join(scratch, 'big.bin');
    const copy = path.join(scratch, 'copy.bin');
    const bytes = randomBytes(64 * 1024 * 1024);
    writeFileSync(original, bytes);

    await aws('s3', 'cp', original, `s3://${BUCKET}/big.bin`);
    await aws('s3', 'cp', `s3://${BUCKET}/big.bin`, copy);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }));

    expect(createHash('md5').update(readFileSync(copy)).digest('hex')).toBe(
      createHash('md5').update(bytes).digest('hex'),
    );
    expect(head.ContentLength).toBe(bytes.length);
    // The CLI's parts are 8 MB: eight of them.
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-8"$/);
  }, 60_000);

  it('refuse a part under 5 MB unless it is the last, and an aborted upload is gone', async () => {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'small.bin' }),
    );
    const parts = [];
    for (const PartNumber of [1, 2]) {
      const { ETag } = await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: 'small.bin',
          UploadId,
          PartNumber,
          Body: Buffer.alloc(1024, PartNumber),
        }),
      );
      parts.push({ PartNumber, ETag });
    }

    await expect(
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: 'small.bin',
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    ).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'small.bin', UploadId }));
    await expect(
      client.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: 'small.bin', UploadId, PartNumber: 3, Body: 'late' }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('list the parts of an upload in progress, and the uploads in progress, for the SDK and the AWS CLI', async () => {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'listed.bin' }),
    );
    for (const PartNumber of [2, 1]) {
      await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: 'listed.bin',
          UploadId,
          PartNumber,
          Body: Buffer.alloc(PartNumber * 100),
        }),
      );
    }

    const { Parts } = await client.send(
      new ListPartsCommand({ Bucket: BUCKET, Key: 'listed.bin', UploadId }),
    );
    const { Uploads } = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    const listed = JSON.parse(
      (await aws('s3api', 'list-multipart-uploads', '--bucket', BUCKET, '--output', 'json')).stdout,
    ) as {
      Uploads: { Key: string; UploadId: string }[];
    };
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'listed.bin', UploadId }));

    expect(Parts?.map(({ PartNumber, Size }) => ({ PartNumber, Size }))).toEqual([
      { PartNumber: 1, Size: 100 },
      { PartNumber: 2, Size: 200 },
    ]);
    expect(Uploads?.map(({ Key, UploadId: id }) => ({ Key, id }))).toEqual([
      { Key: 'listed.bin', id: UploadId },
    ]);
    expect(listed.Uploads.map((upload) => upload.Key)).toEqual(['listed.bin']);
  });

  it('join one part, the last being allowed to be small, in the order listed', async () => {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'one.txt', ContentType: 'text/plain' }),
    );
    const { ETag } = await client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: 'one.txt',
        UploadId,
        PartNumber: 1,
        Body: 'just one part',
      }),
    );

    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'one.txt',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
      }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'one.txt' }));

    expect(completed.ETag).toMatch(/^"[0-9a-f]{32}-1"$/);
    expect(head).toMatchObject({ ContentLength: 13, ContentType: 'text/plain', ETag: completed.ETag });
  });
});
