// The `sqs` event source: what Lambda's event source mapping does for a queue ("Using Lambda with Amazon
// SQS"). It receives batches (long polling: it sleeps until a message arrives, never busy-polls), gathers up to
// batchSize within the batching window, invokes the function synchronously with the SQS event, and then:
// deletes the batch on success; leaves it on a function error, so the messages come back after the queue's
// visibility timeout and go to its dead-letter queue after maxReceiveCount receives; with
// ReportBatchItemFailures, deletes all but the messages the function names in batchItemFailures (an invalid
// response fails the whole batch). Messages no filter pattern matches are deleted without invoking. A FIFO
// queue hands out a message group's messages in order and none while one is in flight, so batches keep the
// group order. Up to five batches per mapping are in flight at once, as Lambda starts with five pollers; one
// receiver gathers them.
import type { LambdaService } from '../../lambda/lambda-service';
import { isRecord } from '../../common/records';
import type { Queue, ReceivedMessage, SqsQueues } from '../../services/sqs/sqs-service';
import { matchesAnyPattern } from './filter';
import type { SqsMapping } from './sqs-mappings';
import { functionErrorText } from '../../lambda/function-errors';

export const POLLERS_PER_MAPPING = 5;
/** Long polling's longest wait, as the pollers use it. */
const WAIT_TIME_SECONDS = 20;

export interface SqsEventSourceOptions {
  lambda: LambdaService;
  queues: SqsQueues;
  mappings: SqsMapping[];
  region: string;
  log?: (line: string) => void;
  /** Called with every batch's outcome, for tests and the log. */
  onBatch?: (report: SqsBatchReport) => void;
}

export interface SqsBatchReport {
  functionKey: string;
  queueArn: string;
  messageIds: string[];
  outcome: 'success' | 'function-error' | 'partial-failure' | 'invalid-response' | 'invoke-failed';
  /** The messages left on the queue to come back. */
  failedMessageIds: string[];
  error?: string;
}

export interface SqsEventSource {
  stop(): Promise<void>;
}

export function createSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const abort = new AbortController();
  const loops = options.mappings.map((mapping) => pollLoop(mapping, options, abort.signal));
  return {
    stop: async () => {
      abort.abort();
      // Invocations under way finish on their own (the runtime is stopped after the event sources).
      await Promise.allSettled(loops);
    },
  };
}

/**
 * One mapping: one receiver gathers batches (so a batching window is not raced by other receivers), and up to
 * POLLERS_PER_MAPPING invocations run at once.
 */
async function pollLoop(
  mapping: SqsMapping,
  options: SqsEventSourceOptions,
  signal: AbortSignal,
): Promise<void> {
  const { queues } = options;
  const inFlight = new Set<Promise<void>>();
  while (!signal.aborted) {
    if (inFlight.size >= POLLERS_PER_MAPPING) {
      await Promise.race(inFlight);
      continue;
    }
    const queue = queues.findByArn(mapping.queueArn);
    if (!queue) {
      await queueCreated(queues, signal);
      continue;
    }
    const batch = await gather(queue, mapping, queues, signal);
    if (batch.length === 0) continue;
    const delivery: Promise<void> = deliver(queue, batch, mapping, options)
      .catch((error: unknown) => options.log?.(`${mapping.functionKey}: ${(error as Error).message}`))
      .finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
  }
}

function queueCreated(queues: SqsQueues, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      unwatch();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const unwatch = queues.watchQueues(done);
    signal.addEventListener('abort', done);
  });
}

/** One batch: waits for the first message, then gathers up to batchSize until the window closes. */
async function gather(
  queue: Queue,
  mapping: SqsMapping,
  queues: SqsQueues,
  signal: AbortSignal,
): Promise<ReceivedMessage[]> {
  const take = (wait: number) =>
    queues.receive(
      queue,
      { maxMessages: Math.min(10, mapping.batchSize - batch.length), waitTimeSeconds: wait },
      signal,
    );
  const batch: ReceivedMessage[] = [];
  batch.push(...(await take(WAIT_TIME_SECONDS)));
  if (batch.length === 0 || mapping.batchWindowMs === 0) return batch;
  const deadline = Date.now() + mapping.batchWindowMs;
  while (batch.length < mapping.batchSize && !signal.aborted) {
    const more = await take(0);
    batch.push(...more);
    const left = deadline - Date.now();
    if (left <= 0) break;
    if (more.length === 0) await queues.waitForChange(queue, left, signal);
  }
  return batch;
}

