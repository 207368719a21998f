import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectsCommand,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { rejection, startS3, type S3Harness } from './s3-harness';

const BUCKET = 'objects-test-bucket';
let harness: S3Harness;

beforeAll(async () => {
  harness = await startS3();
  await harness.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(() => harness.stop());

const put = (
  Key: string,
  Body: string | Buffer,
  extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {},
) => harness.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ...extra }));

const md5 = (text: string | Buffer) => createHash('md5').update(text).digest('hex');

describe('PutObject and GetObject', () => {
  it('store the bytes and return them with the MD5 ETag in quotes', async () => {
    const output = await put('hello.txt', 'hello world');

    const object = await harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'hello.txt' }));

    expect(output.ETag).toBe(`"${md5('hello world')}"`);
    expect(object.ETag).toBe(output.ETag);
    expect(await object.Body?.transformToString()).toBe('hello world');
    expect(object.ContentLength).toBe(11);
  });

  it('keep the content type and user metadata (names in lower case, as S3 returns them)', async () => {
    await put('photo.jpg', Buffer.from([0xff, 0xd8, 0xff]), {
      ContentType: 'image/jpeg',
      Metadata: { Owner: 'alice', 'original-name': 'red flower.jpg' },
      CacheControl: 'max-age=60',
      ContentDisposition: 'inline',
    });

    const object = await harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'photo.jpg' }));

    expect(object.ContentType).toBe('image/jpeg');
    expect(object.Metadata).toEqual({ owner: 'alice', 'original-name': 'red flower.jpg' });
    expect(object.CacheControl).toBe('max-age=60');
    expect(object.ContentDisposition).toBe('inline');
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('accept a streamed body (aws-chunked with a CRC32 trailer, as the SDK sends streams)', async () => {
    const body = Buffer.alloc(100_000, 'x');

    await put(
      'streamed.bin',
      Readable.from([body.subarray(0, 40_000), body.subarray(40_000)]) as unknown as Buffer,
      {
        ContentLength: body.length,
      },
    );
    const object = await harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin' }));

    expect(object.ETag).toBe(`"${md5(body)}"`);
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('serve a byte range with 206', async () => {
    await put('digits.txt', '0123456789');

    const middle = await harness.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', Range: 'bytes=2-5' }),
    );
    const tail = await harness.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', Range: 'bytes=-3' }),
    );

    expect(middle.$metadata.httpStatusCode).toBe(206);
    expect(middle.ContentRange).toBe('bytes 2-5/10');
    expect(await middle.Body?.transformToString()).toBe('2345');
    expect(await tail.Body?.transformToString()).toBe('789');
  });

  it('refuse a range past the end with 416 InvalidRange', async () => {
    const error = await rejection(
      harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', Range: 'bytes=50-60' })),
    );

    expect(error.name).toBe('InvalidRange');
    expect(error.$metadata.httpStatusCode).toBe(416);
  });

  it('answer 304 when If-None-Match names the current ETag', async () => {
    const { ETag } = await put('cached.txt', 'v1');

    const error = await rejection(
      harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cached.txt', IfNoneMatch: ETag })),
    );

    expect(error.$metadata.httpStatusCode).toBe(304);
  });

  it('refuse a body whose checksum header does not match with 400 BadDigest, storing nothing', async () => {
    const error = await rejection(put('corrupt.txt', 'payload', { ChecksumCRC32: 'AAAAAA==' }));

    expect(error.name).toBe('BadDigest');
    expect(error.message).toBe('The CRC32 you specified did not match the calculated checksum.');
    const missing = await rejection(
      harness.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'corrupt.txt' })),
    );
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('GetObject of a missing key gives 404 NoSuchKey naming the key', async () => {
    const error = await rejection(
      harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nope.txt' })),
    );

    expect(error.name).toBe('NoSuchKey');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe('The specified key does not exist.');
  });

  it('to a missing bucket give 404 NoSuchBucket', async () => {
    const error = await rejection(
      harness.client.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })),
    );

    expect(error.name).toBe('NoSuchBucket');
    expect(error.message).toBe('The specified bucket does not exist');
  });
});

describe('HeadObject', () => {
  it('returns the metadata without the body', async () => {
    await put('head.txt', 'twelve bytes', { ContentType: 'text/plain', Metadata: { kind: 'note' } });

    const head = await harness.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head.txt' }));

    expect(head).toMatchObject({ ContentLength: 12, ContentType: 'text/plain', Metadata: { kind: 'note' } });
    expect(head.ETag).toBe(`"${md5('twelve bytes')}"`);
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it('of a missing key gives 404 NotFound', async () => {
    const error = await rejection(
      harness.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'absent' })),
    );

    expect(error.name).toBe('NotFound');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});

describe('DeleteObject and DeleteObjects', () => {
  it('remove the object (204, and again 204 once it is gone)', async () => {
    await put('doomed.txt', 'bye');

    const first = await harness.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' }));
    const second = await harness.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' }));

    expect(first.$metadata.httpStatusCode).toBe(204);
    expect(second.$metadata.httpStatusCode).toBe(204);
    const error = await rejection(
      harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' })),
    );
    expect(error.name).toBe('NoSuchKey');
  });

  it('DeleteObjects removes several keys in one request', async () => {
    await put('batch/1', 'a');
    await put('batch/2', 'b');

    const output = await harness.client.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'batch/1' }, { Key: 'batch/2' }] },
      }),
    );

    expect(output.Deleted?.map((item) => item.Key)).toEqual(['batch/1', 'batch/2']);
    const listing = await harness.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'batch/' }));
    expect(listing.KeyCount).toBe(0);
  });
});

