// SNS as a platform service: the SNS API on the edge; topics and Lambda subscriptions from serverless.yml.
import { serviceModule } from '../../platform/service-contract';
import { settled } from '../../platform/targets';
import { createSnsService } from './sns-service';

export const snsModule = serviceModule({
  key: 'sns',
  start: (context) =>
    createSnsService({
      service: context.service,
      listener: context.edge.mount(['sns']),
      host: context.host,
      credentials: context.credentials,
      authorizer: context.authorizer,
      region: context.region,
      asyncInvoker: context.asyncInvoker,
      deliver: context.deliver,
      inMemory: context.inMemory,
      log: context.log,
    }),
  // S3 notifications and EventBridge targets publish as their service: the topic's policy must allow it.
  target: (sns) => ({
    arnService: 'sns',
    admits: (arn, source) => sns.deliveryVerdict(arn, source),
    deliver: (arn, message) =>
      settled(() => {
        if (message.from) sns.admitDelivery(arn, message.from);
        return { id: sns.publish(arn, message.body, message.subject, message.attributes) };
      }),
  }),
  summary: (_sns, { resources }) => {
    const topics = Object.values(resources)
      .filter((resource) => resource.type === 'AWS::SNS::Topic')
      .map((resource) => resource.attributes.TopicName ?? resource.ref);
    return [{ name: 'SNS', where: 'AWS endpoint', detail: `topics ${topics.join(', ') || 'none'}` }];
  },
});
