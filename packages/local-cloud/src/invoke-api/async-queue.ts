// Lambda's queue for asynchronous (Event) invocations. As on AWS: an event runs once; after a function error
// (timeouts included) it runs again up to `maximumRetryAttempts` times (0 to 2), waiting retryDelaysMs[0]
// then retryDelaysMs[1] (AWS waits about 1 then 2 minutes); every attempt keeps the event's request id; a
// throttled attempt is retried without counting as one; an event older than `maximumEventAge` is dropped.
// The final outcome goes to the function's onSuccess or onFailure destination as an invocation record (a
// function of the service, or any ARN `deliverToTarget` reaches: a queue, a topic, an event bus), and a failed
// event to its `onError` dead-letter queue or topic as the event itself, with AWS's three attributes.
import { randomUUID } from 'node:crypto';
import type { FunctionDefinition } from '../config/service-definition';
import { TooManyRequestsError, type InvokeResult, type LambdaService } from '../lambda/lambda-service';
import { arnService, type DeliverToTarget, type TargetMessage } from '../platform/targets';
import { invocationRecord, type DestinationCondition, type InvocationRecord } from './invocation-record';

export interface QueuedEvent {
  requestId: string;
  fn: FunctionDefinition;
  /** The event as JSON text. */
  payload: string;
  clientContext?: string;
}

/** Where an event's invocation record went. */
export type DestinationDelivery =
  | {
      type: 'onSuccess' | 'onFailure';
      target: string;
      delivered: true;
      /** The destination function, invoked asynchronously with the record under this request id. */
      functionKey: string;
      requestId: string;
    }
  | {
      type: 'onSuccess' | 'onFailure';
      target: string;
      delivered: true;
      /** What the queue, topic or bus gave the record: its message or event id. */
      messageId: string;
    }
  | { type: 'onSuccess' | 'onFailure'; target: string; delivered: false; note: string };

/** Where a failed event went through the function's `onError` dead-letter queue or topic. */
export type DeadLetterDelivery =
  { target: string; delivered: true; messageId: string } | { target: string; delivered: false; note: string };

export interface AsyncOutcome {
  requestId: string;
  functionKey: string;
  functionName: string;
  condition: DestinationCondition;
  /** How many times the function ran for this event (throttled attempts do not count). */
  attempts: number;
  record: InvocationRecord;
  /** Absent when the function has no destination for this condition. */
  destination?: DestinationDelivery;
  /** Absent when the event succeeded or the function has no `onError`. */
  deadLetter?: DeadLetterDelivery;
}

export interface AsyncRetry {
  requestId: string;
  functionKey: string;
  reason: 'FunctionError' | 'Throttled';
  /** Function runs so far. */
  attempts: number;
  delayMs: number;
}

export interface AsyncQueueOptions {
  lambda: LambdaService;
  retryDelaysMs: readonly [number, number];
  /** First wait after a throttled attempt; it doubles each time, up to retryDelaysMs[1]. */
  throttleRetryDelayMs: number;
  now: () => number;
  onOutcome?: (outcome: AsyncOutcome) => void;
  onRetry?: (retry: AsyncRetry) => void;
  /** Sends to a destination or dead-letter ARN that is not a function; without it, such targets are noted. */
  deliverToTarget?: DeliverToTarget;
}

interface EventState {
  event: QueuedEvent;
  enqueuedAt: number;
  attempts: number;
  throttles: number;
  lastResponse?: Pick<InvokeResult, 'payload' | 'functionError'>;
}

