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
      region: context.region,
      asyncInvoker: context.asyncInvoker,
      deliver: context.deliver,
      inMemory: context.inMemory,
      log: context.log,
    }),
  target: (sns) => ({
    arnService: 'sns',
    deliver: (arn, message) =>
      settled(() => ({ id: sns.publish(arn, message.body, message.subject, message.attributes) })),
  }),
  summary: (_sns, { resources }) => {
    const topics = Object.values(resources)
      .filter((resource) => resource.type === 'AWS::SNS::Topic')
      .map((resource) => resource.attributes.TopicName ?? resource.ref);
    return [{ name: 'SNS', where: 'AWS endpoint', detail: `topics ${topics.join(', ') || 'none'}` }];
  },
});
