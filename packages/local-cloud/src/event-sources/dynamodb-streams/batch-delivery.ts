// How Lambda's event source mappings for streams (DynamoDB Streams, Kinesis) deliver one batch of one shard:
// invoke the function synchronously, and move on only once the batch succeeded or was given up, so records
// reach the function in the shard's order and a failing batch blocks the shard (a poison record blocks it until
// it is retried out). Shared by both stream sources; each reads its shards its own way.
//
// On a function error the whole batch is retried (after a wait that grows from retryDelayMs to
// maxRetryDelayMs); with bisectBatchOnFunctionError it is split in two first, which does not count as a retry.
// With ReportBatchItemFailures, the records before the lowest reported sequence number are done and the rest
// are retried. After maximumRetryAttempts retries (-1: never) the batch is given up (described to the on-failure
// destination) and skipped; records older than maximumRecordAge are given up before an attempt. A throttled or
// impossible invocation is retried without counting.
import { functionErrorText } from '../../lambda/function-errors';
import {
  SYNC_PAYLOAD_LIMIT_BYTES,
  TooManyRequestsError,
  type LambdaService,
} from '../../lambda/lambda-service';
import { isRecord } from '../../cloudformation/values';

export interface StreamTiming {
  pollIntervalMs: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

export type BatchOutcome =
  'success' | 'function-error' | 'partial-failure' | 'invalid-response' | 'throttled' | 'invoke-failed';

/** A record as a stream source read it, with what delivery needs beside it. */
export interface DeliveredRecord {
  /** What goes in the event's `Records`. */
  record: unknown;
  sequenceNumber: string;
  /** When the stream took it, ms since the epoch. */
  createdAtMs: number;
  /** Its size as JSON in the event, to keep a batch under Lambda's 6 MB. */
  sizeBytes: number;
}

export interface DeliverySettings {
  functionKey: string;
  bisectBatchOnFunctionError: boolean;
  /** -1: unlimited. */
  maximumRetryAttempts: number;
  reportBatchItemFailures: boolean;
  /** Records older than this are given up instead of retried; undefined: never. */
  maximumRecordAgeMs?: number;
}

export interface Invocation {
  outcome: BatchOutcome;
  requestId?: string;
  error?: string;
  /** partial-failure: index of the first record to retry. */
  failedIndex?: number;
  /** The function's response, parsed when it is JSON (a tumbling window's state). */
  response?: unknown;
}

/** Why a batch was given up, as the on-failure record's `condition` says. */
export type GiveUpCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface BatchDeliveryContext<R extends DeliveredRecord> {
  settings: DeliverySettings;
  lambda: LambdaService;
  timing: StreamTiming;
  signal: AbortSignal;
  /** The event of a batch; `{"Records":[...]}` unless given. */
  payload?: (records: R[]) => string;
  /**
   * Why a successful invocation's response fails the batch after all (a tumbling window's response without
   * `state`), else undefined.
   */
  checkResponse?: (response: unknown) => string | undefined;
  /** After every invocation (or attempt) with a batch. */
  onAttempt: (records: R[], invocation: Invocation, retries: number, extra: { bisected?: boolean }) => void;
  /** A batch given up: `last` is the last attempt (none when the records aged out before one). */
  onGiveUp: (records: R[], invokes: number, last: Invocation | undefined, condition: GiveUpCondition) => void;
  now?: () => number;
}

/** Thrown inside delivery when the source stops; the consumer's loop ends on it. */
export class Stopped extends Error {}

export class BatchDelivery<R extends DeliveredRecord> {
  constructor(private readonly context: BatchDeliveryContext<R>) {}