export class AsyncInvocationQueue {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: AsyncQueueOptions) {}

  enqueue(event: QueuedEvent): void {
    this.schedule({ event, enqueuedAt: this.options.now(), attempts: 0, throttles: 0 }, 0);
  }

  /**
   * Cancels every waiting attempt. An attempt already running finishes in the runtime, but nothing follows it:
   * no retry, no destination, no outcome.
   */
  stop(): void {
    this.stopped = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }

  private schedule(state: EventState, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(state).catch((error: unknown) => {
        console.error(
          `local-cloud: the async invocation ${state.event.requestId} failed inside the emulator`,
          error,
        );
      });
    }, delayMs);
    // Waiting retries must not keep a test run or a stopping CLI alive.
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(state: EventState): Promise<void> {
    const { event } = state;
    if (this.options.now() - state.enqueuedAt > event.fn.maximumEventAge * 1000) {
      this.finish(state, 'EventAgeExceeded');
      return;
    }
    let result: Pick<InvokeResult, 'payload' | 'functionError'>;
    try {
      result = await this.options.lambda.invoke({
        functionName: event.fn.key,
        payload: event.payload,
        clientContext: event.clientContext,
        requestId: event.requestId,
      });
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof TooManyRequestsError) {
        this.retryThrottled(state);
        return;
      }
      // Anything else the runtime refuses (the function vanished in a reload, say) would never succeed if
      // re-queued the way AWS re-queues its own system errors, so it counts as a failed attempt and the event
      // still ends at its destination.
      const err = error instanceof Error ? error : new Error(String(error));
      result = {
        functionError: 'Unhandled',
        payload: JSON.stringify({ errorType: err.name, errorMessage: err.message }),
      };
    }
    if (this.stopped) return;
    state.attempts += 1;
    state.lastResponse = result;
    if (!result.functionError) {
      this.finish(state, 'Success');
    } else if (state.attempts <= event.fn.maximumRetryAttempts) {
      const delayMs = this.options.retryDelaysMs[Math.min(state.attempts, 2) - 1] ?? 0;
      this.notifyRetry(state, 'FunctionError', delayMs);
      this.schedule(state, delayMs);
    } else {
      this.finish(state, 'RetriesExhausted');
    }
  }

  private retryThrottled(state: EventState): void {
    const ceiling = Math.max(this.options.retryDelaysMs[1], this.options.throttleRetryDelayMs);
    const delayMs = Math.min(this.options.throttleRetryDelayMs * 2 ** state.throttles, ceiling);
    state.throttles += 1;
    this.notifyRetry(state, 'Throttled', delayMs);
    this.schedule(state, delayMs);
  }

  private notifyRetry(state: EventState, reason: AsyncRetry['reason'], delayMs: number): void {
    this.options.onRetry?.({
      requestId: state.event.requestId,
      functionKey: state.event.fn.key,
      reason,
      attempts: state.attempts,
      delayMs,
    });
  }

  private finish(state: EventState, condition: DestinationCondition): void {
    const { event } = state;
    const record = invocationRecord({
      requestId: event.requestId,
      functionArn: this.options.lambda.functionArn(event.fn),
      condition,
      attempts: state.attempts,
      payload: event.payload,
      lastResponse: state.lastResponse,
      timestamp: new Date(this.options.now()),
    });
    const type = condition === 'Success' ? 'onSuccess' : 'onFailure';
    const target = event.fn.destinations[type];
    const deadLetterTarget = condition === 'Success' ? undefined : event.fn.deadLetterTarget;
    // Both are sent before the outcome is reported, so that whoever waits for the outcome finds them there.
    void Promise.all([
      target === undefined ? undefined : this.deliver(type, target, record),
      deadLetterTarget === undefined ? undefined : this.sendToDeadLetter(deadLetterTarget, state),
    ]).then(([destination, deadLetter]) => {
      this.options.onOutcome?.({
        requestId: event.requestId,
        functionKey: event.fn.key,
        functionName: event.fn.name,
        condition,
        attempts: state.attempts,
        record,
        destination,
        ...(deadLetter ? { deadLetter } : {}),
      });
    });
  }

  private async deliver(
    type: 'onSuccess' | 'onFailure',
    target: string,
    record: InvocationRecord,
  ): Promise<DestinationDelivery> {
    const fn = destinationFunction(this.options.lambda, target);
    if (fn) {
      const requestId = randomUUID();
      this.enqueue({ requestId, fn, payload: JSON.stringify(record) });
      return { type, target, delivered: true, functionKey: fn.key, requestId };
    }
    const sent = await this.sendToTarget(target, destinationMessage(target, record));
    return { type, target, ...sent };
  }

  /** The event as it came, with RequestID, ErrorCode and ErrorMessage (its first kilobyte) as attributes. */
  private sendToDeadLetter(target: string, state: EventState): Promise<DeadLetterDelivery> {
    const errorMessage = errorMessageOf(state.lastResponse?.payload) ?? 'Event age exceeded';
    return this.sendToTarget(target, {
      body: state.event.payload,
      attributes: {
        RequestID: { DataType: 'String', StringValue: state.event.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: truncateUtf8(errorMessage, 1024) },
      },
    }).then((sent) => ({ target, ...sent }));
  }

  private async sendToTarget(
    target: string,
    message: TargetMessage,
  ): Promise<{ delivered: true; messageId: string } | { delivered: false; note: string }> {
    if (arnService(target) === undefined) {
      return { delivered: false, note: `${target} is neither a function of this service nor an ARN` };
    }
    if (!this.options.deliverToTarget) {
      return {
        delivered: false,
        note: `only functions of this service are destinations here; ${target} needs local-cloud's services (start it with local-cloud start)`,
      };
    }
    try {
      const { id } = await this.options.deliverToTarget(target, message);
      return { delivered: true, messageId: id };
    } catch (error) {
      return { delivered: false, note: error instanceof Error ? error.message : String(error) };
    }
  }
}

/**
 * A queue or topic gets the invocation record as its message; an event bus gets it as the detail of an event
 * from source `lambda`, as Lambda puts it there.
 */
function destinationMessage(target: string, record: InvocationRecord): TargetMessage {
  const body = JSON.stringify(record);
  if (arnService(target) !== 'events') return { body };
  const result = record.requestContext.condition === 'Success' ? 'Success' : 'Failure';
  return {
    body,
    event: {
      source: 'lambda',
      detailType: `Lambda Function Invocation Result - ${result}`,
      resources: [target, record.requestContext.functionArn],
    },
  };
}

function errorMessageOf(payload: string | undefined): string | undefined {
  if (payload === undefined) return undefined;
  try {
    const parsed = JSON.parse(payload) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : payload;
  } catch {
    return payload;
  }
}

function truncateUtf8(text: string, bytes: number): string {
  const buffer = Buffer.from(text);
  return buffer.length <= bytes
    ? text
    : buffer
        .subarray(0, bytes)
        .toString()
        .replace(/\uFFFD$/, '');
}

/** A destination names a function by key, name or Lambda ARN; ARNs of other services are not functions. */
function destinationFunction(lambda: LambdaService, target: string): FunctionDefinition | undefined {
  if (target.startsWith('arn:') && target.split(':')[2] !== 'lambda') return undefined;
  return lambda.findFunction(target);
}
