// An upload reaches makeThumbnail as an S3 event inside an SNS message (bucket -> topic -> function).
import '../support/env';
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { s3Event, snsEvent } from '@serverless-course/test-kit';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import sharp from 'sharp';
import { handler } from '../../../src/handlers/make-thumbnail';
import { objectBody, sdkError } from '../support/http';
import { IMAGE_ID, imageRecord } from '../support/ids';

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const management = mockClient(ApiGatewayManagementApiClient);
const { thumbnailKey: _key, ...pending } = { ...imageRecord, status: 'pending' as const };
let photo: Buffer;

function uploadOf(key: string) {
  return snsEvent({ message: s3Event({ bucket: 'images-bucket', key }) });
}

beforeAll(async () => {
  photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a7' } })
    .png()
    .toBuffer();
});

beforeEach(() => {
  dynamo.reset();
  s3.reset();
  management.reset();
  jest.spyOn(console, 'log').mockImplementation(() => {});
  jest.spyOn(console, 'warn').mockImplementation(() => {});
  dynamo
    .on(GetCommand, { TableName: 'images-table', Key: { imageId: IMAGE_ID } })
    .resolves({ Item: pending });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(ScanCommand).resolves({ Items: [{ connectionId: 'c1' }] });
  s3.on(GetObjectCommand, { Key: `images/${IMAGE_ID}` }).callsFake(() => ({ Body: objectBody(photo) }));
  s3.on(PutObjectCommand).resolves({});
  management.on(PostToConnectionCommand).resolves({});
});

describe('makeThumbnail', () => {
  it('writes a JPEG thumbnail of at most 320 px, marks the image uploaded and notifies every client', async () => {
    await handler(uploadOf(`images/${IMAGE_ID}`));

    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({
      Bucket: 'images-bucket',
      Key: `thumbnails/${IMAGE_ID}.jpeg`,
      ContentType: 'image/jpeg',
    });
    const size = await sharp(put.Body as Buffer).metadata();
    expect([size.format, size.width, size.height]).toEqual(['jpeg', 320, 213]);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { imageId: IMAGE_ID },
      ConditionExpression: 'attribute_exists(imageId)',
      ExpressionAttributeValues: { ':uploaded': 'uploaded', ':thumbnailKey': `thumbnails/${IMAGE_ID}.jpeg` },
    });
    const sent = JSON.parse(
      management.commandCalls(PostToConnectionCommand)[0]!.args[0].input.Data as string,
    ) as {
      type: string;
      image: Record<string, unknown>;
    };
    expect(sent.type).toBe('image-uploaded');
    expect(sent.image).toMatchObject({
      imageId: IMAGE_ID,
      status: 'uploaded',
      thumbnailUrl: expect.any(String) as unknown,
    });
  });

  it('gives the same thumbnail when the upload is delivered twice (idempotent)', async () => {
    await handler(uploadOf(`images/${IMAGE_ID}`));
    await handler(uploadOf(`images/${IMAGE_ID}`));

    const [first, second] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(first!.Key).toBe(second!.Key);
    expect(Buffer.compare(first!.Body as Buffer, second!.Body as Buffer)).toBe(0);
  });

  it('ignores S3 test events and keys outside images/', async () => {
    await handler(snsEvent({ message: { Service: 'Amazon S3', Event: 's3:TestEvent' } }));
    await handler(uploadOf('thumbnails/x.jpeg'));

    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('skips an upload whose image record is gone', async () => {
    dynamo.on(GetCommand).resolves({});

    await handler(uploadOf(`images/${IMAGE_ID}`));

    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('leaves the image pending when the upload is not an image, without failing (retrying cannot help)', async () => {
    s3.on(GetObjectCommand).callsFake(() => ({ Body: objectBody('not an image') }));

    await handler(uploadOf(`images/${IMAGE_ID}`));

    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
    expect(management).not.toHaveReceivedAnyCommand();
  });

  it('removes the files when the image was deleted while its thumbnail was made', async () => {
    dynamo.on(UpdateCommand).rejects(sdkError('ConditionalCheckFailedException'));

    await handler(uploadOf(`images/${IMAGE_ID}`));

    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `thumbnails/${IMAGE_ID}.jpeg` });
    expect(management).not.toHaveReceivedAnyCommand();
  });

  it('forgets a connection API Gateway reports gone, and still notifies the others', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [{ connectionId: 'gone' }, { connectionId: 'c2' }] });
    dynamo.on(DeleteCommand).resolves({});
    management
      .on(PostToConnectionCommand, { ConnectionId: 'gone' })
      .rejects(new GoneException({ message: 'gone', $metadata: {} }));

    await handler(uploadOf(`images/${IMAGE_ID}`));

    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'connections-table',
      Key: { connectionId: 'gone' },
    });
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'c2' });
  });

  it('fails (so Lambda retries the delivery) when DynamoDB is throttled', async () => {
    dynamo.on(GetCommand).rejects(sdkError('ProvisionedThroughputExceededException'));

    await expect(handler(uploadOf(`images/${IMAGE_ID}`))).rejects.toThrow('The service is busy right now');
  });
});
