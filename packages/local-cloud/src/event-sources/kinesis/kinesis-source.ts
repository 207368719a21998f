// The Kinesis `stream` event source: what Lambda's event source mapping does for a Kinesis stream ("Using
// Lambda with Kinesis Data Streams"). Every shard of the stream is read from the mapping's starting position
// (LATEST, TRIM_HORIZON, AT_TIMESTAMP) in order; a child shard (UpdateShardCount) starts once its parents are
// read and delivered to their end, which keeps each partition key's order. Records are read from local-cloud's
// Kinesis service in this process as they arrive: nothing polls.
//
// With parallelizationFactor N, a shard's records are spread over N lanes by the hash of their partition key,
// and each lane delivers its own batches, so up to N batches of a shard are in flight and a partition key's
// records still arrive in order. Records no filter pattern matches are skipped. A lane gathers up to
// batchSize records within the batching window and hands the batch to the delivery shared with DynamoDB
// streams (../dynamodb-streams/batch-delivery.ts: retries, bisecting, partial batch responses, record age,
// giving up). A given-up batch is described to destinations.onFailure through the platform's deliver(). With a
// tumbling window, a batch holds records of one window, each invocation gets the state the previous one
// returned, and the window ends with a final invocation (isFinalInvokeForWindow) once its time is over.
import type { LambdaService } from '../../lambda/lambda-service';
import type { DeliverToTarget } from '../../platform/targets';
import { partitionKeyHash } from '../../services/kinesis/shard-hashing';
import type { KinesisStreams, Shard, Stream } from '../../services/kinesis/kinesis-streams';
import { isRecord } from '../../common/records';
import { matchesAnyPattern } from '../sqs/filter';
import {
  BatchDelivery,
  Stopped,
  takeBatch,
  type BatchOutcome,
  type GiveUpCondition,
  type Invocation,
  type StreamTiming,
} from '../dynamodb-streams/batch-delivery';
import { deliverFailureRecord, type StreamBatchFailure } from '../dynamodb-streams/failure-delivery';
import { kinesisFailureRecord, type KinesisFailureRecord } from '../dynamodb-streams/failure-record';
import type { KinesisMapping } from './kinesis-mappings';
import { toLambdaRecord, type KinesisDelivered } from './kinesis-records';

export interface KinesisEventSourceOptions {
  lambda: LambdaService;
  streams: KinesisStreams;
  mappings: KinesisMapping[];
  region: string;
  /** The functions' execution role, as records' invokeIdentityArn. */
  roleArn: string;
  /** Hands a given-up batch's description to its destination (the platform's deliver). */
  deliver?: DeliverToTarget;
  /** Waits before retries: retryDelayMs doubling up to maxRetryDelayMs. */
  timing?: Partial<StreamTiming>;
  onBatch?: (report: KinesisBatchReport) => void;
  onFailure?: (failure: KinesisBatchFailure) => void;
  onWarning?: (line: string) => void;
}

/** One invocation (or attempted invocation) of a mapping's function. */
export interface KinesisBatchReport {
  functionKey: string;
  streamArn: string;
  shardId: string;
  outcome: BatchOutcome;
  size: number;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  retries: number;
  requestId?: string;
  error?: string;
  bisected?: boolean;
  /** A tumbling window's final invocation. */
  finalInvokeForWindow?: boolean;
}

/** A given-up batch of a stream: its record has KinesisBatchInfo. */
export type KinesisBatchFailure = StreamBatchFailure<KinesisFailureRecord>;

export interface KinesisEventSource {
  mappings: KinesisMapping[];
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 5_000;

export function createKinesisEventSource(options: KinesisEventSourceOptions): KinesisEventSource {
  const controller = new AbortController();
  const timing: StreamTiming = {
    pollIntervalMs: options.timing?.pollIntervalMs ?? 1000,
    retryDelayMs: options.timing?.retryDelayMs ?? 500,
    maxRetryDelayMs: options.timing?.maxRetryDelayMs ?? 10_000,
  };
  const runners = options.mappings.map(
    (mapping) => new MappingRunner(mapping, options, timing, controller.signal),
  );
  runners.forEach((runner) => runner.start());
  let stopping: Promise<void> | undefined;
  return {
    mappings: options.mappings,
    stop: () => {
      stopping ??= (async () => {
        controller.abort();
        runners.forEach((runner) => runner.unsubscribe());
        await Promise.race([
          Promise.allSettled(runners.map((runner) => runner.finished())),
          new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref()),
        ]);
      })();
      return stopping;
    },
  };
}