describe('CopyObject', () => {
  it('copies bytes, content type and metadata (COPY directive)', async () => {
    await put('original.txt', 'copy me', { ContentType: 'text/plain', Metadata: { a: '1' } });

    const output = await harness.client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copies/copy.txt', CopySource: `${BUCKET}/original.txt` }),
    );
    const copy = await harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copies/copy.txt' }));

    expect(output.CopyObjectResult?.ETag).toBe(`"${md5('copy me')}"`);
    expect(await copy.Body?.transformToString()).toBe('copy me');
    expect(copy.ContentType).toBe('text/plain');
    expect(copy.Metadata).toEqual({ a: '1' });
  });

  it('replaces the metadata with the REPLACE directive', async () => {
    await harness.client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'copies/replaced.txt',
        CopySource: `${BUCKET}/original.txt`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/markdown',
        Metadata: { b: '2' },
      }),
    );

    const head = await harness.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'copies/replaced.txt' }),
    );

    expect(head.ContentType).toBe('text/markdown');
    expect(head.Metadata).toEqual({ b: '2' });
  });

  it('accepts a URL-encoded source with spaces', async () => {
    await put('with space.txt', 'spaced');

    await harness.client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'copies/spaced.txt',
        CopySource: `${BUCKET}/${encodeURIComponent('with space.txt')}`,
      }),
    );
    const copy = await harness.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'copies/spaced.txt' }),
    );

    expect(await copy.Body?.transformToString()).toBe('spaced');
  });

  it('of a missing source gives 404 NoSuchKey', async () => {
    const error = await rejection(
      harness.client.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: `${BUCKET}/missing.txt` }),
      ),
    );

    expect(error.name).toBe('NoSuchKey');
  });

  it('onto itself without REPLACE gives 400 InvalidRequest', async () => {
    const error = await rejection(
      harness.client.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'original.txt', CopySource: `${BUCKET}/original.txt` }),
      ),
    );

    expect(error.name).toBe('InvalidRequest');
  });
});

describe('ListObjectsV2', () => {
  const LIST_BUCKET = 'objects-test-listing';
  const keys = [
    'a.txt',
    'photos/2024/x.jpg',
    'photos/2024/y.jpg',
    'photos/2025/z.jpg',
    'photos/cover.jpg',
    'zeta.txt',
  ];

  beforeAll(async () => {
    await harness.client.send(new CreateBucketCommand({ Bucket: LIST_BUCKET }));
    for (const key of keys) {
      await harness.client.send(new PutObjectCommand({ Bucket: LIST_BUCKET, Key: key, Body: key }));
    }
  });

  const list = (input: Omit<ConstructorParameters<typeof ListObjectsV2Command>[0], 'Bucket'> = {}) =>
    harness.client.send(new ListObjectsV2Command({ Bucket: LIST_BUCKET, ...input }));

  it('lists every key in order with size, ETag and storage class', async () => {
    const output = await list();

    expect(output.Contents?.map((item) => item.Key)).toEqual(keys);
    expect(output.KeyCount).toBe(6);
    expect(output.IsTruncated).toBe(false);
    expect(output.Contents?.[0]).toMatchObject({
      Size: 5,
      ETag: `"${md5('a.txt')}"`,
      StorageClass: 'STANDARD',
    });
  });

  it('filters by prefix and groups by delimiter into common prefixes', async () => {
    const output = await list({ Prefix: 'photos/', Delimiter: '/' });

    expect(output.Contents?.map((item) => item.Key)).toEqual(['photos/cover.jpg']);
    expect(output.CommonPrefixes?.map((item) => item.Prefix)).toEqual(['photos/2024/', 'photos/2025/']);
    expect(output.KeyCount).toBe(3);
  });

  it('pages with max-keys and continuation tokens, every key exactly once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: ListObjectsV2CommandOutput = await list({
        MaxKeys: 4,
        ContinuationToken: token,
        Delimiter: '/',
        Prefix: 'photos/',
      });
      seen.push(
        ...(page.Contents ?? []).map((item) => item.Key ?? ''),
        ...(page.CommonPrefixes ?? []).map((item) => item.Prefix ?? ''),
      );
      token = page.NextContinuationToken;
      pages += 1;
    } while (token);
    const all: string[] = [];
    token = undefined;
    do {
      const page: ListObjectsV2CommandOutput = await list({ MaxKeys: 2, ContinuationToken: token });
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      all.push(...(page.Contents ?? []).map((item) => item.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);

    expect(pages).toBe(1);
    expect(seen.sort()).toEqual(['photos/2024/', 'photos/2025/', 'photos/cover.jpg']);
    expect(all).toEqual(keys);
  });

  it('pages over common prefixes without repeating them', async () => {
    const first = await list({ MaxKeys: 1, Delimiter: '/', Prefix: 'photos/' });
    const second = await list({
      MaxKeys: 1,
      Delimiter: '/',
      Prefix: 'photos/',
      ContinuationToken: first.NextContinuationToken,
    });

    expect(first.CommonPrefixes?.map((item) => item.Prefix)).toEqual(['photos/2024/']);
    expect(first.IsTruncated).toBe(true);
    expect(second.CommonPrefixes?.map((item) => item.Prefix)).toEqual(['photos/2025/']);
  });

  it('starts after StartAfter', async () => {
    const output = await list({ StartAfter: 'photos/cover.jpg' });

    expect(output.Contents?.map((item) => item.Key)).toEqual(['zeta.txt']);
  });

  it('ListObjects (version 1) pages with markers', async () => {
    const output = await harness.client.send(
      new ListObjectsCommand({ Bucket: LIST_BUCKET, Marker: 'photos/2025/z.jpg' }),
    );

    expect(output.Contents?.map((item) => item.Key)).toEqual(['photos/cover.jpg', 'zeta.txt']);
  });
});
