// One shard of one event source mapping, consumed as Lambda's event source mapping consumes it: poll the
// shard (every pollIntervalMs while it is idle), invoke the function synchronously with a batch, and move on
// only once the batch succeeded or was given up, so records reach the function in the shard's order and a
// failing batch blocks the shard (a poison record blocks it until it is retried out).
//
// On a function error the whole batch is retried (after a wait that grows from retryDelayMs to
// maxRetryDelayMs); with bisectBatchOnFunctionError it is split in two first, which does not count as a
// retry. With ReportBatchItemFailures, the records before the lowest reported sequence number are done and
// the rest are retried. After maximumRetryAttempts retries (-1: never) the batch is described to the
// on-failure destination and skipped. A throttled or impossible invocation is retried without counting.
import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { FunctionDefinition } from '../../config/service-definition';
import {
  SYNC_PAYLOAD_LIMIT_BYTES,
  TooManyRequestsError,
  type LambdaService,
} from '../../lambda/lambda-service';
import { isRecord } from '../../cloudformation/values';
import { streamFailureRecord, type StreamFailureRecord } from './failure-record';
import type { StreamMapping } from './stream-mappings';
import { toLambdaRecord, type ReadRecord } from './stream-records';
import { functionErrorText } from '../../lambda/function-errors';

export interface StreamTiming {
  pollIntervalMs: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

export type BatchOutcome =
  'success' | 'function-error' | 'partial-failure' | 'invalid-response' | 'throttled' | 'invoke-failed';

/** One invocation (or attempted invocation) of a mapping's function with a batch. */
export interface StreamBatchReport {
  functionKey: string;
  tableName: string;
  shardId: string;
  streamArn: string;
  outcome: BatchOutcome;
  /** Records in the batch, first and last sequence numbers. */
  size: number;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  /** The invocation's request id; absent when it never ran (throttled, invoke-failed). */
  requestId?: string;
  /** Counted retries of these records so far (bisecting and throttles do not count). */
  retries: number;
  /** What went wrong, one line. */
  error?: string;
  /** True when the batch is split in two next (bisectBatchOnFunctionError). */
  bisected?: boolean;
}

export interface ShardConsumerContext {
  mapping: StreamMapping;
  fn: FunctionDefinition;
  functionArn: string;
  lambda: LambdaService;
  streams: DynamoDBStreamsClient;
  /** The ARN DynamoDB Local knows the stream by (for API calls). */
  localStreamArn: string;
  /** The ARN as AWS formats it (in events and failure records). */
  streamArn: string;
  region: string;
  timing: StreamTiming;
  signal: AbortSignal;
  onBatch: (report: StreamBatchReport) => void;
  /** Gives up a batch: hands its description on for the destination. */
  onGiveUp: (record: StreamFailureRecord) => void;
  /** Something unexpected while consuming (the consumer carries on). */
  onError: (error: Error) => void;
}

interface Invocation {
  outcome: BatchOutcome;
  requestId?: string;
  error?: string;
  /** partial-failure: index of the first record to retry. */
  failedIndex?: number;
}

/** Thrown inside the loop when the poller stops; never escapes it. */
class Stopped extends Error {}

export class ShardConsumer {
  private iterator: string | undefined;
  private closed = false;
  private lastReadSequence: string | undefined;
  private readonly buffer: ReadRecord[] = [];
  private bufferedSince = 0;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly context: ShardConsumerContext,
    readonly shardId: string,
    private readonly startAt: 'LATEST' | 'TRIM_HORIZON',
  ) {}

  /** Takes the starting iterator (so LATEST is fixed from now on), then consumes in the background. */
  async start(): Promise<void> {
    this.iterator = await this.shardIterator(this.startAt);
    if (this.iterator === undefined) this.closed = true;
    this.loop = this.run();
  }

  /** Resolves once the shard is finished (closed and fully delivered) or the poller stopped. */
  get finished(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    for (;;) {
      try {
        if ((await this.step()) === 'finished') return;
      } catch (error) {
        if (error instanceof Stopped) return;
        // Unexpected (DynamoDB Local unreachable for a moment): the batch stays buffered and is tried again.
        this.context.onError(error as Error);
        try {
          await this.sleep(this.context.timing.pollIntervalMs);
        } catch {
          return;
        }
      }
    }
  }

