// The images table's stream keeps the MiniSearch index (an S3 object) current, reporting failures per item.
import '../support/env';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { dynamoDbStreamEvent } from '@serverless-course/test-kit';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import MiniSearch from 'minisearch';
import { handler } from '../../../src/handlers/index-images';
import { sdkError } from '../support/http';
import { GROUP_ID, IMAGE_ID, OTHER_ID, imageRecord } from '../support/ids';

const s3 = mockClient(S3Client);

function savedIndex(): MiniSearch<{ imageId: string }> {
  const body = s3.commandCalls(PutObjectCommand).at(-1)!.args[0].input.Body as string;
  return MiniSearch.loadJSON(body, { idField: 'imageId', fields: ['title'] });
}

beforeEach(() => {
  s3.reset();
  jest.spyOn(console, 'warn').mockImplementation(() => {});
  s3.on(HeadObjectCommand).rejects(sdkError('NotFound'));
  s3.on(GetObjectCommand).rejects(sdkError('NoSuchKey'));
  s3.on(PutObjectCommand).resolves({});
});

describe('indexImages', () => {
  it('indexes inserted images and drops removed ones, in one write of the index', async () => {
    const other = { ...imageRecord, imageId: OTHER_ID, title: 'Happy dog' };
    const event = dynamoDbStreamEvent({
      records: [
        { eventName: 'INSERT', keys: { imageId: IMAGE_ID }, newImage: imageRecord },
        { eventName: 'INSERT', keys: { imageId: OTHER_ID }, newImage: other },
        { eventName: 'REMOVE', keys: { imageId: OTHER_ID }, oldImage: other },
      ],
    });

    const result = await handler(event);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'search-bucket',
      Key: 'search/images.json',
    });
    expect(
      savedIndex()
        .search('sleepy')
        .map((hit) => String(hit.id)),
    ).toEqual([IMAGE_ID]);
    expect(savedIndex().search('dog')).toEqual([]);
  });

  it('re-indexes a modified image under its new title', async () => {
    const event = dynamoDbStreamEvent({
      records: [
        { eventName: 'INSERT', keys: { imageId: IMAGE_ID }, newImage: imageRecord },
        {
          eventName: 'MODIFY',
          keys: { imageId: IMAGE_ID },
          oldImage: imageRecord,
          newImage: { ...imageRecord, title: 'Grumpy cat' },
        },
      ],
    });

    await handler(event);

    expect(
      savedIndex()
        .search('grumpy')
        .map((hit) => String(hit.id)),
    ).toEqual([IMAGE_ID]);
    expect(savedIndex().search('sleepy')).toEqual([]);
  });

  it('reports every record as failed when the index cannot be saved, so the stream retries them', async () => {
    s3.on(PutObjectCommand).rejects(sdkError('SlowDown'));
    const event = dynamoDbStreamEvent({
      records: [{ eventName: 'INSERT', keys: { imageId: IMAGE_ID }, newImage: imageRecord }],
    });

    const result = await handler(event);

    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[0]!.dynamodb!.SequenceNumber },
    ]);
  });

  it('skips records that do not describe an image rather than blocking the shard', async () => {
    const event = dynamoDbStreamEvent({
      records: [
        {
          eventName: 'INSERT',
          keys: { imageId: IMAGE_ID },
          newImage: { imageId: IMAGE_ID, groupId: GROUP_ID },
        },
      ],
    });

    const result = await handler(event);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(s3).not.toHaveReceivedAnyCommand();
  });
});
