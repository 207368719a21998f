// The batch delivery Kinesis and DynamoDB stream sources share, with an in-process function: records older than
// maximumRecordAge are given up (RecordAgeExceeded) before an attempt, and a response the source refuses (a
// tumbling window's without `state`) counts as a failed attempt.
import {
  BatchDelivery,
  type DeliveredRecord,
  type GiveUpCondition,
} from '../../src/event-sources/dynamodb-streams/batch-delivery';
import { FakeLambdaService } from '../support/fake-lambda-service';

const record = (sequenceNumber: string, createdAtMs: number): DeliveredRecord => ({
  record: { sequenceNumber },
  sequenceNumber,
  createdAtMs,
  sizeBytes: 20,
});

function delivery(
  handler: (event: unknown) => Promise<unknown>,
  settings: { maximumRecordAgeMs?: number; maximumRetryAttempts?: number },
  extra: { checkResponse?: (response: unknown) => string | undefined; now?: () => number } = {},
) {
  const lambda = new FakeLambdaService({ fn: { handler } });
  const givenUp: { sequenceNumbers: string[]; condition: GiveUpCondition; invokes: number }[] = [];
  const outcomes: string[] = [];
  const batches = new BatchDelivery<DeliveredRecord>({
    settings: {
      functionKey: 'fn',
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: settings.maximumRetryAttempts ?? -1,
      reportBatchItemFailures: false,
      maximumRecordAgeMs: settings.maximumRecordAgeMs,
    },
    lambda,
    timing: { pollIntervalMs: 1, retryDelayMs: 1, maxRetryDelayMs: 1 },
    signal: new AbortController().signal,
    onAttempt: (_records, invocation) => outcomes.push(invocation.outcome),
    onGiveUp: (records, invokes, _last, condition) =>
      givenUp.push({ sequenceNumbers: records.map((item) => item.sequenceNumber), condition, invokes }),
    ...extra,
  });
  return { batches, lambda, givenUp, outcomes };
}

describe('stream batch delivery', () => {
  it('gives up records older than maximumRecordAge without invoking with them', async () => {
    const now = 1_000_000;
    const { batches, lambda, givenUp } = delivery(
      () => Promise.resolve(null),
      { maximumRecordAgeMs: 60_000 },
      {
        now: () => now,
      },
    );
    await batches.deliver([record('1', now - 61_000), record('2', now - 1_000)]);
    expect(givenUp).toEqual([{ sequenceNumbers: ['1'], condition: 'RecordAgeExceeded', invokes: 0 }]);
    expect(lambda.invocations.map((invocation) => JSON.parse(invocation.payload) as unknown)).toEqual([
      { Records: [{ sequenceNumber: '2' }] },
    ]);
  });

  it('lets records age out while a failing batch is retried', async () => {
    let now = 1_000_000;
    const { batches, givenUp, outcomes } = delivery(
      () => {
        now += 30_000;
        return Promise.reject(new Error('down'));
      },
      { maximumRecordAgeMs: 60_000 },
      { now: () => now },
    );
    await batches.deliver([record('1', now)]);
    expect(outcomes).toEqual(['function-error', 'function-error', 'function-error']);
    expect(givenUp).toEqual([{ sequenceNumbers: ['1'], condition: 'RecordAgeExceeded', invokes: 3 }]);
  });

  it('counts a refused response as a failed attempt', async () => {
    const { batches, givenUp, outcomes } = delivery(
      () => Promise.resolve({ noState: true }),
      { maximumRetryAttempts: 1 },
      {
        checkResponse: (response) =>
          response && typeof response === 'object' && 'state' in response ? undefined : 'no state',
      },
    );
    await batches.deliver([record('1', Date.now())]);
    expect(outcomes).toEqual(['invalid-response', 'invalid-response']);
    expect(givenUp).toEqual([{ sequenceNumbers: ['1'], condition: 'RetryAttemptsExhausted', invokes: 2 }]);
  });
});