  private async step(): Promise<'finished' | 'continue'> {
    const { mapping, timing } = this.context;
    this.throwIfStopped();
    let fetched = 0;
    if (!this.closed && this.buffer.length < mapping.batchSize) fetched = await this.fetch();
    if (this.buffer.length === 0) {
      if (this.closed) return 'finished';
      await this.sleep(timing.pollIntervalMs);
      return 'continue';
    }
    const waited = Date.now() - this.bufferedSince;
    if (this.buffer.length < mapping.batchSize && !this.closed && waited < mapping.batchWindowMs) {
      if (fetched === 0) await this.sleep(Math.min(timing.pollIntervalMs, mapping.batchWindowMs - waited));
      return 'continue';
    }
    const batch = this.takeBatch();
    await this.deliver(batch, 0, 0);
    this.buffer.splice(0, batch.length);
    return 'continue';
  }

  /** Reads what the shard has after the buffer; the number of records read. */
  private async fetch(): Promise<number> {
    const { streams, region, streamArn, mapping } = this.context;
    try {
      const response = await streams.send(
        new GetRecordsCommand({
          ShardIterator: this.iterator,
          Limit: Math.min(1000, mapping.batchSize - this.buffer.length),
        }),
        { abortSignal: this.context.signal },
      );
      const records = (response.Records ?? []).map((record) => toLambdaRecord(record, { region, streamArn }));
      if (records.length > 0 && this.buffer.length === 0) this.bufferedSince = Date.now();
      this.buffer.push(...records);
      this.lastReadSequence = records[records.length - 1]?.sequenceNumber ?? this.lastReadSequence;
      this.iterator = response.NextShardIterator;
      if (this.iterator === undefined) this.closed = true;
      return records.length;
    } catch (error) {
      this.throwIfStopped();
      if (error instanceof ExpiredIteratorException) {
        // A batch retried for longer than an iterator lives (15 minutes): continue after what was read.
        this.iterator = await this.shardIterator(
          this.lastReadSequence ? 'AFTER_SEQUENCE_NUMBER' : this.startAt,
          this.lastReadSequence,
        );
      } else if (error instanceof TrimmedDataAccessException) {
        this.iterator = await this.shardIterator('TRIM_HORIZON');
      } else if (error instanceof ResourceNotFoundException) {
        // The table (and its stream) was deleted: nothing more will come from this shard.
        this.closed = true;
      } else {
        await this.sleep(this.context.timing.pollIntervalMs);
      }
      if (this.iterator === undefined) this.closed = true;
      return 0;
    }
  }

