// Resource policies where services deliver to each other, as AWS enforces them: S3 notifications to topics and
// queues (checked when the configuration is set: a destination that does not allow S3 makes the deploy fail),
// SNS subscriptions to queues, and EventBridge targets that are queues or topics. Each path is delivered with
// the policy AWS needs and refused, with a log line naming the fix, without it; a Deny wins over an Allow; an
// aws:SourceArn naming another bucket, topic or rule refuses. Driven with the SDK v3 clients and the account's
// key pair (an administrator: its own API calls are always allowed).
import path from 'node:path';
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { start, type LocalCloud } from '../../src';
import { deliveryAllowed, type DeliveryCheck } from '../../src/iam/delivery-policy';
import { serviceDefinition } from '../support/function-definition';
import { logRecorder } from '../support/log-recorder';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'sqs');
const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const topicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

type Statement = Record<string, unknown>;

const allow = (service: string, action: string, sourceArn: unknown): Statement => ({
  Effect: 'Allow',
  Principal: { Service: service },
  Action: action,
  Resource: '*',
  Condition: { ArnLike: { 'aws:SourceArn': sourceArn } },
});

const queue = (name: string) => ({ Type: 'AWS::SQS::Queue', Properties: { QueueName: name } });
const topic = (name: string) => ({ Type: 'AWS::SNS::Topic', Properties: { TopicName: name } });
const queuePolicy = (queues: string[], ...statements: Statement[]) => ({
  Type: 'AWS::SQS::QueuePolicy',
  Properties: {
    Queues: queues.map((logicalId) => ({ Ref: logicalId })),
    PolicyDocument: { Version: '2012-10-17', Statement: statements },
  },
});
const topicPolicy = (topics: string[], ...statements: Statement[]) => ({
  Type: 'AWS::SNS::TopicPolicy',
  Properties: {
    Topics: topics.map((logicalId) => ({ Ref: logicalId })),
    PolicyDocument: { Version: '2012-10-17', Statement: statements },
  },
});
const subscription = (topicLogicalId: string, queueLogicalId: string) => ({
  Type: 'AWS::SNS::Subscription',
  Properties: { TopicArn: { Ref: topicLogicalId }, Protocol: 'sqs', Endpoint: arnOf(queueLogicalId) },
});
/** A bucket whose objects under q/ go to a queue and under t/ to a topic. */
const bucket = (name: string, destinations: { queue?: string; topic?: string }) => ({
  Type: 'AWS::S3::Bucket',
  Properties: {
    BucketName: name,
    NotificationConfiguration: {
      ...(destinations.queue && {
        QueueConfigurations: [
          { Event: 's3:ObjectCreated:*', Queue: arnOf(destinations.queue), Filter: prefix('q/') },
        ],
      }),
      ...(destinations.topic && {
        TopicConfigurations: [
          { Event: 's3:ObjectCreated:*', Topic: { Ref: destinations.topic }, Filter: prefix('t/') },
        ],
      }),
    },
  },
});
const prefix = (value: string) => ({ S3Key: { Rules: [{ Name: 'prefix', Value: value }] } });

