// SQS as a platform service: the SQS API on the edge; queues from the service's AWS::SQS::Queue resources; and,
// once functions can run, the `sqs` event source that polls them for functions.
import { createSqsEventSource } from '../../event-sources/sqs/poller';
import { sqsMappings } from '../../event-sources/sqs/sqs-mappings';
import { serviceModule } from '../../platform/service-contract';
import { settled } from '../../platform/targets';
import { ACCOUNT_ID } from '../../common/account';
import { declaredQueuePolicies } from './declared-queue-policies';
import { queueDoesNotExist } from './sqs-errors';
import { createSqsService } from './sqs-service';

export const sqsModule = serviceModule({
  key: 'sqs',
  start: (context) =>
    createSqsService({
      service: context.service,
      listener: context.edge.mount(['sqs']),
      host: context.host,
      credentials: context.credentials,
      authorizer: context.authorizer,
      region: context.region,
      inMemory: context.inMemory,
      log: context.log,
    }),
  // Ref of a queue is its URL (here, on the AWS endpoint); Fn::GetAtt gives Arn, QueueName and QueueUrl.
  resources: (sqs) =>
    Object.fromEntries(
      sqs.declared.map((queue) => {
        const url = sqs.queueUrl(queue.name);
        const attributes = { Arn: queue.arn, QueueName: queue.name, QueueUrl: url };
        return [queue.logicalId, { type: 'AWS::SQS::Queue', ref: url, attributes }];
      }),
    ),
  // Other services' deliveries (SNS subscriptions, S3 notifications, Lambda destinations and DLQs, EventBridge
  // targets) send as SendMessage does, with its checks: a FIFO queue needs a group id, a large body is refused.
  // A service sending as itself (S3, SNS, EventBridge) must be allowed by the queue's policy.
  target: (sqs) => ({
    arnService: 'sqs',
    admits: (arn, source) => {
      const queue = sqs.queues.findByArn(arn);
      if (!queue)
        return {
          allowed: false,
          reason: 'the queue does not exist',
          fix: 'create the queue, or name one that exists',
        };
      return sqs.deliveryVerdict(queue, source);
    },
    deliver: (arn, message) =>
      settled(() => {
        const queue = sqs.queues.findByArn(arn);
        if (!queue) throw queueDoesNotExist();
        if (message.from) sqs.admitDelivery(queue, message.from);
        const sent = sqs.queues.send(queue, {
          body: message.body,
          attributes: message.attributes,
          groupId: message.groupId,
          deduplicationId: message.deduplicationId,
        });
        return { id: sent.messageId };
      }),
  }),
  warnings: (_sqs, service) => [
    ...sqsMappings(service, service.provider.region).warnings,
    ...declaredQueuePolicies(service, { region: service.provider.region, accountId: ACCOUNT_ID }).warnings,
  ],
  summary: (sqs) => [
    {
      name: 'SQS',
      where: 'AWS endpoint',
      detail: `queues ${sqs.declared.map((queue) => queue.name).join(', ') || 'none'}`,
    },
  ],
  connect: (sqs, context) => {
    const { mappings } = sqsMappings(context.service, context.region);
    if (mappings.length === 0) return Promise.resolve(undefined);
    return Promise.resolve(
      createSqsEventSource({
        lambda: context.lambda,
        queues: sqs.queues,
        mappings,
        region: context.region,
        log: context.logAs('sqs-events'),
      }),
    );
  },
});