  private async shardIterator(type: ShardIteratorType, sequenceNumber?: string): Promise<string | undefined> {
    try {
      const response = await this.context.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.context.localStreamArn,
          ShardId: this.shardId,
          ShardIteratorType: type,
          ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
        }),
        { abortSignal: this.context.signal },
      );
      return response.ShardIterator;
    } catch (error) {
      this.throwIfStopped();
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  /** The next batch: up to batchSize records, and no more than Lambda's 6 MB request limit. */
  private takeBatch(): ReadRecord[] {
    const envelope = Buffer.byteLength('{"Records":[]}');
    let size = envelope;
    let count = 0;
    for (const record of this.buffer) {
      if (count >= this.context.mapping.batchSize) break;
      if (count > 0 && size + record.sizeBytes + 1 > SYNC_PAYLOAD_LIMIT_BYTES) break;
      size += record.sizeBytes + 1;
      count += 1;
    }
    return this.buffer.slice(0, count);
  }

  /** Resolves once every record of the batch succeeded or was given up. */
  private async deliver(
    records: ReadRecord[],
    inheritedRetries: number,
    inheritedInvokes: number,
  ): Promise<void> {
    const { mapping } = this.context;
    let pending = records;
    let retries = inheritedRetries;
    let invokes = inheritedInvokes;
    let waits = 0;
    for (;;) {
      this.throwIfStopped();
      const invocation = await this.invoke(pending);
      const report = (extra: Partial<StreamBatchReport> = {}) =>
        this.report(pending, invocation, retries, extra);
      if (invocation.outcome === 'throttled' || invocation.outcome === 'invoke-failed') {
        report();
        waits += 1;
        await this.sleep(this.retryDelay(waits));
        continue;
      }
      invokes += 1;
      if (invocation.outcome === 'success') {
        report();
        return;
      }
      if (
        invocation.outcome === 'function-error' &&
        mapping.bisectBatchOnFunctionError &&
        pending.length > 1
      ) {
        report({ bisected: true });
        const half = Math.ceil(pending.length / 2);
        await this.deliver(pending.slice(0, half), retries, invokes);
        await this.deliver(pending.slice(half), retries, invokes);
        return;
      }
      report();
      if (invocation.outcome === 'partial-failure') pending = pending.slice(invocation.failedIndex);
      retries += 1;
      if (mapping.maximumRetryAttempts >= 0 && retries > mapping.maximumRetryAttempts) {
        this.giveUp(pending, invokes, invocation);
        return;
      }
      await this.sleep(this.retryDelay(retries));
    }
  }

  private async invoke(records: ReadRecord[]): Promise<Invocation> {
    const { lambda, fn, mapping } = this.context;
    const payload = `{"Records":[${records.map((record) => JSON.stringify(record.record)).join(',')}]}`;
    let result;
    try {
      result = await lambda.invoke({ functionName: fn.key, payload });
    } catch (error) {
      this.throwIfStopped();
      return {
        outcome: error instanceof TooManyRequestsError ? 'throttled' : 'invoke-failed',
        error: `${(error as Error).name}: ${(error as Error).message}`,
      };
    }
    const requestId = result.report.requestId;
    if (result.functionError) {
      return { outcome: 'function-error', requestId, error: functionErrorText(result.payload) };
    }
    if (!mapping.reportBatchItemFailures) return { outcome: 'success', requestId };
    return { ...batchItemFailures(result.payload, records), requestId };
  }

  private giveUp(records: ReadRecord[], invokes: number, last: Invocation): void {
    this.context.onGiveUp(
      streamFailureRecord({
        requestId: last.requestId ?? '',
        functionArn: this.context.functionArn,
        invokeCount: invokes,
        functionError: last.outcome === 'function-error',
        shardId: this.shardId,
        streamArn: this.context.streamArn,
        records,
        now: new Date(),
      }),
    );
  }

  private report(
    records: ReadRecord[],
    invocation: Invocation,
    retries: number,
    extra: Partial<StreamBatchReport>,
  ): void {
    const { mapping, streamArn } = this.context;
    this.context.onBatch({
      functionKey: mapping.functionKey,
      tableName: mapping.tableName,
      shardId: this.shardId,
      streamArn,
      outcome: invocation.outcome,
      size: records.length,
      firstSequenceNumber: records[0]?.sequenceNumber ?? '',
      lastSequenceNumber: records[records.length - 1]?.sequenceNumber ?? '',
      retries,
      ...(invocation.requestId ? { requestId: invocation.requestId } : {}),
      ...(invocation.error ? { error: invocation.error } : {}),
      ...extra,
    });
  }

  private retryDelay(attempt: number): number {
    const { retryDelayMs, maxRetryDelayMs } = this.context.timing;
    return Math.min(maxRetryDelayMs, retryDelayMs * 2 ** Math.max(0, attempt - 1));
  }

  private throwIfStopped(): void {
    if (this.context.signal.aborted) throw new Stopped();
  }

  private sleep(ms: number): Promise<void> {
    const { signal } = this.context;
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    }).then(() => this.throwIfStopped());
  }
}

/**
 * How Lambda reads a ReportBatchItemFailures response (developer guide, "Configuring partial batch response
 * with DynamoDB and Lambda"): no failures (an empty or null list, an empty or null response) is a success;
 * an empty, null or unknown itemIdentifier makes the whole batch a failure; otherwise the lowest reported
 * sequence number is where the retry starts.
 */
function batchItemFailures(payload: string, records: ReadRecord[]): Invocation {
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return { outcome: 'success' };
  }
  if (
    !isRecord(response) ||
    response.batchItemFailures === undefined ||
    response.batchItemFailures === null
  ) {
    return { outcome: 'success' };
  }
  const failures = response.batchItemFailures;
  if (!Array.isArray(failures)) {
    return { outcome: 'invalid-response', failedIndex: 0, error: 'batchItemFailures is not a list' };
  }
  if (failures.length === 0) return { outcome: 'success' };
  const indexes = failures.map((failure) => {
    const id = isRecord(failure) ? failure.itemIdentifier : undefined;
    return typeof id === 'string' && id !== ''
      ? records.findIndex((record) => record.sequenceNumber === id)
      : -1;
  });
  if (indexes.some((index) => index < 0)) {
    return {
      outcome: 'invalid-response',
      failedIndex: 0,
      error: `batchItemFailures has an itemIdentifier that is not a sequence number of the batch: ${JSON.stringify(failures)}`,
    };
  }
  const failedIndex = Math.min(...indexes);
  return {
    outcome: 'partial-failure',
    failedIndex,
    error: `batch item failure at ${records[failedIndex]?.sequenceNumber}`,
  };
}
