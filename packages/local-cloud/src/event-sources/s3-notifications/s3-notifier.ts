// The S3 notifications event source: turns each object change the S3 service reports into AWS's event, once
// per matching configuration, and delivers it as S3 does: to functions asynchronously (through Lambda's async
// queue, so a failing handler is retried twice, then its on-failure destination gets the event), to SNS topics
// as a Publish with the subject "Amazon S3 Notification", to SQS queues as a message.
import type { ServiceDefinition } from '../../config/service-definition';
import { ACCOUNT_ID } from '../../common/account';
import type { S3ObjectEvent } from '../../services/s3/object-event';
import type { DeliverToTarget } from '../../platform/targets';
import type { AsyncInvoker } from '../async-invoker';
import { notificationTargets, targetMatches, type S3NotificationTarget } from './notification-targets';
import { s3EventRecord, type S3EventRecord } from './s3-event-record';

export interface S3NotifierOptions {
  service: ServiceDefinition;
  asyncInvoker: AsyncInvoker;
  /** Publishes to an SNS topic (the SNS service's); without it, topic notifications are logged and dropped. */
  publishToTopic?: (topicArn: string, message: string, subject?: string) => void;
  /** Sends to an SQS queue; without it, queue notifications are logged and dropped. */
  deliver?: DeliverToTarget;
  /** Default: the service's provider.region. */
  region?: string;
  accountId?: string;
  log?: (line: string) => void;
}

/** One notification sent: which configuration, where, and the event as delivered. */
export interface S3Delivery {
  target: S3NotificationTarget;
  event: { Records: [S3EventRecord] };
  /** The async invocation's request id, for functions. */
  requestId?: string;
}

export interface S3Notifier {
  targets: S3NotificationTarget[];
  warnings: string[];
  /**
   * Pass to createS3Service({ onObjectEvent }). Resolves once every matching target has the event: a function's
   * async invocation has finished, a topic or a queue has taken the message.
   */
  onObjectEvent: (event: S3ObjectEvent) => Promise<void>;
  /** Observes deliveries (tests, logging). Returns an unsubscribe function. */
  onDelivery: (listener: (delivery: S3Delivery) => void) => () => void;
}

export const SNS_SUBJECT = 'Amazon S3 Notification';

export function createS3Notifier(options: S3NotifierOptions): S3Notifier {
  const region = options.region ?? options.service.provider.region;
  const log = options.log ?? (() => {});
  const { targets, warnings } = notificationTargets({
    service: options.service,
    accountId: options.accountId ?? ACCOUNT_ID,
  });
  const listeners = new Set<(delivery: S3Delivery) => void>();
  return {
    targets,
    warnings,
    onDelivery: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onObjectEvent: (change) => {
      const deliveries: Promise<void>[] = [];
      for (const target of targets) {
        if (!targetMatches(target, change.bucket, change.eventName, change.key)) continue;
        const event = {
          Records: [s3EventRecord(change, { region, configurationId: target.id })] as [S3EventRecord],
        };
        const message = JSON.stringify(event);
        let requestId: string | undefined;
        try {
          if (target.destination.type === 'function') {
            let finished: () => void = () => undefined;
            const done = new Promise<void>((resolve) => (finished = resolve));
            requestId = options.asyncInvoker.invokeAsync(target.destination.functionKey, message, () =>
              finished(),
            );
            // Only once queued: an event Lambda refused is not delivered again at the next start either.
            deliveries.push(done);
          } else if (target.destination.type === 'queue') {
            const { queueArn } = target.destination;
            if (!options.deliver) {
              log(`S3 notification for ${queueArn} dropped: SQS is not running.`);
              continue;
            }
            deliveries.push(
              options.deliver(queueArn, { body: message }).then(
                () => undefined,
                (error: unknown) =>
                  log(`S3 notification from ${target.source} not delivered: ${(error as Error).message}`),
              ),
            );
          } else if (options.publishToTopic) {
            options.publishToTopic(target.destination.topicArn, message, SNS_SUBJECT);
          } else {
            log(`S3 notification for ${target.destination.topicArn} dropped: SNS is not running.`);
            continue;
          }
        } catch (error) {
          log(`S3 notification from ${target.source} not delivered: ${(error as Error).message}`);
          continue;
        }
        const delivery: S3Delivery = { target, event, requestId };
        listeners.forEach((listener) => listener(delivery));
      }
      return Promise.all(deliveries).then(() => undefined);
    },
  };
}
