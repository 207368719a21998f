// The S3-backed adapters: image storage (presigned URLs, originals, thumbnails) and the MiniSearch index.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { INDEX_KEY, MiniSearchSearchIndex } from '../../../src/adapters/minisearch-search-index';
import { S3ImageStorage } from '../../../src/adapters/s3-image-storage';
import { ServiceUnavailableError } from '../../../src/core/errors';
import { objectBody, sdkError } from '../support/http';
import { GROUP_ID, IMAGE_ID, OTHER_ID } from '../support/ids';

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
});
const s3 = mockClient(S3Client);

beforeEach(() => {
  s3.reset();
  jest.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('S3ImageStorage', () => {
  const storage = new S3ImageStorage(client, 'images');

  it('presigns a 5-minute PUT that signs the content type', async () => {
    const url = new URL(await storage.uploadUrl(IMAGE_ID, 'image/webp'));

    expect(url.host).toBe('images.s3.us-east-1.amazonaws.com');
    expect(url.pathname).toBe(`/images/${IMAGE_ID}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
  });

  it('presigns a 1-hour GET', async () => {
    const url = new URL(await storage.readUrl(`thumbnails/${IMAGE_ID}.jpeg`));

    expect(url.pathname).toBe(`/thumbnails/${IMAGE_ID}.jpeg`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('knows which keys are originals', () => {
    expect(storage.imageIdOf(`images/${IMAGE_ID}`)).toBe(IMAGE_ID);
    expect(storage.imageIdOf(`thumbnails/${IMAGE_ID}.jpeg`)).toBeUndefined();
    expect(storage.imageIdOf('images/')).toBeUndefined();
    expect(storage.imageIdOf('images/a/b')).toBeUndefined();
  });

  it('reads an original, or undefined when it is not there', async () => {
    s3.on(GetObjectCommand, { Key: `images/${IMAGE_ID}` }).resolves({ Body: objectBody('bytes') });
    s3.on(GetObjectCommand, { Key: `images/${OTHER_ID}` }).rejects(sdkError('NoSuchKey'));

    expect((await storage.readOriginal(IMAGE_ID))?.toString()).toBe('bytes');
    expect(await storage.readOriginal(OTHER_ID)).toBeUndefined();
  });

  it('reports a throttled read as ServiceUnavailableError', async () => {
    s3.on(GetObjectCommand).rejects(sdkError('SlowDown'));

    await expect(storage.readOriginal(IMAGE_ID)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('writes the thumbnail under a key derived from the image id', async () => {
    s3.on(PutObjectCommand).resolves({});

    const key = await storage.writeThumbnail(IMAGE_ID, Buffer.from('jpeg'), 'image/jpeg');

    expect(key).toBe(`thumbnails/${IMAGE_ID}.jpeg`);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'images',
      Key: key,
      ContentType: 'image/jpeg',
    });
  });

  it('removes the original and the thumbnail', async () => {
    s3.on(DeleteObjectCommand).resolves({});

    await storage.remove(IMAGE_ID);

    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `images/${IMAGE_ID}` });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `thumbnails/${IMAGE_ID}.jpeg` });
  });
});

describe('MiniSearchSearchIndex', () => {
  const upsert = (id: string, imageId: string, title: string) => ({
    id,
    kind: 'upsert' as const,
    document: { imageId, groupId: GROUP_ID, title },
  });

  it('starts an index when there is none, and saves it as JSON', async () => {
    s3.on(GetObjectCommand).rejects(sdkError('NoSuchKey'));
    s3.on(PutObjectCommand).resolves({});
    const index = new MiniSearchSearchIndex(client, 'search');

    const failed = await index.apply([upsert('1', IMAGE_ID, 'Red flower')]);

    expect(failed).toEqual([]);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'search',
      Key: INDEX_KEY,
      ContentType: 'application/json',
    });
  });

  it('finds by prefix and with typos, and reads the object again only when its ETag changes', async () => {
    s3.on(GetObjectCommand).rejects(sdkError('NoSuchKey'));
    s3.on(PutObjectCommand).resolves({});
    const writer = new MiniSearchSearchIndex(client, 'search');
    await writer.apply([upsert('1', IMAGE_ID, 'Red flower'), upsert('2', OTHER_ID, 'Blue sky')]);
    const saved = s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body as string;
    s3.reset();
    s3.on(GetObjectCommand).callsFake(() => ({ Body: objectBody(saved), ETag: '"v1"' }));
    s3.on(HeadObjectCommand).resolves({ ETag: '"v1"' });
    const reader = new MiniSearchSearchIndex(client, 'search');

    expect(await reader.search('flow', 10)).toEqual([IMAGE_ID]);
    expect(await reader.search('flowr', 10)).toEqual([IMAGE_ID]);
    expect(await reader.search('red sky', 10)).toEqual([]);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  it('reports every change as not applied when the index cannot be saved', async () => {
    s3.on(GetObjectCommand).rejects(sdkError('NoSuchKey'));
    s3.on(PutObjectCommand).rejects(sdkError('InternalError'));
    const index = new MiniSearchSearchIndex(client, 'search');

    const failed = await index.apply([
      upsert('1', IMAGE_ID, 'a'),
      { id: '2', kind: 'remove', imageId: OTHER_ID },
    ]);

    expect(failed).toEqual(['1', '2']);
  });

  it('reports a throttled read as ServiceUnavailableError', async () => {
    s3.on(GetObjectCommand).rejects(sdkError('SlowDown'));

    await expect(new MiniSearchSearchIndex(client, 'search').search('x', 1)).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
  });
});
