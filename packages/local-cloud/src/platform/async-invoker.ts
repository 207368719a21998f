// Lambda's async queue, one for the whole emulator: the event sources (S3 notifications, SNS fan-out,
// schedules, stream failure destinations) and the Invoke API's Event invocations all join it, with AWS's retry
// rules (AsyncInvocationQueue). Events that arrive before the
// runtime is connected (an object written while sandboxes are still being configured) wait in order and
// are queued at connect(), as Lambda's own queue holds events until it can run them.
import { randomUUID } from 'node:crypto';
import type { ServiceDefinition } from '../config/service-definition';
import type { AsyncInvoker } from '../event-sources/async-invoker';
import {
  AsyncInvocationQueue,
  type AsyncOutcome,
  type AsyncRetry,
  type QueuedEvent,
} from '../invoke-api/async-queue';
import { DEFAULT_RETRY_DELAYS_MS, DEFAULT_THROTTLE_RETRY_DELAY_MS } from '../invoke-api/invoke-api';
import {
  ACCOUNT_ID,
  ASYNC_PAYLOAD_LIMIT_BYTES,
  FunctionNotFoundError,
  RequestTooLargeError,
  type LambdaService,
} from '../lambda/lambda-service';
import { findServiceFunction } from './deferred-lambda';
import type { DeliverToTarget } from './targets';

export interface PlatformAsyncInvokerOptions {
  service: ServiceDefinition;
  /** Waits before the 2 retries of a failed event (AWS: about 1 and 2 minutes). */
  retryDelaysMs?: readonly [number, number];
  onOutcome?: (outcome: AsyncOutcome) => void;
  onRetry?: (retry: AsyncRetry) => void;
  /** Sends destination records and dead-letter messages to queues, topics and buses (the platform's deliver). */
  deliverToTarget?: DeliverToTarget;
}

export class PlatformAsyncInvoker implements AsyncInvoker {
  private queue: AsyncInvocationQueue | undefined;
  private held: QueuedEvent[] = [];
  private stopped = false;
  private lambda: LambdaService | undefined;
  /** What to run when an event's last attempt ends, by request id. */
  private readonly finished = new Map<string, () => void>();

  constructor(private readonly options: PlatformAsyncInvokerOptions) {}

  /**
   * Queues the event; returns its request id. Throws FunctionNotFoundError for a function the service lacks
   * and RequestTooLargeError past Lambda's 1 MB async payload limit, as Lambda refuses them.
   */
  invokeAsync(functionName: string, payload: string, onFinished?: () => void): string {
    const fn =
      this.lambda?.findFunction(functionName) ?? findServiceFunction(this.options.service, functionName);
    if (!fn) {
      const { region } = this.options.service.provider;
      throw new FunctionNotFoundError(
        functionName,
        functionName.startsWith('arn:')
          ? functionName
          : `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${functionName}`,
      );
    }
    const size = Buffer.byteLength(payload);
    if (size > ASYNC_PAYLOAD_LIMIT_BYTES)
      throw new RequestTooLargeError(ASYNC_PAYLOAD_LIMIT_BYTES, size, 'request');
    const event: QueuedEvent = { requestId: randomUUID(), fn, payload };
    if (onFinished) this.finished.set(event.requestId, onFinished);
    this.enqueue(event);
    return event.requestId;
  }

  /** Queues an event already checked (the Invoke API checks its own), or holds it until connect(). */
  enqueue(event: QueuedEvent): void {
    if (this.stopped) return;
    if (this.queue) this.queue.enqueue(event);
    else this.held.push(event);
  }

  /** Starts delivering: events held so far first, in the order they came. */
  connect(lambda: LambdaService): void {
    if (this.stopped) return;
    this.lambda = lambda;
    this.queue = new AsyncInvocationQueue({
      lambda,
      retryDelaysMs: this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
      throttleRetryDelayMs: DEFAULT_THROTTLE_RETRY_DELAY_MS,
      now: Date.now,
      onOutcome: (outcome) => {
        this.options.onOutcome?.(outcome);
        const onFinished = this.finished.get(outcome.requestId);
        this.finished.delete(outcome.requestId);
        onFinished?.();
      },
      onRetry: this.options.onRetry,
      deliverToTarget: this.options.deliverToTarget,
    });
    const held = this.held;
    this.held = [];
    held.forEach((event) => this.queue?.enqueue(event));
  }

  /** Events still held or waiting for a retry are dropped; an attempt already running finishes. */
  stop(): void {
    this.stopped = true;
    this.held = [];
    this.queue?.stop();
  }
}