/** Wakes whoever waits on it; a wait also ends after `ms`, or when the source stops. */
class Signal {
  private waiters = new Set<() => void>();

  constructor(private readonly abort: AbortSignal) {}

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    waiters.forEach((wake) => wake());
  }

  wait(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.abort.aborted) return resolve();
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        this.abort.removeEventListener('abort', done);
        resolve();
      };
      if (ms !== undefined) timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
      this.abort.addEventListener('abort', done);
    });
  }
}

/** One mapping: follows its stream (created, deleted, resharded) and runs a reader per shard. */
class MappingRunner {
  private stream: Stream | undefined;
  private readers = new Map<string, ShardReader>();
  private finishedShards = new Set<string>();
  /** Shards that start at the mapping's starting position: those there at start-up. Others: TRIM_HORIZON. */
  private fromStartingPosition = new Set<string>();
  private started = false;
  unsubscribe: () => void = () => {};

  constructor(
    readonly mapping: KinesisMapping,
    readonly options: KinesisEventSourceOptions,
    readonly timing: StreamTiming,
    readonly signal: AbortSignal,
  ) {}

  start(): void {
    this.unsubscribe = this.options.streams.onChange((stream) => {
      if (stream.arn === this.mapping.streamArn) this.refresh();
    });
    this.refresh();
    this.started = true;
  }

  async finished(): Promise<void> {
    await Promise.allSettled([...this.readers.values()].map((reader) => reader.done));
  }

  private refresh(): void {
    if (this.signal.aborted) return;
    const stream = this.options.streams.findByArn(this.mapping.streamArn);
    if (stream !== this.stream) {
      // A new stream (or one deleted and created again) is read from its start.
      this.readers.forEach((reader) => reader.wake());
      this.readers = new Map();
      this.finishedShards = new Set();
      this.fromStartingPosition = new Set(
        stream && !this.started ? stream.shards.map((shard) => shard.shardId) : [],
      );
      this.stream = stream;
    }
    if (!stream) return;
    for (const shard of stream.shards) {
      const reader = this.readers.get(shard.shardId);
      if (reader) {
        reader.wake();
        continue;
      }
      const parents = [shard.parentShardId, shard.adjacentParentShardId].filter(
        (parent): parent is string =>
          parent !== undefined && stream.shards.some((candidate) => candidate.shardId === parent),
      );
      if (parents.some((parent) => !this.finishedShards.has(parent))) continue;
      const fresh = new ShardReader(this, stream, shard, this.fromStartingPosition.has(shard.shardId));
      this.readers.set(shard.shardId, fresh);
      void fresh.done.then(() => {
        if (this.stream !== stream || this.signal.aborted) return;
        this.finishedShards.add(shard.shardId);
        // Its children may start now.
        this.refresh();
      });
    }
  }

  giveUp(
    shardId: string,
    records: KinesisDelivered[],
    invokes: number,
    last: Invocation | undefined,
    condition: GiveUpCondition,
  ): void {
    const { options, mapping } = this;
    const fn = options.lambda.findFunction(mapping.functionKey);
    const record = kinesisFailureRecord({
      requestId: last?.requestId ?? '',
      functionArn: fn ? options.lambda.functionArn(fn) : mapping.functionKey,
      invokeCount: invokes,
      functionError: last?.outcome === 'function-error',
      shardId,
      streamArn: mapping.streamArn,
      records,
      now: new Date(),
      condition,
    });
    const failure: KinesisBatchFailure = {
      functionKey: mapping.functionKey,
      source: `${mapping.streamArn} (${condition})`,
      batchSize: record.KinesisBatchInfo.batchSize,
      attempts: record.requestContext.approximateInvokeCount,
      record,
    };
    const destination = mapping.onFailure;
    if (destination) {
      failure.destination = destination.arn;
      failure.delivery = deliverFailureRecord(destination, record, options.deliver);
    }
    options.onFailure?.(failure);
  }
}

