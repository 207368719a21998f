// One shard of one event source mapping, consumed as Lambda's event source mapping consumes it: poll the
// shard (every pollIntervalMs while it is idle), gather a batch (batchSize, batchWindow), and hand it to the
// batch delivery shared with the Kinesis source (batch-delivery.ts: synchronous invocation, retries, bisecting,
// partial batch responses, giving up), moving on only once the batch is done, so records reach the function in
// the shard's order.
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
import type { LambdaService } from '../../lambda/lambda-service';
import {
  BatchDelivery,
  Stopped,
  takeBatch,
  type BatchOutcome,
  type Invocation,
  type StreamTiming,
} from './batch-delivery';
import { streamFailureRecord, type StreamFailureRecord } from './failure-record';
import type { StreamMapping } from './stream-mappings';
import { toLambdaRecord, type ReadRecord } from './stream-records';

export type { BatchOutcome, StreamTiming } from './batch-delivery';

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

export class ShardConsumer {
  private iterator: string | undefined;
  private closed = false;
  private lastReadSequence: string | undefined;
  private readonly buffer: ReadRecord[] = [];
  private bufferedSince = 0;
  private loop: Promise<void> | undefined;
  private readonly delivery: BatchDelivery<ReadRecord>;

  constructor(
    private readonly context: ShardConsumerContext,
    readonly shardId: string,
    private readonly startAt: 'LATEST' | 'TRIM_HORIZON',
  ) {
    const { mapping } = context;
    this.delivery = new BatchDelivery<ReadRecord>({
      settings: {
        functionKey: context.fn.key,
        bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
        maximumRetryAttempts: mapping.maximumRetryAttempts,
        reportBatchItemFailures: mapping.reportBatchItemFailures,
      },
      lambda: context.lambda,
      timing: context.timing,
      signal: context.signal,
      onAttempt: (records, invocation, retries, extra) => this.report(records, invocation, retries, extra),
      onGiveUp: (records, invokes, last) => this.giveUp(records, invokes, last),
    });
  }

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
    const batch = takeBatch(this.buffer, mapping.batchSize);
    await this.delivery.deliver(batch);
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

  private giveUp(records: ReadRecord[], invokes: number, last: Invocation | undefined): void {
    this.context.onGiveUp(
      streamFailureRecord({
        requestId: last?.requestId ?? '',
        functionArn: this.context.functionArn,
        invokeCount: invokes,
        functionError: last?.outcome === 'function-error',
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
    extra: { bisected?: boolean },
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

  private throwIfStopped(): void {
    this.delivery.throwIfStopped();
  }

  private sleep(ms: number): Promise<void> {
    return this.delivery.sleep(ms);
  }
}
