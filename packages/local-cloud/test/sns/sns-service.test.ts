import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { createSnsService, type SnsService } from '../../src/services/sns/sns-service';
import {
  ACCOUNT,
  clientConfig,
  CREDENTIALS,
  FakeAsyncInvoker,
  functionArn,
  REGION,
  serviceWith,
  temporaryDirectory,
} from './messaging-harness';

const SERVICE = 'sns-tests';
const arn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;

const service = serviceWith({
  service: SERVICE,
  functions: {
    onDispatch: [{ sns: 'dispatch' }],
    onDispatchToo: [{ sns: { topicName: 'dispatch' } }],
    onAudit: [{ sns: { arn: { Ref: 'AuditTopic' }, topicName: 'audit' } }],
    onExisting: [{ sns: arn('pre-existing') }],
    onExpensive: [
      {
        sns: {
          topicName: 'orders',
          filterPolicy: {
            store: ['example_corp'],
            event: [{ 'anything-but': 'order_cancelled' }],
            price_usd: [{ numeric: ['>=', 100] }],
          },
        },
      },
    ],
    onAnyOrder: [{ sns: 'orders' }],
    onInline: [],
    onSubscribed: [],
  },
  resources: {
    AuditTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: 'audit',
        DisplayName: 'Audit "trail" & more',
        Subscription: [{ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['OnInlineLambdaFunction', 'Arn'] } }],
      },
    },
    UnnamedTopic: { Type: 'AWS::SNS::Topic', Properties: {} },
    AuditSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'AuditTopic' },
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': ['OnSubscribedLambdaFunction', 'Arn'] },
      },
    },
    AuditMail: {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'AuditTopic' }, Protocol: 'email', Endpoint: 'ops@example.com' },
    },
  },
});

const invoker = new FakeAsyncInvoker();
const dataDir = temporaryDirectory('sns-tests-');
let sns: SnsService;
let client: SNSClient;

beforeAll(async () => {
  sns = await createSnsService({
    service,
    credentials: CREDENTIALS,
    region: REGION,
    asyncInvoker: invoker,
    dataDir: dataDir.path,
  });
  client = new SNSClient(clientConfig(sns.url));
});

afterAll(async () => {
  client.destroy();
  await sns.stop();
  dataDir.remove();
});

beforeEach(() => invoker.clear());

function recordsOf(functionKey: string): Record<string, unknown>[] {
  return invoker.deliveries
    .filter((delivery) => delivery.functionName === functionArn(SERVICE, functionKey))
    .map((delivery) => (delivery.event as { Records: Record<string, unknown>[] }).Records)
    .flat();
}

describe('topics declared by the service', () => {
  it('creates the topics of sns events and CloudFormation, with the framework-generated name for an unnamed one', async () => {
    const { Topics } = await client.send(new ListTopicsCommand({}));

    expect(Topics?.map((topic) => topic.TopicArn)).toEqual(
      expect.arrayContaining([
        arn('dispatch'),
        arn('audit'),
        arn('pre-existing'),
        arn('orders'),
        expect.stringMatching(/:sns-tests-dev-UnnamedTopic-[A-Z0-9]{12}$/),
      ]),
    );
  });

  it('subscribes each function to its topic, CloudFormation subscriptions included', async () => {
    const byTopic = async (name: string) =>
      (await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn(name) }))).Subscriptions?.map(
        (subscription) => subscription.Endpoint,
      );

    expect(await byTopic('dispatch')).toEqual([
      functionArn(SERVICE, 'onDispatch'),
      functionArn(SERVICE, 'onDispatchToo'),
    ]);
    expect(await byTopic('audit')).toEqual(
      expect.arrayContaining([
        functionArn(SERVICE, 'onInline'),
        functionArn(SERVICE, 'onAudit'),
        functionArn(SERVICE, 'onSubscribed'),
      ]),
    );
    expect(await byTopic('pre-existing')).toEqual([functionArn(SERVICE, 'onExisting')]);
  });

  it('warns about subscriptions it cannot deliver (email) instead of failing', () => {
    expect(sns.warnings).toEqual([
      expect.stringContaining('resources.AuditMail: local-cloud delivers SNS messages only to Lambda'),
    ]);
  });

  it('refuses a malformed filterPolicy in serverless.yml with one line naming it', async () => {
    const broken = serviceWith({
      service: 'sns-broken',
      functions: {
        onOrder: [{ sns: { topicName: 'orders', filterPolicy: { price: [{ numeric: ['~', 1] }] } } }],
      },
    });

    await expect(
      createSnsService({
        service: broken,
        credentials: CREDENTIALS,
        region: REGION,
        asyncInvoker: invoker,
        inMemory: true,
      }),
    ).rejects.toThrow(
      new ServiceConfigError(
        `${broken.servicePath}/serverless.yml`,
        'functions.onOrder.events[0].sns.filterPolicy: Invalid parameter: FilterPolicy: Unrecognized match type numeric for "price"',
        'write the filter policy as SNS documents it: https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html',
      ).message,
    );
  });

  it('answers GetTopicAttributes with SNS attributes, escaping the XML', async () => {
    const { Attributes } = await client.send(new GetTopicAttributesCommand({ TopicArn: arn('audit') }));

    expect(Attributes).toEqual(
      expect.objectContaining({
        TopicArn: arn('audit'),
        Owner: ACCOUNT,
        DisplayName: 'Audit "trail" & more',
        SubscriptionsConfirmed: '3',
        SubscriptionsPending: '0',
      }),
    );
    expect(JSON.parse(Attributes?.Policy ?? '')).toEqual(expect.objectContaining({ Version: '2008-10-17' }));
  });
});

