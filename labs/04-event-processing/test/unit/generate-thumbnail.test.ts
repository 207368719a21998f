// Task thumbnail: the SNS subscriber that resizes an upload. S3 is mocked; the image and its resizing (sharp)
// are real, so the test can read the thumbnail's width back.
import {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { s3Event, snsEvent } from '@serverless-course/test-kit';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import sharp from 'sharp';
import { handler } from '../../src/handlers/generate-thumbnail';
import { makeJpeg } from '../support/images';

const s3 = mockClient(S3Client);
const IMAGE_ID = '0b7f6a1e-2c4d-4e8f-9a1b-3c5d7e9f1a2b';
const KEY = `images/g1/${IMAGE_ID}.jpg`;

function uploadNotification(eTag = 'etag-1', key = KEY) {
  return snsEvent({ message: s3Event({ bucket: 'images-bucket', key, eTag, size: 1234 }) });
}

function bodyOf(bytes: Buffer) {
  return { transformToByteArray: async () => new Uint8Array(bytes) } as never;
}

function thumbnailWritten(): PutObjectCommandInput {
  const [call] = s3.commandCalls(PutObjectCommand);
  if (!call) throw new Error('no thumbnail was written');
  return call.args[0].input;
}

let logged: jest.SpyInstance;

beforeEach(async () => {
  // The handler logs one outcome line per image: kept out of the test output, and checked below.
  logged = jest.spyOn(console, 'log').mockImplementation(() => {});
  s3.reset();
  process.env.THUMBNAILS_BUCKET = 'thumbnails-bucket';
  process.env.THUMBNAIL_WIDTH = '200';
  s3.on(HeadObjectCommand).rejects(
    new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }),
  );
  s3.on(GetObjectCommand, { Bucket: 'images-bucket', Key: KEY }).resolves({
    Body: bodyOf(await makeJpeg(800, 600)),
  });
  s3.on(PutObjectCommand).resolves({});
});

describe('generateThumbnail', () => {
  it('writes a 200-pixel-wide JPEG of the upload to the thumbnails bucket, keeping the aspect ratio', async () => {
    await handler(uploadNotification());

    const written = thumbnailWritten();
    expect(written).toMatchObject({
      Bucket: 'thumbnails-bucket',
      Key: `thumbnails/${IMAGE_ID}.jpg`,
      ContentType: 'image/jpeg',
    });
    const metadata = await sharp(written.Body as Uint8Array).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 200, height: 150 });
    expect(logged).toHaveBeenCalledWith(JSON.stringify({ imageId: IMAGE_ID, thumbnail: 'created' }));
  });

  it('records in the thumbnail which upload it was made from', async () => {
    await handler(uploadNotification('etag-1'));

    expect(thumbnailWritten().Metadata).toEqual({ 'source-etag': 'etag-1' });
  });

  it('reads the original named by the S3 event inside the SNS message, with its key decoded', async () => {
    const spaced = `images/g1/${IMAGE_ID}.jpg`;

    await handler(uploadNotification('etag-1', spaced));

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'images-bucket', Key: spaced });
  });

  it('does no work for an event it has already handled: same upload, same ETag', async () => {
    s3.on(HeadObjectCommand).resolves({ Metadata: { 'source-etag': 'etag-1' } });

    await handler(uploadNotification('etag-1'));

    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('makes a new thumbnail when the same key was uploaded again with other bytes', async () => {
    s3.on(HeadObjectCommand).resolves({ Metadata: { 'source-etag': 'etag-1' } });

    await handler(uploadNotification('etag-2'));

    expect(thumbnailWritten().Metadata).toEqual({ 'source-etag': 'etag-2' });
  });

  it('handled twice, the same event writes one thumbnail', async () => {
    const event = uploadNotification('etag-1');
    await handler(event);
    const written = thumbnailWritten();
    s3.on(HeadObjectCommand).resolves({ Metadata: written.Metadata });

    await handler(event);

    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it('fails the invocation when S3 refuses the read, so that Lambda retries it', async () => {
    s3.on(GetObjectCommand).rejects(new Error('SlowDown'));

    await expect(handler(uploadNotification())).rejects.toThrow('SlowDown');
  });

  // BEGIN HIDDEN TESTS
  it('does not enlarge an image narrower than the thumbnail width', async () => {
    s3.on(GetObjectCommand).resolves({ Body: bodyOf(await makeJpeg(120, 80)) });

    await handler(uploadNotification());

    const metadata = await sharp(thumbnailWritten().Body as Uint8Array).metadata();
    expect(metadata.width).toBe(120);
  });
  // END HIDDEN TESTS
});
