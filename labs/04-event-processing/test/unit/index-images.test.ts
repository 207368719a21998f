// Task stream-failures: the Images stream's consumer reports the records it cannot index as batch item
// failures, applies the rest, and fails the whole batch only when the index itself cannot be written.
import { dynamoDbStreamEvent, type StreamRecordOptions } from '@serverless-course/test-kit';
import { indexImages } from '../../src/handlers/index-images';
import { MemorySearchIndex } from '../support/memory-search-index';

const TIMESTAMP = '2026-03-01T10:00:00.000Z';

function insert(imageId: string, title: unknown): StreamRecordOptions {
  const image = { groupId: 'g1', timestamp: TIMESTAMP, imageId, title };
  return { eventName: 'INSERT', keys: { groupId: 'g1', timestamp: TIMESTAMP }, newImage: image };
}

function modify(imageId: string, title: string): StreamRecordOptions {
  const image = { groupId: 'g1', timestamp: TIMESTAMP, imageId, title };
  return {
    eventName: 'MODIFY',
    keys: { groupId: 'g1', timestamp: TIMESTAMP },
    newImage: image,
    oldImage: image,
  };
}

function remove(imageId: string): StreamRecordOptions {
  const image = { groupId: 'g1', timestamp: TIMESTAMP, imageId, title: 'x' };
  return { eventName: 'REMOVE', keys: { groupId: 'g1', timestamp: TIMESTAMP }, oldImage: image };
}

function document(imageId: string, title: string) {
  return { imageId, groupId: 'g1', title, timestamp: TIMESTAMP };
}

let index: MemorySearchIndex;

beforeEach(() => {
  index = new MemorySearchIndex();
  jest.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('indexImages', () => {
  it('applies a batch of inserts, modifications and removals in one write, in stream order', async () => {
    const event = dynamoDbStreamEvent({
      records: [insert('i1', 'Sunset'), modify('i2', 'Lake'), remove('i3')],
    });

    const response = await indexImages(index, event);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(index.applied).toEqual([
      [
        { type: 'upsert', document: document('i1', 'Sunset') },
        { type: 'upsert', document: document('i2', 'Lake') },
        { type: 'remove', imageId: 'i3' },
      ],
    ]);
  });

  it('reports a poison record by its sequence number and still indexes the rest of the batch', async () => {
    const event = dynamoDbStreamEvent({
      records: [insert('i1', 'Sunset'), insert('i2', 42), insert('i3', 'Lake')],
    });
    const poison = event.Records[1]?.dynamodb?.SequenceNumber;

    const response = await indexImages(index, event);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison }] });
    expect(index.applied).toEqual([
      [
        { type: 'upsert', document: document('i1', 'Sunset') },
        { type: 'upsert', document: document('i3', 'Lake') },
      ],
    ]);
  });

  it('holds back later records of the poisoned image, so its changes are never applied out of order', async () => {
    const event = dynamoDbStreamEvent({
      records: [insert('i1', 42), modify('i1', 'Sunset'), insert('i2', 'Lake')],
    });
    const [first, second] = event.Records.map((record) => record.dynamodb?.SequenceNumber);

    const response = await indexImages(index, event);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: first }, { itemIdentifier: second }]);
    expect(index.applied).toEqual([[{ type: 'upsert', document: document('i2', 'Lake') }]]);
  });

  it('reports a record without an image id', async () => {
    const event = dynamoDbStreamEvent({
      records: [
        { eventName: 'INSERT', keys: { groupId: 'g1', timestamp: TIMESTAMP }, newImage: { groupId: 'g1' } },
      ],
    });

    const response = await indexImages(index, event);

    expect(response.batchItemFailures).toHaveLength(1);
  });

  it('fails the whole invocation when the index cannot be written, so that Lambda retries the batch', async () => {
    index.failure = new Error('SlowDown: Please reduce your request rate.');
    const event = dynamoDbStreamEvent({ records: [insert('i1', 'Sunset')] });

    await expect(indexImages(index, event)).rejects.toThrow('SlowDown');
  });

  // BEGIN HIDDEN TESTS
  it('reports every record of a batch that is all poison, in order', async () => {
    const event = dynamoDbStreamEvent({ records: [insert('i1', 1), insert('i2', 2)] });

    const response = await indexImages(index, event);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      event.Records.map((record) => record.dynamodb?.SequenceNumber),
    );
  });
  // END HIDDEN TESTS
});