describe('Publish', () => {
  it('invokes every subscribed function once, asynchronously, with one record in AWS shape', async () => {
    const started = performance.now();
    const { MessageId } = await client.send(
      new PublishCommand({
        TopicArn: arn('dispatch'),
        Message: '{"orderId":42}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'order' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
        },
      }),
    );
    await invoker.waitFor(2);

    const [record, ...others] = recordsOf('onDispatch');
    expect(others).toHaveLength(0);
    expect(recordsOf('onDispatchToo')).toHaveLength(1);
    expect(record).toEqual({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: expect.stringMatching(
        new RegExp(`^${arn('dispatch')}:[0-9a-f-]{36}$`),
      ) as unknown,
      Sns: {
        Type: 'Notification',
        MessageId,
        TopicArn: arn('dispatch'),
        Subject: null,
        Message: '{"orderId":42}',
        Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
        SignatureVersion: '1',
        Signature: expect.any(String) as unknown,
        SigningCertUrl: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/SimpleNotificationService-/,
        ) as unknown,
        UnsubscribeUrl: `${sns.url}/?Action=Unsubscribe&SubscriptionArn=${String(record?.EventSubscriptionArn)}`,
        MessageAttributes: {
          kind: { Type: 'String', Value: 'order' },
          blob: { Type: 'Binary', Value: Buffer.from('hi').toString('base64') },
        },
      },
    });
    expect(Object.keys((record as { Sns: object }).Sns)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertUrl',
      'UnsubscribeUrl',
      'MessageAttributes',
    ]);
    expect(invoker.deliveries.every((delivery) => delivery.at >= started)).toBe(true);
  });

  it('fans out to 3 subscribers within milliseconds of the Publish call', async () => {
    const started = performance.now();
    await client.send(
      new PublishCommand({ TopicArn: arn('audit'), Message: 'audit', Subject: 'Audit entry' }),
    );
    const deliveries = await invoker.waitFor(3);
    const latencyMs = Math.max(...deliveries.map((delivery) => delivery.at)) - started;

    expect(deliveries).toHaveLength(3);
    expect(
      deliveries.map(
        (delivery) => (delivery.event as { Records: { Sns: { Subject: string } }[] }).Records[0]?.Sns.Subject,
      ),
    ).toEqual(['Audit entry', 'Audit entry', 'Audit entry']);
    expect(latencyMs).toBeLessThan(500);
  });

  it('delivers only the messages a subscription filter policy matches', async () => {
    const publish = (attributes: Record<string, [string, string]>) =>
      client.send(
        new PublishCommand({
          TopicArn: arn('orders'),
          Message: 'order',
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, [type, value]]) => [
              name,
              { DataType: type, StringValue: value },
            ]),
          ),
        }),
      );

    await publish({
      store: ['String', 'example_corp'],
      event: ['String', 'order_placed'],
      price_usd: ['Number', '210.75'],
    });
    await publish({
      store: ['String', 'example_corp'],
      event: ['String', 'order_cancelled'],
      price_usd: ['Number', '500'],
    });
    await publish({
      store: ['String', 'example_corp'],
      event: ['String', 'order_placed'],
      price_usd: ['Number', '99'],
    });
    await publish({
      store: ['String', 'other_corp'],
      event: ['String', 'order_placed'],
      price_usd: ['Number', '300'],
    });
    await invoker.waitFor(5);

    expect(recordsOf('onAnyOrder')).toHaveLength(4);
    expect(
      recordsOf('onExpensive').map(
        (record) =>
          (record as { Sns: { MessageAttributes: { price_usd: { Value: string } } } }).Sns.MessageAttributes
            .price_usd.Value,
      ),
    ).toEqual(['210.75']);
  });

  it('gives functions the lambda entry of a MessageStructure json message', async () => {
    await client.send(
      new PublishCommand({
        TopicArn: arn('pre-existing'),
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', lambda: 'for functions' }),
      }),
    );
    await invoker.waitFor(1);

    expect((recordsOf('onExisting')[0] as { Sns: { Message: string } }).Sns.Message).toBe('for functions');
  });

  it('accepts 256 KB of message and attributes, and refuses one byte more as SNS does', async () => {
    const attribute = { a: { DataType: 'String', StringValue: 'xy' } }; // 1 + 6 + 2 bytes
    const atLimit = 'x'.repeat(256 * 1024 - 9);

    await expect(
      client.send(
        new PublishCommand({ TopicArn: arn('pre-existing'), Message: atLimit, MessageAttributes: attribute }),
      ),
    ).resolves.toEqual(expect.objectContaining({ MessageId: expect.any(String) as unknown }));
    await expect(
      client.send(
        new PublishCommand({
          TopicArn: arn('pre-existing'),
          Message: `${atLimit}x`,
          MessageAttributes: attribute,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message too long',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses an unknown topic with NotFound, as SNS does', async () => {
    await expect(
      client.send(new PublishCommand({ TopicArn: arn('nope'), Message: 'x' })),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message: 'Topic does not exist',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('publishes for in-process callers (S3 notifications) through publish()', async () => {
    const messageId = sns.publish(arn('pre-existing'), '{"Records":[]}', 'Amazon S3 Notification');
    const [delivery] = await invoker.waitFor(1);

    expect((delivery?.event as { Records: { Sns: object }[] }).Records[0]?.Sns).toMatchObject({
      MessageId: messageId,
      Subject: 'Amazon S3 Notification',
      Message: '{"Records":[]}',
    });
    expect(() => sns.publish(arn('nope'), 'x')).toThrow('Topic does not exist');
    expect(sns.topicArnOf('AuditTopic')).toBe(arn('audit'));
    expect(sns.topicArnOf('SNSTopicDispatch')).toBe(arn('dispatch'));
  });
});

describe('topics and subscriptions through the API', () => {
  it('creates a topic (idempotently), subscribes a function with a filter policy, then cleans up', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'sns-tests-api' }));
    const again = await client.send(new CreateTopicCommand({ Name: 'sns-tests-api' }));
    const { SubscriptionArn } = await client.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'lambda',
        Endpoint: functionArn(SERVICE, 'onDispatch'),
        Attributes: { FilterPolicy: JSON.stringify({ colour: [{ prefix: 'bl' }] }) },
        ReturnSubscriptionArn: true,
      }),
    );
    await client.send(
      new PublishCommand({
        TopicArn,
        Message: 'red',
        MessageAttributes: { colour: { DataType: 'String', StringValue: 'red' } },
      }),
    );
    await client.send(
      new PublishCommand({
        TopicArn,
        Message: 'blue',
        MessageAttributes: { colour: { DataType: 'String', StringValue: 'blue' } },
      }),
    );
    await invoker.waitFor(1);
    const attributes = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    const listed = await client.send(new ListSubscriptionsCommand({}));
    await client.send(new UnsubscribeCommand({ SubscriptionArn }));
    const afterUnsubscribe = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    await client.send(new DeleteTopicCommand({ TopicArn }));
    const topicsAfterDelete = await client.send(new ListTopicsCommand({}));

    expect(again.TopicArn).toBe(TopicArn);
    expect(TopicArn).toBe(arn('sns-tests-api'));
    expect(
      invoker.deliveries.map(
        (delivery) => (delivery.event as { Records: { Sns: { Message: string } }[] }).Records[0]?.Sns.Message,
      ),
    ).toEqual(['blue']);
    expect(attributes.Attributes).toMatchObject({
      Protocol: 'lambda',
      FilterPolicy: '{"colour":[{"prefix":"bl"}]}',
    });
    expect(listed.Subscriptions?.map((subscription) => subscription.SubscriptionArn)).toContain(
      SubscriptionArn,
    );
    expect(afterUnsubscribe.Subscriptions).toEqual([]);
    expect(topicsAfterDelete.Topics?.map((topic) => topic.TopicArn)).not.toContain(TopicArn);
  });

  it('refuses protocols other than lambda and sqs with an error naming the protocol', async () => {
    await expect(
      client.send(
        new SubscribeCommand({
          TopicArn: arn('dispatch'),
          Protocol: 'email',
          Endpoint: 'someone@example.com',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('email subscriptions are not implemented') as unknown,
    });
  });

  it('refuses an sqs subscription when no SQS service runs beside it, and a malformed queue ARN', async () => {
    await expect(
      client.send(
        new SubscribeCommand({
          TopicArn: arn('dispatch'),
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:123456789012:q',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Protocol Reason: no SQS service runs beside this SNS',
    });
    await expect(
      client.send(new SubscribeCommand({ TopicArn: arn('dispatch'), Protocol: 'sqs', Endpoint: 'my-queue' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: SQS endpoint ARN',
    });
  });

  it('refuses an invalid filter policy as SNS does', async () => {
    await expect(
      client.send(
        new SubscribeCommand({
          TopicArn: arn('dispatch'),
          Protocol: 'lambda',
          Endpoint: functionArn(SERVICE, 'onAudit'),
          Attributes: { FilterPolicy: '{"a":[{"wildcard-ish":1}]}' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('FilterPolicy') as unknown,
    });
  });

  it('sets a topic’s Policy and DisplayName, refuses a malformed policy, and restores the default on an empty one', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'sns-tests-policy' }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'SNS:Publish',
          Resource: TopicArn,
        },
      ],
    });
    const set = (AttributeName: string, AttributeValue: string) =>
      client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName, AttributeValue }));
    const attributes = async () =>
      (await client.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes ?? {};

    await set('Policy', policy);
    await set('DisplayName', 'Uploads');
    expect(await attributes()).toEqual(expect.objectContaining({ Policy: policy, DisplayName: 'Uploads' }));
    await expect(set('Policy', '{"Statement": []}')).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Invalid parameter: Policy Error') as unknown,
    });
    await set('Policy', '');
    expect(JSON.parse((await attributes()).Policy ?? '')).toEqual(
      expect.objectContaining({ Id: '__default_policy_ID' }),
    );
  });

  it('answers an action it does not implement with an AWS error naming it', async () => {
    await expect(
      client.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: `${arn('dispatch')}:00000000-0000-4000-a000-000000000000`,
          AttributeName: 'RawMessageDelivery',
          AttributeValue: 'true',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidAction',
      message: expect.stringContaining('does not implement the action SetSubscriptionAttributes') as unknown,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('keeps API-made topics and subscriptions across a restart, unless in memory', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'sns-tests-kept' }));
    await client.send(
      new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn(SERVICE, 'onAudit') }),
    );
    const options = { service, credentials: CREDENTIALS, region: REGION, asyncInvoker: invoker };

    const restarted = await createSnsService({ ...options, dataDir: dataDir.path });
    const inMemory = await createSnsService({ ...options, inMemory: true });
    try {
      expect(restarted.listSubscriptions(TopicArn).map((subscription) => subscription.endpoint)).toEqual([
        functionArn(SERVICE, 'onAudit'),
      ]);
      expect(inMemory.listTopics().map((topic) => topic.arn)).not.toContain(TopicArn);
    } finally {
      await Promise.all([restarted.stop(), inMemory.stop()]);
    }
  });
});

describe('SigV4', () => {
  it('refuses a wrong secret key with SignatureDoesNotMatch and an unknown key with InvalidClientTokenId (403)', async () => {
    const wrongSecret = new SNSClient(clientConfig(sns.url, { ...CREDENTIALS, secretAccessKey: 'wrong' }));
    const unknownKey = new SNSClient(clientConfig(sns.url, { ...CREDENTIALS, accessKeyId: 'AKIAUNKNOWN' }));
    try {
      await expect(wrongSecret.send(new ListTopicsCommand({}))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(unknownKey.send(new ListTopicsCommand({}))).rejects.toMatchObject({
        name: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      wrongSecret.destroy();
      unknownKey.destroy();
    }
  });
});
