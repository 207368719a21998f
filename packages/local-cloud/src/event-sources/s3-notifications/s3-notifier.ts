// The S3 notifications event source: turns each object change the S3 service reports into AWS's event, once
// per matching configuration, and delivers it as S3 does: to functions asynchronously (through Lambda's async
// queue, so a failing handler is retried twice, then its on-failure destination gets the event), to SNS topics
// as a Publish with the subject "Amazon S3 Notification", to SQS queues as a message.
//
// S3 publishes and sends as s3.amazonaws.com, which the topic's or queue's policy must allow. S3 checks this
// when the configuration is set: PutBucketNotificationConfiguration answers 400 InvalidArgument "Unable to
// validate the following destination configurations", and a CloudFormation deployment creating the bucket
// fails. The configurations here come from serverless.yml, so the check runs at start: a destination that
// does not allow S3 is reported as the failed deploy it would be, and gets no notifications.
import type { ServiceDefinition } from '../../config/service-definition';
import { ACCOUNT_ID } from '../../common/account';
import type { S3ObjectEvent } from '../../services/s3/object-event';
import type { DeliverToTarget } from '../../platform/targets';
import type { IamMode } from '../../iam/authorizer';
import type { DeliverySource } from '../../iam/delivery-policy';
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
  /** How resource policies are checked (as for functions' calls): `enforce` (default), `warn` or `off`. */
  iamMode?: IamMode;
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
  const accountId = options.accountId ?? ACCOUNT_ID;
  const { targets, warnings } = notificationTargets({ service: options.service, accountId });
  const refused = refusedDestinations(targets, options, accountId, log);
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
        if (refused.has(target)) {
          log(
            `S3 notification for s3://${change.bucket}/${change.key} not sent to ${destinationArn(target)}: its configuration ${target.source} would not deploy (see the error at start)`,
          );
          continue;
        }
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
              options.deliver(queueArn, { body: message, from: s3Source(target, accountId) }).then(
                () => undefined,
                (error: unknown) =>
                  log(`S3 notification from ${target.source} not delivered: ${(error as Error).message}`),
              ),
            );
          } else if (options.deliver) {
            // Through SNS's receiving end, which checks the topic's policy again: it may have changed since.
            const { topicArn } = target.destination;
            deliveries.push(
              options
                .deliver(topicArn, { body: message, subject: SNS_SUBJECT, from: s3Source(target, accountId) })
                .then(
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

/** S3 as it delivers for a bucket: aws:SourceArn is the bucket's ARN, aws:SourceAccount its owner. */
function s3Source(target: S3NotificationTarget, accountId: string): DeliverySource {
  return {
    service: 's3.amazonaws.com',
    sourceArn: `arn:aws:s3:::${target.bucket}`,
    sourceAccount: accountId,
  };
}

function destinationArn(target: S3NotificationTarget): string {
  const { destination } = target;
  if (destination.type === 'topic') return destination.topicArn;
  if (destination.type === 'queue') return destination.queueArn;
  return destination.functionName;
}

/**
 * The topic and queue configurations whose destination does not allow S3, as S3 validates them when they are
 * set; each is logged once as the failed deploy it would be (with `--iam warn`, as a warning, and kept).
 * Function configurations are the framework's, which adds the Lambda permission itself.
 */
function refusedDestinations(
  targets: S3NotificationTarget[],
  options: S3NotifierOptions,
  accountId: string,
  log: (line: string) => void,
): Set<S3NotificationTarget> {
  const refused = new Set<S3NotificationTarget>();
  const admits = options.deliver?.admits;
  const mode = options.iamMode ?? 'enforce';
  if (!admits || mode === 'off') return refused;
  for (const target of targets) {
    if (target.destination.type === 'function') continue;
    const arn = destinationArn(target);
    const verdict = admits(arn, s3Source(target, accountId));
    if (verdict === undefined || verdict.allowed) continue;
    const problem = `${target.source} (bucket ${target.bucket} → ${arn}): S3 answers PutBucketNotificationConfiguration with 400 InvalidArgument "Unable to validate the following destination configurations", so the deploy fails, because ${verdict.reason}. Fix: ${verdict.fix}`;
    if (mode === 'warn') {
      log(`warning: notifications sent (--iam warn), but on AWS ${problem}`);
      continue;
    }
    log(`error: ${problem}. local-cloud does not send these notifications`);
    refused.add(target);
  }
  return refused;
}