/** One shard: reads its records in order and spreads them over the lanes. */
class ShardReader {
  readonly done: Promise<void>;
  /** Every record is read and in a lane (the shard is closed and read to its end, or the stream is gone). */
  exhausted = false;
  private position: number;
  private readonly lanes: Lane[];
  private readonly signal: Signal;

  constructor(
    readonly runner: MappingRunner,
    readonly stream: Stream,
    readonly shard: Shard,
    fromStartingPosition: boolean,
  ) {
    const { mapping, options } = runner;
    this.signal = new Signal(runner.signal);
    this.position = options.streams.positionOf(
      stream,
      shard,
      fromStartingPosition
        ? { type: mapping.startingPosition, timestamp: mapping.startingPositionTimestampMs }
        : { type: 'TRIM_HORIZON' },
    );
    this.lanes = Array.from({ length: mapping.parallelizationFactor }, () => new Lane(this));
    this.done = this.run();
  }

  wake(): void {
    this.signal.notify();
  }

  private async run(): Promise<void> {
    const { mapping, options, signal } = this.runner;
    const lanes = this.lanes.map((lane) => lane.run());
    const capacity = mapping.batchSize * 2;
    const context = {
      shardId: this.shard.shardId,
      region: options.region,
      streamArn: mapping.streamArn,
      roleArn: options.roleArn,
    };
    while (!signal.aborted) {
      if (!options.streams.isLive(this.stream)) {
        this.lanes.forEach((lane) => lane.drop());
        break;
      }
      const room = Math.min(...this.lanes.map((lane) => capacity - lane.size));
      if (room > 0) {
        const read = options.streams.recordsFrom(this.stream, this.shard, this.position, room);
        for (const stored of read) {
          this.position = stored.counter + 1;
          if (!matches(mapping.filterPatterns, stored.data)) continue;
          const record = toLambdaRecord(stored, context);
          const lane = this.lanes[Number(partitionKeyHash(stored.partitionKey) % BigInt(this.lanes.length))]!;
          lane.push(record);
        }
        if (read.length === room) continue;
        if (this.shard.closed && this.position >= this.shard.nextCounter) break;
      }
      await this.signal.wait();
    }
    this.exhausted = true;
    this.lanes.forEach((lane) => lane.wake());
    await Promise.allSettled(lanes);
  }
}

/** Kinesis filtering reads `data` only, as JSON: a record whose data is not JSON matches no pattern. */
function matches(patterns: Record<string, unknown>[], data: string): boolean {
  if (patterns.length === 0) return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return false;
  }
  return matchesAnyPattern(patterns, { data: parsed });
}

/** Records of one shard for some partition keys, delivered batch after batch. */
class Lane {
  private buffer: KinesisDelivered[] = [];
  private bufferedSince = 0;
  private readonly signal: Signal;
  private readonly delivery: BatchDelivery<KinesisDelivered>;
  /** The open tumbling window: its start (ms) and the state the function last returned. */
  private window: { start: number; state: unknown } | undefined;

  constructor(private readonly reader: ShardReader) {
    const { runner } = reader;
    const { mapping } = runner;
    this.signal = new Signal(runner.signal);
    this.delivery = new BatchDelivery<KinesisDelivered>({
      settings: {
        functionKey: mapping.functionKey,
        bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
        maximumRetryAttempts: mapping.maximumRetryAttempts,
        reportBatchItemFailures: mapping.reportBatchItemFailures,
        maximumRecordAgeMs: mapping.maximumRecordAgeMs,
      },
      lambda: runner.options.lambda,
      timing: runner.timing,
      signal: runner.signal,
      ...(mapping.tumblingWindowMs > 0
        ? {
            payload: (records: KinesisDelivered[]) => this.windowPayload(records, false),
            checkResponse: (response: unknown) =>
              isRecord(response) && response.state !== undefined
                ? undefined
                : 'a function with a tumbling window must return { state }',
          }
        : {}),
      onAttempt: (records, invocation, retries, extra) => this.report(records, invocation, retries, extra),
      onGiveUp: (records, invokes, last, condition) =>
        runner.giveUp(reader.shard.shardId, records, invokes, last, condition),
    });
  }