  /**
   * Resolves once every record of the batch succeeded or was given up, with the last successful invocation
   * (undefined when none succeeded).
   */
  async deliver(records: R[], inheritedRetries = 0, inheritedInvokes = 0): Promise<Invocation | undefined> {
    const { settings } = this.context;
    let pending = records;
    let retries = inheritedRetries;
    let invokes = inheritedInvokes;
    let waits = 0;
    for (;;) {
      this.throwIfStopped();
      pending = this.withoutAged(pending, invokes);
      if (pending.length === 0) return undefined;
      const invocation = await this.invoke(pending);
      const report = (extra: { bisected?: boolean } = {}) =>
        this.context.onAttempt(pending, invocation, retries, extra);
      if (invocation.outcome === 'throttled' || invocation.outcome === 'invoke-failed') {
        report();
        waits += 1;
        await this.sleep(this.retryDelay(waits));
        continue;
      }
      invokes += 1;
      if (invocation.outcome === 'success') {
        report();
        return invocation;
      }
      if (
        invocation.outcome === 'function-error' &&
        settings.bisectBatchOnFunctionError &&
        pending.length > 1
      ) {
        report({ bisected: true });
        const half = Math.ceil(pending.length / 2);
        const first = await this.deliver(pending.slice(0, half), retries, invokes);
        const second = await this.deliver(pending.slice(half), retries, invokes);
        return second ?? first;
      }
      report();
      if (invocation.outcome === 'partial-failure') pending = pending.slice(invocation.failedIndex);
      retries += 1;
      if (settings.maximumRetryAttempts >= 0 && retries > settings.maximumRetryAttempts) {
        this.context.onGiveUp(pending, invokes, invocation, 'RetryAttemptsExhausted');
        return undefined;
      }
      await this.sleep(this.retryDelay(retries));
    }
  }

  throwIfStopped(): void {
    if (this.context.signal.aborted) throw new Stopped();
  }

  sleep(ms: number): Promise<void> {
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

  /** Gives up the records older than maximumRecordAge; returns the others. */
  private withoutAged(records: R[], invokes: number): R[] {
    const maxAge = this.context.settings.maximumRecordAgeMs;
    if (maxAge === undefined) return records;
    const now = (this.context.now ?? Date.now)();
    const aged = records.filter((record) => now - record.createdAtMs > maxAge);
    if (aged.length === 0) return records;
    this.context.onGiveUp(aged, invokes, undefined, 'RecordAgeExceeded');
    return records.filter((record) => now - record.createdAtMs <= maxAge);
  }

  private async invoke(records: R[]): Promise<Invocation> {
    const { lambda, settings } = this.context;
    const payload =
      this.context.payload?.(records) ??
      `{"Records":[${records.map((record) => JSON.stringify(record.record)).join(',')}]}`;
    let result;
    try {
      result = await lambda.invoke({ functionName: settings.functionKey, payload });
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
    const response = parseJson(result.payload);
    const refused = this.context.checkResponse?.(response);
    if (refused !== undefined)
      return { outcome: 'invalid-response', requestId, error: refused, failedIndex: 0 };
    if (!settings.reportBatchItemFailures) return { outcome: 'success', requestId, response };
    return { ...batchItemFailures(response, records), requestId, response };
  }

  private retryDelay(attempt: number): number {
    const { retryDelayMs, maxRetryDelayMs } = this.context.timing;
    return Math.min(maxRetryDelayMs, retryDelayMs * 2 ** Math.max(0, attempt - 1));
  }
}

/** The next batch of a buffer: up to batchSize records, and no more than Lambda's 6 MB request limit. */
export function takeBatch<R extends DeliveredRecord>(buffer: readonly R[], batchSize: number): R[] {
  const envelope = Buffer.byteLength('{"Records":[]}');
  let size = envelope;
  let count = 0;
  for (const record of buffer) {
    if (count >= batchSize) break;
    if (count > 0 && size + record.sizeBytes + 1 > SYNC_PAYLOAD_LIMIT_BYTES) break;
    size += record.sizeBytes + 1;
    count += 1;
  }
  return buffer.slice(0, count);
}

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/**
 * How Lambda reads a ReportBatchItemFailures response (developer guide, "Configuring partial batch response
 * with DynamoDB and Lambda"): no failures (an empty or null list, an empty or null response) is a success;
 * an empty, null or unknown itemIdentifier makes the whole batch a failure; otherwise the lowest reported
 * sequence number is where the retry starts.
 */
function batchItemFailures(response: unknown, records: readonly DeliveredRecord[]): Invocation {
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
