// One way for any part of local-cloud to hand a message to a resource named by its ARN, as AWS's services do
// among themselves: Lambda destinations and DLQs, SNS subscriptions, S3 notifications, EventBridge targets and
// Step Functions tasks all say "deliver this to arn:aws:<service>:..." without knowing the other service. A
// service that can receive declares a `target` hook (service-contract.ts) for its ARN's service name; Lambda
// is always one, through the async queue.
import type { AsyncInvoker } from '../event-sources/async-invoker';
import type { DeliverySource, DeliveryVerdict } from '../iam/delivery-policy';

/** What a sender hands over; each receiver reads the parts its API has (SQS ignores `subject`). */
export interface TargetMessage {
  /** The message, the function's event or the execution's input: usually JSON text. */
  body: string;
  /** SNS's Subject. */
  subject?: string;
  /** SQS and SNS message attributes; Binary values in base64. */
  attributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  /** FIFO queues and topics. */
  groupId?: string;
  deduplicationId?: string;
  /** An event bus's entry: its Source and DetailType (the body is its Detail). */
  event?: { source: string; detailType: string; resources?: string[] };
  /** Step Functions: the execution's name. */
  name?: string;
  /**
   * A service delivering as itself (S3, SNS, EventBridge): the receiver's resource policy must allow it
   * (iam/delivery-policy.ts). Absent for deliveries made with a role or by the receiver's own account (Lambda
   * destinations and DLQs), which no resource policy decides.
   */
  from?: DeliverySource;
}

/** What the receiver gave the message: its message id, event id, execution ARN or request id. */
export interface Delivered {
  id: string;
}

/** A service's receiving end for ARNs of one AWS service name (`sqs`, `sns`, `events`, `states`). */
export interface ArnTarget {
  arnService: string;
  /**
   * Rejects with the receiving service's own error (an unknown queue, a message it refuses), or
   * DeliveryRefusedError when `message.from` is a service its resource policy does not allow.
   */
  deliver(arn: string, message: TargetMessage): Promise<Delivered>;
  /** What the resource's policy says of a delivery from `source` now (no IAM mode applied). */
  admits?(arn: string, source: DeliverySource): DeliveryVerdict;
}

export interface DeliverToTarget {
  (arn: string, message: TargetMessage): Promise<Delivered>;
  /**
   * Asks the receiver whether its resource policy allows `source` to deliver to `arn` (S3 validates its
   * notification destinations so when the configuration is set). Undefined when no receiver can tell: no
   * service runs for that ARN, or it is a function (whose permissions the framework adds itself).
   */
  admits?: (arn: string, source: DeliverySource) => DeliveryVerdict | undefined;
}

/** An ARN no running service receives: the message is not delivered, and the log says why. */
export class UndeliverableTargetError extends Error {
  constructor(
    readonly arn: string,
    reason: string,
  ) {
    super(`cannot deliver to ${arn}: ${reason}`);
    this.name = 'UndeliverableTargetError';
  }
}

/** Runs a synchronous delivery as a promise: what it throws becomes the rejection. */
export function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The service name in an ARN (`arn:aws:sqs:...` → `sqs`), or undefined for something that is not an ARN. */
export function arnService(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 ? parts[2] : undefined;
}

/**
 * Routes by the ARN's service: Lambda through the async queue (so retries, destinations and DLQs apply), the
 * rest to whichever running service declared a target for that name. `targets` is read at each call, so a
 * service started later (or not at all) is found or reported as it is then.
 */
export function targetRouter(
  asyncInvoker: AsyncInvoker,
  targets: () => readonly ArnTarget[],
): DeliverToTarget {
  const targetOf = (service: string | undefined) =>
    targets().find((candidate) => candidate.arnService === service);
  const deliver = (arn: string, message: TargetMessage): Promise<Delivered> => {
    const service = arnService(arn);
    if (service === undefined) {
      return Promise.reject(new UndeliverableTargetError(arn, 'it is not an ARN (arn:aws:<service>:...)'));
    }
    if (service === 'lambda') {
      return settled(() => ({ id: asyncInvoker.invokeAsync(arn, message.body) }));
    }
    const target = targetOf(service);
    if (!target) {
      return Promise.reject(
        new UndeliverableTargetError(
          arn,
          `local-cloud does not run a ${service} service that receives messages`,
        ),
      );
    }
    return target.deliver(arn, message);
  };
  return Object.assign(deliver, {
    admits: (arn: string, source: DeliverySource) => targetOf(arnService(arn))?.admits?.(arn, source),
  });
}