  get size(): number {
    return this.buffer.length;
  }

  push(record: KinesisDelivered): void {
    if (this.buffer.length === 0) this.bufferedSince = Date.now();
    this.buffer.push(record);
    this.signal.notify();
  }

  wake(): void {
    this.signal.notify();
  }

  /** The stream is gone: what is buffered is not delivered. */
  drop(): void {
    this.buffer = [];
  }

  async run(): Promise<void> {
    try {
      await this.loop();
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
    }
  }

  private async loop(): Promise<void> {
    const { mapping, signal } = this.reader.runner;
    const windowMs = mapping.tumblingWindowMs;
    while (!signal.aborted) {
      if (this.buffer.length === 0) {
        if (this.window && (this.reader.exhausted || Date.now() >= this.window.start + windowMs)) {
          await this.endWindow();
          continue;
        }
        if (this.reader.exhausted) return;
        await this.signal.wait(this.window ? this.window.start + windowMs - Date.now() : undefined);
        continue;
      }
      const waited = Date.now() - this.bufferedSince;
      if (
        this.buffer.length < mapping.batchSize &&
        !this.reader.exhausted &&
        waited < mapping.batchWindowMs
      ) {
        await this.signal.wait(mapping.batchWindowMs - waited);
        continue;
      }
      let batch = takeBatch(this.buffer, mapping.batchSize);
      if (windowMs > 0) {
        const start = Math.floor(batch[0]!.createdAtMs / windowMs) * windowMs;
        if (this.window && this.window.start !== start) {
          await this.endWindow();
          continue;
        }
        this.window ??= { start, state: {} };
        batch = batch.filter((record) => Math.floor(record.createdAtMs / windowMs) * windowMs === start);
      }
      const invocation = await this.delivery.deliver(batch);
      if (this.window && isRecord(invocation?.response) && invocation.response.state !== undefined) {
        this.window.state = invocation.response.state;
      }
      this.buffer.splice(0, batch.length);
      this.bufferedSince = Date.now();
      this.reader.wake();
    }
  }

  /** The tumbling window's final invocation, retried until it succeeds, as Lambda does. */
  private async endWindow(): Promise<void> {
    const { lambda, mapping } = {
      lambda: this.reader.runner.options.lambda,
      mapping: this.reader.runner.mapping,
    };
    let attempt = 0;
    for (;;) {
      this.delivery.throwIfStopped();
      const payload = this.windowPayload([], true);
      let invocation: Invocation;
      try {
        const result = await lambda.invoke({ functionName: mapping.functionKey, payload });
        invocation = result.functionError
          ? { outcome: 'function-error', requestId: result.report.requestId, error: result.payload }
          : { outcome: 'success', requestId: result.report.requestId };
      } catch (error) {
        this.delivery.throwIfStopped();
        invocation = { outcome: 'invoke-failed', error: (error as Error).message };
      }
      this.report([], invocation, attempt, { finalInvokeForWindow: true });
      if (invocation.outcome === 'success') break;
      attempt += 1;
      const { retryDelayMs, maxRetryDelayMs } = this.reader.runner.timing;
      await this.delivery.sleep(Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (attempt - 1)));
    }
    this.window = undefined;
  }

  private windowPayload(records: KinesisDelivered[], final: boolean): string {
    const window = this.window!;
    const windowMs = this.reader.runner.mapping.tumblingWindowMs;
    return JSON.stringify({
      Records: records.map((record) => record.record),
      window: { start: isoSeconds(window.start), end: isoSeconds(window.start + windowMs) },
      state: window.state,
      shardId: this.reader.shard.shardId,
      eventSourceARN: this.reader.runner.mapping.streamArn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: false,
    });
  }

  private report(
    records: KinesisDelivered[],
    invocation: Invocation,
    retries: number,
    extra: { bisected?: boolean; finalInvokeForWindow?: boolean },
  ): void {
    const { mapping, options } = this.reader.runner;
    options.onBatch?.({
      functionKey: mapping.functionKey,
      streamArn: mapping.streamArn,
      shardId: this.reader.shard.shardId,
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
}

/** `2020-12-09T07:04:00Z`. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
