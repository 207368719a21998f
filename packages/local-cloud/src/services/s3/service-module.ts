// S3 as a platform service: the S3 API on the edge, buckets from serverless.yml, and their event
// notifications (to functions, SNS topics and SQS queues: it starts after SNS and SQS, whose policies it checks
// when it reads the configuration, as S3 validates destinations).
import { createS3Notifier } from '../../event-sources/s3-notifications/s3-notifier';
import { serviceModule } from '../../platform/service-contract';
import { createS3Service } from './s3-service';

export const s3Module = serviceModule({
  key: 's3',
  after: ['sns', 'sqs'],
  start: (context) => {
    // The notifier reads (and checks) the notification configuration before the bucket exists.
    const notifier = createS3Notifier({
      service: context.service,
      asyncInvoker: context.asyncInvoker,
      publishToTopic: context.publishToTopic,
      deliver: context.deliver,
      region: context.region,
      iamMode: context.authorizer.mode,
      log: context.log,
    });
    notifier.warnings.forEach((warning) => context.log(`warning: ${warning}`));
    return createS3Service({
      service: context.service,
      listener: context.edge.mount(['s3']),
      host: context.host,
      inMemory: context.inMemory,
      credentials: context.credentials,
      authorizer: context.authorizer,
      region: context.region,
      onObjectEvent: notifier.onObjectEvent,
      log: context.log,
    });
  },
  summary: (s3) => [
    {
      name: 'S3',
      where: 'AWS endpoint',
      detail: `buckets ${s3.buckets.map((bucket) => bucket.name).join(', ') || 'none'}`,
    },
  ],
});