const RESOURCES = {
  // S3 → SQS and S3 → SNS.
  S3Queue: queue('dp-s3'),
  S3QueuePolicy: queuePolicy(['S3Queue'], {
    ...allow('s3.amazonaws.com', 'sqs:SendMessage', 'arn:aws:s3:::dp-allowed'),
    Condition: {
      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::dp-allowed' },
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    },
  }),
  DeniedQueue: queue('dp-denied'),
  DeniedQueuePolicy: queuePolicy(
    ['DeniedQueue'],
    allow('s3.amazonaws.com', 'sqs:SendMessage', 'arn:aws:s3:::*'),
    { ...allow('s3.amazonaws.com', 'sqs:*', 'arn:aws:s3:::dp-denied'), Sid: 'NoUploads', Effect: 'Deny' },
  ),
  PlainQueue: queue('dp-plain'),
  S3Topic: topic('dp-s3-topic'),
  S3TopicPolicy: topicPolicy(
    ['S3Topic'],
    allow('s3.amazonaws.com', 'SNS:Publish', 'arn:aws:s3:::dp-allowed'),
  ),
  DefaultTopic: topic('dp-default-topic'),
  FromS3Topic: queue('dp-from-s3-topic'),
  FromS3TopicPolicy: queuePolicy(
    ['FromS3Topic'],
    allow('sns.amazonaws.com', 'sqs:SendMessage', { Ref: 'S3Topic' }),
  ),
  FromS3TopicSubscription: subscription('S3Topic', 'FromS3Topic'),
  Allowed: bucket('dp-allowed', { queue: 'S3Queue', topic: 'S3Topic' }),
  Refused: bucket('dp-refused', { queue: 'PlainQueue', topic: 'DefaultTopic' }),
  Denied: bucket('dp-denied', { queue: 'DeniedQueue' }),
  // Allowed's queue, whose policy names the dp-allowed bucket only.
  Other: bucket('dp-other', { queue: 'S3Queue' }),

  // SNS → SQS.
  Orders: topic('dp-orders'),
  FromOrders: queue('dp-from-orders'),
  FromOrdersPolicy: queuePolicy(
    ['FromOrders'],
    allow('sns.amazonaws.com', 'sqs:SendMessage', { Ref: 'Orders' }),
  ),
  FromOrdersSubscription: subscription('Orders', 'FromOrders'),
  // Its policy names another topic.
  NotFromOrders: queue('dp-not-from-orders'),
  NotFromOrdersPolicy: queuePolicy(
    ['NotFromOrders'],
    allow('sns.amazonaws.com', 'sqs:SendMessage', { Ref: 'S3Topic' }),
  ),
  NotFromOrdersSubscription: subscription('Orders', 'NotFromOrders'),

  // EventBridge → SQS and → SNS.
  Rule: {
    Type: 'AWS::Events::Rule',
    Properties: {
      Name: 'dp-rule',
      EventPattern: { source: ['dp.test'] },
      Targets: [
        { Id: 'queue', Arn: arnOf('EventsQueue') },
        { Id: 'other', Arn: arnOf('OtherRuleQueue') },
        { Id: 'topic', Arn: { Ref: 'EventsTopic' } },
        { Id: 'default', Arn: { Ref: 'DefaultTopic' } },
      ],
    },
  },
  OtherRule: {
    Type: 'AWS::Events::Rule',
    Properties: { Name: 'dp-other-rule', EventPattern: { source: ['dp.never'] } },
  },
  EventsQueue: queue('dp-events'),
  EventsQueuePolicy: queuePolicy(
    ['EventsQueue'],
    allow('events.amazonaws.com', 'sqs:SendMessage', arnOf('Rule')),
  ),
  OtherRuleQueue: queue('dp-other-rule'),
  OtherRuleQueuePolicy: queuePolicy(
    ['OtherRuleQueue'],
    allow('events.amazonaws.com', 'sqs:SendMessage', arnOf('OtherRule')),
  ),
  EventsTopic: topic('dp-events-topic'),
  EventsTopicPolicy: topicPolicy(
    ['EventsTopic'],
    allow('events.amazonaws.com', 'SNS:Publish', arnOf('Rule')),
  ),
  FromEventsTopic: queue('dp-from-events-topic'),
  FromEventsTopicPolicy: queuePolicy(
    ['FromEventsTopic'],
    allow('sns.amazonaws.com', 'sqs:SendMessage', { Ref: 'EventsTopic' }),
  ),
  FromEventsTopicSubscription: subscription('EventsTopic', 'FromEventsTopic'),
};

