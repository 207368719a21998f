import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbImageRepository } from '../../src/images/dynamodb-image-repository';
import type { Image } from '../../src/images/image';

const dynamo = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const image: Image = {
  imageId: 'image-1',
  userId: 'alice',
  title: 'Sunset',
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
};

beforeEach(() => {
  dynamo.reset();
});

describe('DynamoDbImageRepository', () => {
  it('gets an image by its id, or undefined', async () => {
    dynamo.on(GetCommand, { Key: { imageId: 'image-1' } }).resolves({ Item: image });
    dynamo.on(GetCommand, { Key: { imageId: 'nope' } }).resolves({});
    const images = new DynamoDbImageRepository(documents, 'images-table');

    await expect(images.get('image-1')).resolves.toEqual(image);
    await expect(images.get('nope')).resolves.toBeUndefined();
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { TableName: 'images-table' });
  });

  it('saves and removes images in its table', async () => {
    const images = new DynamoDbImageRepository(documents, 'images-table');

    await images.save(image);
    await images.remove('image-1');

    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'images-table', Item: image });
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'images-table',
      Key: { imageId: 'image-1' },
    });
  });
});
