// The Kinesis event source on its own, with in-process functions: a stream created after the source started is
// read from its start, and a stream deleted stops its readers.
import { eventually } from '@serverless-course/test-kit';
import { createKinesisEventSource } from '../../src/event-sources/kinesis/kinesis-source';
import type { KinesisMapping } from '../../src/event-sources/kinesis/kinesis-mappings';
import { KinesisStreams, streamArn } from '../../src/services/kinesis/kinesis-streams';
import { FakeLambdaService } from '../support/fake-lambda-service';

const mapping = (name: string, extra: Partial<KinesisMapping> = {}): KinesisMapping => ({
  functionKey: 'fn',
  source: 'functions.fn.events[0].stream',
  streamArn: streamArn('us-east-1', '123456789012', name),
  batchSize: 10,
  batchWindowMs: 0,
  bisectBatchOnFunctionError: false,
  maximumRetryAttempts: -1,
  reportBatchItemFailures: false,
  startingPosition: 'LATEST',
  parallelizationFactor: 1,
  tumblingWindowMs: 0,
  filterPatterns: [],
  ...extra,
});

describe('the Kinesis event source', () => {
  it('reads a stream created after it started from its first record', async () => {
    const seen: string[] = [];
    const lambda = new FakeLambdaService({
      fn: {
        handler: (event) => {
          for (const record of (event as { Records: { kinesis: { data: string } }[] }).Records) {
            seen.push(Buffer.from(record.kinesis.data, 'base64').toString());
          }
          return Promise.resolve(null);
        },
      },
    });
    const streams = new KinesisStreams({ region: 'us-east-1', accountId: '123456789012' }, []);
    const source = createKinesisEventSource({
      lambda,
      streams,
      mappings: [mapping('late-source')],
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::123456789012:role/test',
    });
    try {
      const stream = streams.createStream({
        name: 'late-source',
        mode: 'PROVISIONED',
        shardCount: 1,
        retentionHours: 24,
      });
      streams.put(stream, { partitionKey: 'k', data: Buffer.from('first').toString('base64') }, false);
      streams.put(stream, { partitionKey: 'k', data: Buffer.from('second').toString('base64') });
      await eventually(() => seen.length === 2);
      expect(seen).toEqual(['first', 'second']);

      streams.deleteStream(stream);
      const again = streams.createStream({
        name: 'late-source',
        mode: 'PROVISIONED',
        shardCount: 1,
        retentionHours: 24,
      });
      streams.put(again, { partitionKey: 'k', data: Buffer.from('third').toString('base64') });
      await eventually(() => seen.length === 3);
      expect(seen[2]).toBe('third');
    } finally {
      await source.stop();
    }
  });
});