describe('resource policies on deliveries between services', () => {
  let cloud: LocalCloud;
  let sqs: SQSClient;
  const recorder = logRecorder();
  const clientConfig = () => ({
    endpoint: cloud.lambdaEndpoint,
    region: REGION,
    credentials: cloud.credentials,
    forcePathStyle: true,
  });

  /** The bodies a queue holds: long-polled (SQS's own wait) until one comes, or none after `waitSeconds`. */
  const bodies = async (name: string, waitSeconds = 5): Promise<string[]> => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
    );
    return Messages.map((message) => message.Body ?? '');
  };
  const s3Keys = (messages: string[]) =>
    messages.map((body) => {
      const parsed = JSON.parse(body) as {
        Message?: string;
        Records?: { s3: { object: { key: string } } }[];
      };
      const event = (parsed.Message ? JSON.parse(parsed.Message) : parsed) as typeof parsed;
      return event.Records?.[0]?.s3.object.key;
    });

  beforeAll(async () => {
    cloud = await start({
      service: serviceDefinition({
        service: 'dp',
        servicePath: SERVICE_PATH,
        provider: { region: REGION },
        resources: RESOURCES,
      }),
      inMemory: true,
      log: recorder.log,
    });
    sqs = new SQSClient(clientConfig());
  }, 60_000);

  jest.setTimeout(30_000);

  afterAll(async () => {
    sqs?.destroy();
    await cloud?.stop();
  });

  describe('S3 notifications', () => {
    it('reach a queue and a topic whose policies allow s3.amazonaws.com for the bucket', async () => {
      const s3 = new S3Client(clientConfig());
      await s3.send(new PutObjectCommand({ Bucket: 'dp-allowed', Key: 'q/a.txt', Body: 'a' }));
      await s3.send(new PutObjectCommand({ Bucket: 'dp-allowed', Key: 't/b.txt', Body: 'b' }));
      s3.destroy();

      expect(s3Keys(await bodies('dp-s3'))).toEqual(['q/a.txt']);
      expect(s3Keys(await bodies('dp-from-s3-topic'))).toEqual(['t/b.txt']);
    });

    it('are refused at start, as the deploy would fail, when the queue has no policy or the topic only its default one', () => {
      const errors = recorder.lines.filter((line) => line.includes('error: '));
      const refused = (destination: string) => errors.find((line) => line.includes(`→ ${destination}`));

      expect(refused(queueArn('dp-plain'))).toEqual(
        expect.stringContaining(
          'S3 answers PutBucketNotificationConfiguration with 400 InvalidArgument "Unable to validate the following destination configurations", so the deploy fails, because the queue has no policy',
        ),
      );
      expect(refused(queueArn('dp-plain'))).toContain('(bucket dp-refused');
      expect(refused(queueArn('dp-plain'))).toContain(
        `Fix: add to the queue's policy (PolicyDocument.Statement of an AWS::SQS::QueuePolicy whose Queues lists it, or its Policy attribute) the statement { Effect: Allow, Principal: { Service: s3.amazonaws.com }, Action: sqs:SendMessage, Resource: ${queueArn('dp-plain')}, Condition: { ArnEquals: { aws:SourceArn: arn:aws:s3:::dp-refused } } }`,
      );
      // The default topic policy allows the owner's principals (AWS:SourceOwner), which S3 is not.
      expect(refused(topicArn('dp-default-topic'))).toContain(
        "because no statement of the topic's policy allows s3.amazonaws.com to SNS:Publish with aws:SourceArn arn:aws:s3:::dp-refused",
      );
    });

    it('of a refused configuration are not sent: one short line per event says so', async () => {
      const s3 = new S3Client(clientConfig());
      await s3.send(new PutObjectCommand({ Bucket: 'dp-refused', Key: 'q/c.txt', Body: 'c' }));
      s3.destroy();

      await expect(
        recorder.waitFor(
          /S3 notification for s3:\/\/dp-refused\/q\/c\.txt not sent to .*dp-plain: .* would not deploy/,
        ),
      ).resolves.toBeDefined();
      expect(await bodies('dp-plain', 0)).toEqual([]);
    });

    it('are refused when a Deny statement names the bucket, whatever allows it', () => {
      expect(recorder.lines.find((line) => line.includes(`→ ${queueArn('dp-denied')}`))).toContain(
        "because NoUploads of the queue's policy denies s3.amazonaws.com sqs:SendMessage explicitly. Fix: narrow or remove that Deny statement",
      );
    });

    it('are refused when the policy’s aws:SourceArn names another bucket', () => {
      expect(
        recorder.lines.find((line) => line.includes('(bucket dp-other') && line.includes('error: ')),
      ).toContain(
        "no statement of the queue's policy allows s3.amazonaws.com to sqs:SendMessage with aws:SourceArn arn:aws:s3:::dp-other",
      );
    });
  });

  describe('SNS subscriptions of queues', () => {
    it('deliver when the queue allows sns.amazonaws.com for the topic, and fail with the fix when it names another topic', async () => {
      const sns = new SNSClient(clientConfig());
      await sns.send(new PublishCommand({ TopicArn: topicArn('dp-orders'), Message: 'order 1' }));
      sns.destroy();

      const [delivered] = await bodies('dp-from-orders');
      expect(JSON.parse(delivered ?? '{}')).toMatchObject({ Type: 'Notification', Message: 'order 1' });
      const failure = await recorder.waitFor(/could not be delivered to .*dp-not-from-orders/);
      expect(failure).toContain(
        `AWS refuses this delivery: no statement of the queue's policy allows sns.amazonaws.com to sqs:SendMessage with aws:SourceArn ${topicArn('dp-orders')}. Fix: add to the queue's policy`,
      );
      expect(failure).toContain(`Condition: { ArnEquals: { aws:SourceArn: ${topicArn('dp-orders')} } }`);
      expect(await bodies('dp-not-from-orders', 0)).toEqual([]);
    });

    it('of a queue made through the API deliver once SetQueueAttributes gives it the policy', async () => {
      const sns = new SNSClient(clientConfig());
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dp-api' }));
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn('dp-orders'),
          Protocol: 'sqs',
          Endpoint: queueArn('dp-api'),
          Attributes: { RawMessageDelivery: 'true' },
          ReturnSubscriptionArn: true,
        }),
      );
      await sns.send(new PublishCommand({ TopicArn: topicArn('dp-orders'), Message: 'before' }));
      await recorder.waitFor(
        /could not be delivered to .*dp-api: AWS refuses this delivery: the queue has no policy/,
      );
      const policy = {
        Version: '2012-10-17',
        Statement: [allow('sns.amazonaws.com', 'sqs:SendMessage', topicArn('dp-orders'))],
      };
      // A policy IAM would refuse is refused when set.
      await expect(
        sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: '{"Statement": []}' } })),
      ).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
      await sqs.send(
        new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }),
      );
      await sns.send(new PublishCommand({ TopicArn: topicArn('dp-orders'), Message: 'after' }));
      await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      sns.destroy();

      expect(await bodies('dp-api')).toEqual(['after']);
    });
  });

  describe('EventBridge targets', () => {
    it('deliver to a queue and a topic that allow events.amazonaws.com for the rule, and fail with the fix otherwise', async () => {
      const events = new EventBridgeClient(clientConfig());
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'dp.test', DetailType: 'Test', Detail: '{"n":1}' }] }),
      );
      events.destroy();

      const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/dp-rule`;
      expect((await bodies('dp-events')).map((body) => JSON.parse(body) as unknown)).toEqual([
        expect.objectContaining({ source: 'dp.test', detail: { n: 1 } }),
      ]);
      const [viaTopic] = await bodies('dp-from-events-topic');
      const notification = JSON.parse(viaTopic ?? '{}') as { Message: string };
      expect(JSON.parse(notification.Message)).toMatchObject({ source: 'dp.test' });
      // The other queue's policy names the other rule; the default topic policy does not allow EventBridge.
      expect(await recorder.waitFor(/rule dp-rule: could not deliver event .* to .*dp-other-rule/)).toContain(
        `no statement of the queue's policy allows events.amazonaws.com to sqs:SendMessage with aws:SourceArn ${ruleArn}`,
      );
      expect(
        await recorder.waitFor(/rule dp-rule: could not deliver event .* to .*dp-default-topic/),
      ).toContain(`Fix: add to the topic's policy`);
      expect(await bodies('dp-other-rule', 0)).toEqual([]);
    });
  });
});

describe('deliveryAllowed', () => {
  const check: DeliveryCheck = {
    service: 's3.amazonaws.com',
    action: 'sqs:SendMessage',
    targetArn: queueArn('jobs'),
    sourceArn: 'arn:aws:s3:::uploads',
    sourceAccount: ACCOUNT,
  };
  const policyOf = (...statements: Statement[]) =>
    JSON.stringify({ Version: '2012-10-17', Statement: statements });

  it('allows a service its policy names, tests aws:SourceAccount, and refuses other principals', () => {
    const statement = {
      ...allow('s3.amazonaws.com', 'sqs:SendMessage', 'arn:aws:s3:::uploads'),
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    };
    expect(deliveryAllowed(policyOf(statement), check)).toEqual({ allowed: true });
    expect(deliveryAllowed(policyOf(statement), { ...check, sourceAccount: '999999999999' })).toMatchObject({
      allowed: false,
    });
    expect(deliveryAllowed(policyOf(statement), { ...check, service: 'sns.amazonaws.com' })).toMatchObject({
      allowed: false,
    });
  });

  it('refuses with a reason when the policy cannot be read', () => {
    expect(deliveryAllowed('{not json', check)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("the queue's policy cannot be read") as unknown,
    });
  });
});
