// What other services send to queues, as they send it on AWS: SNS subscriptions (the notification JSON, or the
// message itself with raw delivery, filter policies applied), S3 event notifications (QueueConfigurations),
// and Lambda's async outcomes (destinations' invocation records, and the failed event in its `onError`
// dead-letter queue with RequestID, ErrorCode and ErrorMessage). Driven with the SDK v3 clients users use.
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { start, type LocalCloud } from '../../src';
import { serviceDefinition } from '../support/function-definition';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'sqs');
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
/** How the config loader keeps an intrinsic it cannot resolve before the platform runs (normalize.test.ts). */
const loadedArnOf = (logicalId: string) => JSON.stringify(arnOf(logicalId));
const queue = (name: string) => ({
  Type: 'AWS::SQS::Queue',
  Properties: { QueueName: `deliveries-${name}` },
});

describe('deliveries to SQS queues', () => {
  let cloud: LocalCloud;
  let sqs: SQSClient;
  const clientConfig = () => ({
    endpoint: cloud.lambdaEndpoint,
    region: REGION,
    credentials: cloud.credentials,
    forcePathStyle: true,
  });

  /**
   * What the queue holds: long-polled (SQS's own wait, no sleeping here) until a message comes, then what else
   * is there at once. Senders send in order, so a message sent before the one awaited is there too.
   */
  const receive = async (name: string): Promise<Message[]> => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `deliveries-${name}` }));
    const messages: Message[] = [];
    for (let polls = 0; polls < 10; polls++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: messages.length === 0 ? 2 : 0,
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0 && messages.length > 0) break;
      messages.push(...Messages);
    }
    return messages;
  };

  beforeAll(async () => {
    cloud = await start({
      service: serviceDefinition({
        service: 'deliveries',
        servicePath: SERVICE_PATH,
        provider: { region: REGION },
        functions: {
          succeeds: {
            handler: 'src/outcomes.succeeds',
            destinations: { onSuccess: loadedArnOf('Successes') },
          },
          fails: {
            handler: 'src/outcomes.fails',
            maximumRetryAttempts: 0,
            destinations: { onFailure: `arn:aws:sqs:${REGION}:${ACCOUNT}:deliveries-failures` },
            deadLetterTarget: loadedArnOf('DeadLetters'),
          },
        },
        resources: {
          Orders: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'deliveries-orders' } },
          Wrapped: queue('wrapped'),
          Raw: queue('raw'),
          Large: queue('large'),
          Uploads: queue('uploads'),
          Successes: queue('successes'),
          Failures: queue('failures'),
          DeadLetters: queue('dead-letters'),
          Subscribed: queue('subscribed'),
          WrappedSubscription: {
            Type: 'AWS::SNS::Subscription',
            Properties: { TopicArn: { Ref: 'Orders' }, Protocol: 'sqs', Endpoint: arnOf('Wrapped') },
          },
          RawSubscription: {
            Type: 'AWS::SNS::Subscription',
            Properties: {
              TopicArn: { Ref: 'Orders' },
              Protocol: 'sqs',
              Endpoint: arnOf('Raw'),
              RawMessageDelivery: true,
            },
          },
          LargeOrdersSubscription: {
            Type: 'AWS::SNS::Subscription',
            Properties: {
              TopicArn: { Ref: 'Orders' },
              Protocol: 'sqs',
              Endpoint: arnOf('Large'),
              FilterPolicy: { total: [{ numeric: ['>=', 100] }] },
            },
          },
          // SNS and S3 send as their service principals: the queues' policies must allow them, as on AWS.
          OrdersQueuesPolicy: {
            Type: 'AWS::SQS::QueuePolicy',
            Properties: {
              Queues: [{ Ref: 'Wrapped' }, { Ref: 'Raw' }, { Ref: 'Large' }, { Ref: 'Subscribed' }],
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'sns.amazonaws.com' },
                    Action: 'sqs:SendMessage',
                    Resource: '*',
                    Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'Orders' } } },
                  },
                ],
              },
            },
          },
          UploadsQueuePolicy: {
            Type: 'AWS::SQS::QueuePolicy',
            Properties: {
              Queues: [{ Ref: 'Uploads' }],
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 's3.amazonaws.com' },
                    Action: 'sqs:SendMessage',
                    Resource: arnOf('Uploads'),
                    Condition: {
                      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::deliveries-uploads' },
                      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                    },
                  },
                ],
              },
            },
          },
          UploadsBucket: {
            Type: 'AWS::S3::Bucket',
            // On AWS the bucket must be created after the policy, or S3 cannot validate the destination.
            DependsOn: ['UploadsQueuePolicy'],
            Properties: {
              BucketName: 'deliveries-uploads',
              NotificationConfiguration: {
                QueueConfigurations: [
                  {
                    Event: 's3:ObjectCreated:*',
                    Queue: arnOf('Uploads'),
                    Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }] } },
                  },
                ],
              },
            },
          },
        },
      }),
      inMemory: true,
      asyncRetryDelaysMs: [1, 1],
    });
    sqs = new SQSClient(clientConfig());
  }, 60_000);

  jest.setTimeout(30_000);

  afterAll(async () => {
    sqs?.destroy();
    await cloud?.stop();
  });

  it('gives SNS subscribers the notification JSON, or with raw delivery the message and its attributes', async () => {
    const sns = new SNSClient(clientConfig());
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:deliveries-orders`,
        Subject: 'New order',
        Message: JSON.stringify({ order: 7 }),
        MessageAttributes: { total: { DataType: 'Number', StringValue: '42' } },
      }),
    );
    sns.destroy();

    const [wrapped] = await receive('wrapped');
    expect(JSON.parse(wrapped?.Body ?? '')).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:deliveries-orders`,
      Subject: 'New order',
      Message: '{"order":7}',
      SignatureVersion: '1',
      MessageAttributes: { total: { Type: 'Number', Value: '42' } },
    });
    expect(Object.keys(JSON.parse(wrapped?.Body ?? '{}') as object)).toContain('UnsubscribeURL');

    const [raw] = await receive('raw');
    expect(raw?.Body).toBe('{"order":7}');
    expect(raw?.MessageAttributes).toEqual({ total: { DataType: 'Number', StringValue: '42' } });
  });

  it('delivers to a queue subscribed through the API, and reports raw delivery in its attributes', async () => {
    const sns = new SNSClient(clientConfig());
    const TopicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:deliveries-orders`;
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:deliveries-subscribed`,
        Attributes: { RawMessageDelivery: 'true' },
        ReturnSubscriptionArn: true,
      }),
    );
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello queue' }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    sns.destroy();

    expect(Attributes).toMatchObject({ Protocol: 'sqs', RawMessageDelivery: 'true' });
    expect((await receive('subscribed')).map((message) => message.Body)).toEqual(['hello queue']);
  });

  it('applies a subscription’s filter policy before sending to its queue', async () => {
    const sns = new SNSClient(clientConfig());
    const publish = (total: number) =>
      sns.send(
        new PublishCommand({
          TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:deliveries-orders`,
          Message: `order of ${total}`,
          MessageAttributes: { total: { DataType: 'Number', StringValue: String(total) } },
        }),
      );
    await publish(5);
    await publish(250);
    sns.destroy();

    const large = await receive('large');
    expect(large.map((message) => (JSON.parse(message.Body ?? '{}') as { Message: string }).Message)).toEqual(
      ['order of 250'],
    );
  });

  it('sends S3 event notifications to a queue, for the keys its filter names', async () => {
    const s3 = new S3Client(clientConfig());
    await s3.send(new PutObjectCommand({ Bucket: 'deliveries-uploads', Key: 'elsewhere/a.txt', Body: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: 'deliveries-uploads', Key: 'incoming/b.txt', Body: 'b' }));
    s3.destroy();

    const messages = await receive('uploads');
    expect(messages).toHaveLength(1);
    const event = JSON.parse(messages[0]?.Body ?? '{}') as {
      Records: {
        eventSource: string;
        eventName: string;
        s3: { bucket: { name: string }; object: { key: string } };
      }[];
    };
    expect(event.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'deliveries-uploads' }, object: { key: 'incoming/b.txt' } },
    });
  });

  it('sends an async success’s invocation record to its onSuccess queue', async () => {
    const lambda = new LambdaClient(clientConfig());
    const { StatusCode } = await lambda.send(
      new InvokeCommand({ FunctionName: 'succeeds', InvocationType: 'Event', Payload: '{"order":1}' }),
    );
    lambda.destroy();
    expect(StatusCode).toBe(202);

    const [message] = await receive('successes');
    expect(JSON.parse(message?.Body ?? '{}')).toMatchObject({
      version: '1.0',
      requestContext: {
        functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:deliveries-dev-succeeds:$LATEST`,
        condition: 'Success',
        approximateInvokeCount: 1,
      },
      requestPayload: { order: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { done: 1 },
    });
  });

  it('sends a failed event’s record to onFailure and the event itself to the onError dead-letter queue', async () => {
    const lambda = new LambdaClient(clientConfig());
    await lambda.send(
      new InvokeCommand({ FunctionName: 'fails', InvocationType: 'Event', Payload: '{"order":2}' }),
    );
    lambda.destroy();

    const [failure] = await receive('failures');
    const record = JSON.parse(failure?.Body ?? '{}') as { requestContext: { requestId: string } };
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { order: 2 },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'cannot ship order 2' },
    });

    const [deadLetter] = await receive('dead-letters');
    expect(deadLetter?.Body).toBe('{"order":2}');
    expect(deadLetter?.MessageAttributes).toEqual({
      RequestID: { DataType: 'String', StringValue: record.requestContext.requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'cannot ship order 2' },
    });
  });
});