async function deliver(
  queue: Queue,
  batch: ReceivedMessage[],
  mapping: SqsMapping,
  options: SqsEventSourceOptions,
): Promise<void> {
  const { queues } = options;
  const records = batch.map((item) => sqsRecord(item, queue, queues, options.region));
  const selected: { item: ReceivedMessage; record: Record<string, unknown> }[] = [];
  batch.forEach((item, index) => {
    const record = records[index]!;
    // Lambda deletes what no filter pattern matches.
    if (matchesAnyPattern(mapping.filterPatterns, record)) selected.push({ item, record });
    else queues.deleteMessage(queue, item.receiptHandle);
  });
  if (selected.length === 0) return;
  const messageIds = selected.map(({ item }) => item.message.messageId);
  const report = (outcome: SqsBatchReport['outcome'], failed: string[], error?: string) => {
    options.onBatch?.({
      functionKey: mapping.functionKey,
      queueArn: queue.arn,
      messageIds,
      outcome,
      failedMessageIds: failed,
      error,
    });
    if (failed.length > 0) {
      options.log?.(
        `${mapping.functionKey}: ${failed.length} of ${messageIds.length} messages from ${queue.name} failed (${error ?? outcome}); they return after the visibility timeout`,
      );
    }
  };
  let result;
  try {
    result = await options.lambda.invoke({
      functionName: mapping.functionKey,
      payload: JSON.stringify({ Records: selected.map(({ record }) => record) }),
    });
  } catch (error) {
    report('invoke-failed', messageIds, `${(error as Error).name}: ${(error as Error).message}`);
    return;
  }
  if (result.functionError) {
    report('function-error', messageIds, functionErrorText(result.payload));
    return;
  }
  const failures = mapping.reportBatchItemFailures ? batchItemFailures(result.payload, messageIds) : [];
  if (failures === 'invalid') {
    report('invalid-response', messageIds, 'the batchItemFailures response is not valid');
    return;
  }
  for (const { item } of selected) {
    if (!failures.includes(item.message.messageId)) queues.deleteMessage(queue, item.receiptHandle);
  }
  report(
    failures.length > 0 ? 'partial-failure' : 'success',
    failures,
    failures.length > 0 ? 'batchItemFailures' : undefined,
  );
}

/** The record Lambda gives a function for one message. */
export function sqsRecord(
  { message, receiptHandle }: ReceivedMessage,
  queue: Queue,
  queues: SqsQueues,
  region: string,
): Record<string, unknown> {
  const system = queues.systemAttributes(message, ['All']) ?? {};
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
    SentTimestamp: system.SentTimestamp ?? '',
  };
  for (const name of [
    'SequenceNumber',
    'MessageGroupId',
    'SenderId',
    'MessageDeduplicationId',
    'AWSTraceHeader',
    'DeadLetterQueueSourceArn',
    'ApproximateFirstReceiveTimestamp',
  ]) {
    const value = system[name];
    if (value !== undefined) attributes[name] = value;
  }
  const messageAttributes = Object.fromEntries(
    Object.entries(message.attributes).map(([name, value]) => [
      name,
      {
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.DataType,
      },
    ]),
  );
  const record: Record<string, unknown> = {
    messageId: message.messageId,
    receiptHandle,
    body: message.body,
    attributes,
    messageAttributes,
  };
  if (Object.keys(messageAttributes).length > 0) {
    record.md5OfMessageAttributes = queues.md5OfMessageAttributes(message);
  }
  return {
    ...record,
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: region,
  };
}

/**
 * How Lambda reads a ReportBatchItemFailures response ("Implementing partial batch responses"): none reported
 * (an empty or null list, an empty or null response) is a success; an itemIdentifier that is empty, missing or
 * not a message id of the batch makes the whole batch a failure.
 */
function batchItemFailures(payload: string, messageIds: string[]): string[] | 'invalid' {
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return [];
  }
  if (
    !isRecord(response) ||
    response.batchItemFailures === undefined ||
    response.batchItemFailures === null
  ) {
    return [];
  }
  const failures = response.batchItemFailures;
  if (!Array.isArray(failures)) return 'invalid';
  const ids = failures.map((failure) => (isRecord(failure) ? failure.itemIdentifier : undefined));
  if (ids.some((id) => typeof id !== 'string' || !messageIds.includes(id))) return 'invalid';
  return ids as string[];
}
