// Task upload-url: the image record and its presigned PUT. The DynamoDB client is mocked; the URL is signed
// for real (signing is local computation) and read back parameter by parameter.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbGroupRepository } from '../../src/adapters/dynamodb-group-repository';
import { DynamoDbImageRepository } from '../../src/adapters/dynamodb-image-repository';
import { S3UploadSigner } from '../../src/adapters/s3-upload-signer';
import { createImage, type CreateImageDependencies } from '../../src/core/create-image';
import { NotFoundError } from '../../src/core/errors';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
});
const NOW = new Date('2026-03-01T10:00:00.000Z');
const IMAGE_ID = '5f0c9a52-6d3e-4f4c-9a57-0d5f2b1e8c11';

function dependencies(overrides: Partial<CreateImageDependencies> = {}): CreateImageDependencies {
  return {
    groups: new DynamoDbGroupRepository(documents, 'groups'),
    images: new DynamoDbImageRepository(documents, 'images'),
    signer: new S3UploadSigner(s3, 'images-bucket'),
    newId: () => IMAGE_ID,
    now: () => NOW,
    uploadUrlExpiresSeconds: 120,
    ...overrides,
  };
}

beforeEach(() => {
  dynamo.reset();
  dynamo
    .on(GetCommand, { TableName: 'groups', Key: { groupId: 'g1' } })
    .resolves({ Item: { groupId: 'g1' } });
  dynamo.on(PutCommand).resolves({});
});

describe('createImage', () => {
  it('saves the image of an existing group under an upload key made of the group and image ids', async () => {
    const created = await createImage(dependencies(), {
      groupId: 'g1',
      title: 'Sunset',
      contentType: 'image/jpeg',
    });

    const image = {
      groupId: 'g1',
      imageId: IMAGE_ID,
      timestamp: '2026-03-01T10:00:00.000Z',
      title: 'Sunset',
      contentType: 'image/jpeg',
      key: `images/g1/${IMAGE_ID}.jpg`,
    };
    expect(created.image).toEqual(image);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'images', Item: image });
  });

  it('presigns a PUT of that key in the images bucket, expiring after the configured number of seconds', async () => {
    const { uploadUrl, uploadUrlExpiresAt } = await createImage(dependencies(), {
      groupId: 'g1',
      title: 'Sunset',
      contentType: 'image/png',
    });

    const url = new URL(uploadUrl);
    expect(`${url.hostname}${url.pathname}`).toBe(
      `images-bucket.s3.us-east-1.amazonaws.com/images/g1/${IMAGE_ID}.png`,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(uploadUrlExpiresAt).toBe('2026-03-01T10:02:00.000Z');
  });

  it('binds the content type to the signature, so an upload of another type is refused', async () => {
    const { uploadUrl } = await createImage(dependencies(), {
      groupId: 'g1',
      title: 'Sunset',
      contentType: 'image/jpeg',
    });

    const signedHeaders = new URL(uploadUrl).searchParams.get('X-Amz-SignedHeaders')?.split(';');
    expect(signedHeaders).toContain('content-type');
    expect(signedHeaders).toContain('host');
  });

  it('takes the expiry from its configuration', async () => {
    const { uploadUrl } = await createImage(dependencies({ uploadUrlExpiresSeconds: 900 }), {
      groupId: 'g1',
      title: 'Sunset',
      contentType: 'image/jpeg',
    });

    expect(new URL(uploadUrl).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('answers 404 for a group that does not exist, and saves nothing', async () => {
    dynamo.on(GetCommand).resolves({});

    const creating = createImage(dependencies(), {
      groupId: 'nope',
      title: 'Sunset',
      contentType: 'image/jpeg',
    });

    await expect(creating).rejects.toThrow(NotFoundError);
    await expect(creating).rejects.toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('POST /groups') as unknown,
    });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  // BEGIN HIDDEN TESTS
  it('refuses an expiry longer than the 7 days SigV4 allows', async () => {
    const creating = createImage(dependencies({ uploadUrlExpiresSeconds: 604_801 }), {
      groupId: 'g1',
      title: 'Sunset',
      contentType: 'image/jpeg',
    });

    await expect(creating).rejects.toThrow(/604800/);
  });
  // END HIDDEN TESTS
});
