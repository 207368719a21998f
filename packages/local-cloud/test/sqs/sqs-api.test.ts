// SQS at the AWS endpoint, driven as users drive it: the JSON protocol the SDK v3 speaks (signed, MD5s checked
// as the SDK checks them) and the AWS CLI (whose version here speaks the Query protocol). Queues come from
// AWS::SQS::Queue resources; the rules are the SQS developer guide's: visibility timeout, delay, redrive to the
// dead-letter queue, FIFO order and deduplication, and SQS's errors for careless calls.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '@serverless-course/test-kit';
import { start, type LocalCloud } from '../../src';
import { md5OfAttributes } from '../../src/services/sqs/md5';
import { createSqsService } from '../../src/services/sqs/sqs-service';
import { serviceDefinition } from '../support/function-definition';
import { sqsJsonClient, type SqsJsonClient } from './support/sqs-json';
import { awsCli } from '../support/aws-cli';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'sqs');

const RESOURCES = {
  Jobs: {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: 'jobs',
      VisibilityTimeout: 30,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['JobsDlq', 'Arn'] }, maxReceiveCount: 2 },
    },
  },
  JobsDlq: {
    Type: 'AWS::SQS::Queue',
    Properties: { QueueName: 'jobs-dlq', MessageRetentionPeriod: 1_209_600 },
  },
  Orders: {
    Type: 'AWS::SQS::Queue',
    Properties: { QueueName: 'orders.fifo', FifoQueue: true, ContentBasedDeduplication: true },
  },
  Strict: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
  Tiny: {
    Type: 'AWS::SQS::Queue',
    Properties: { QueueName: 'tiny', MaximumMessageSize: 1024, DelaySeconds: 0 },
  },
  Delayed: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'delayed', DelaySeconds: 900 } },
};

describe('MD5OfMessageAttributes', () => {
  // Known answers published with aws-md5-of-message-attributes, checked against SQS.
  it.each([
    [
      { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } },
      '19e27d4e946b072f3f58da80d94fd778',
    ],
    [
      {
        customNumberTypeAttrib: {
          DataType: 'Number.float',
          StringValue: '4563442423554324324264524243.32543234',
        },
      },
      '9fe1b90bbd9965bdf77bac517c7d2495',
    ],
    [
      {
        binaryAttribute: {
          DataType: 'Binary',
          BinaryValue: Buffer.from('Hello binary world!').toString('base64'),
        },
      },
      '31a92b15d92f8db860eda32aceb656c3',
    ],
    [
      {
        attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
        customNumberTypeAttrib: {
          DataType: 'Number.float',
          StringValue: '4563442423554324324264524243.32543234',
        },
        binaryAttribute: {
          DataType: 'Binary',
          BinaryValue: Buffer.from('Hello binary world!').toString('base64'),
        },
      },
      'c932db14a896c663f83c260297d594ff',
    ],
  ])('is SQS’s digest of %j', (attributes, digest) => {
    expect(md5OfAttributes(attributes)).toBe(digest);
  });
});

describe('SQS at the AWS endpoint', () => {
  let cloud: LocalCloud;
  let sqs: SqsJsonClient;
  let home: string;
  const url = (name: string) => `${cloud.lambdaEndpoint}/${ACCOUNT}/${name}`;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-sqs-cli-'));
    cloud = await start({
      service: serviceDefinition({
        service: 'queues',
        servicePath: SERVICE_PATH,
        provider: { region: REGION },
        resources: RESOURCES,
      }),
      inMemory: true,
    });
    sqs = sqsJsonClient({ endpoint: cloud.lambdaEndpoint, region: REGION, credentials: cloud.credentials });
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('creates the declared queues, named or with CloudFormation’s generated name, at URLs on the endpoint', async () => {
    const listed = await sqs.send<{ QueueUrls: string[] }>('ListQueues', {});
    expect(listed.QueueUrls).toEqual(
      expect.arrayContaining([url('jobs'), url('jobs-dlq'), url('orders.fifo'), url('tiny')]),
    );
    expect(listed.QueueUrls.find((queueUrl) => queueUrl.includes('queues-dev-Strict-'))).toMatch(
      new RegExp(`^${cloud.lambdaEndpoint}/${ACCOUNT}/queues-dev-Strict-[A-Z0-9]{12}\\.fifo$`),
    );
    expect(await sqs.send('ListQueues', { QueueNamePrefix: 'jobs' })).toEqual({
      QueueUrls: [url('jobs'), url('jobs-dlq')],
    });
    expect(await sqs.send('GetQueueUrl', { QueueName: 'orders.fifo' })).toEqual({
      QueueUrl: url('orders.fifo'),
    });
    const { Attributes } = await sqs.send<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: url('jobs'),
      AttributeNames: ['All'],
    });
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`,
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      ApproximateNumberOfMessages: '0',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs-dlq`,
        maxReceiveCount: 2,
      }),
    });
    // The resources resolve as CloudFormation gives them: Ref is the URL, GetAtt Arn and QueueName.
    expect(cloud.platform.resources.Jobs).toEqual({
      type: 'AWS::SQS::Queue',
      ref: url('jobs'),
      attributes: { Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`, QueueName: 'jobs', QueueUrl: url('jobs') },
    });
  });

  it('sends and receives with SQS’s digests, message attributes and system attributes', async () => {
    const queueUrl = (await sqs.send<{ QueueUrl: string }>('CreateQueue', { QueueName: 'roundtrip' }))
      .QueueUrl;
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const attributes = {
      kind: { DataType: 'String', StringValue: 'order' },
      weight: { DataType: 'Number', StringValue: '12.5' },
      blob: { DataType: 'Binary', BinaryValue: bytes },
    };
    const sent = await sqs.send<Record<string, string>>('SendMessage', {
      QueueUrl: queueUrl,
      MessageBody: 'héllo ✓',
      MessageAttributes: attributes,
    });
    // Over the wire a binary value is base64, which is what the digest covers.
    expect(sent.MD5OfMessageAttributes).toBe(
      md5OfAttributes({
        ...attributes,
        blob: { DataType: 'Binary', BinaryValue: Buffer.from(bytes).toString('base64') },
      }),
    );

    const { Messages } = await sqs.send<{ Messages: Record<string, unknown>[] }>('ReceiveMessage', {
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    });
    expect(Messages).toEqual([
      {
        MessageId: sent.MessageId,
        ReceiptHandle: expect.any(String) as unknown,
        MD5OfBody: sent.MD5OfMessageBody,
        Body: 'héllo ✓',
        Attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d{13}$/) as unknown,
        },
        MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
        MessageAttributes: attributes,
      },
    ]);
    // In flight for the visibility timeout: nobody else gets it.
    expect(await sqs.send('ReceiveMessage', { QueueUrl: queueUrl })).toEqual({});
    await sqs.send('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle });
    await sqs
      .send('ChangeMessageVisibility', {
        QueueUrl: queueUrl,
        ReceiptHandle: Messages[0]!.ReceiptHandle,
        VisibilityTimeout: 0,
      })
      .then(
        () => {
          throw new Error('a deleted message changed visibility');
        },
        (error: Error) => expect(error.name).toBe('MessageNotInflight'),
      );
    const counts = await sqs.send<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    });
    expect(counts.Attributes).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('brings a message back when its visibility timeout ends, counts receives, redrives it to the DLQ after maxReceiveCount, and takes AWS’s URL form', async () => {
    const awsUrl = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs`;
    const { MessageId } = await sqs.send<{ MessageId: string }>('SendMessage', {
      QueueUrl: awsUrl,
      MessageBody: 'again',
    });
    const first = await sqs.send<{ Messages: { ReceiptHandle: string }[] }>('ReceiveMessage', {
      QueueUrl: url('jobs'),
      VisibilityTimeout: 0,
    });
    const second = await sqs.send<{
      Messages: { MessageId: string; ReceiptHandle: string; Attributes: Record<string, string> }[];
    }>('ReceiveMessage', { QueueUrl: awsUrl, VisibilityTimeout: 30, MessageSystemAttributeNames: ['All'] });
    expect(second.Messages[0]).toMatchObject({ MessageId, Attributes: { ApproximateReceiveCount: '2' } });
    // The first receive's handle is stale: deleting with it succeeds and deletes nothing.
    await sqs.send('DeleteMessage', { QueueUrl: awsUrl, ReceiptHandle: first.Messages[0]!.ReceiptHandle });
    await sqs.send('ChangeMessageVisibility', {
      QueueUrl: awsUrl,
      ReceiptHandle: second.Messages[0]!.ReceiptHandle,
      VisibilityTimeout: 0,
    });
    // Received twice already (maxReceiveCount 2): the next receive moves it to the dead-letter queue.
    expect(await sqs.send('ReceiveMessage', { QueueUrl: url('jobs') })).toEqual({});
    const dead = await sqs.send<{
      Messages: { MessageId: string; Body: string; Attributes: Record<string, string> }[];
    }>('ReceiveMessage', { QueueUrl: url('jobs-dlq'), MessageSystemAttributeNames: ['All'] });
    expect(dead.Messages).toEqual([
      expect.objectContaining({
        MessageId,
        Body: 'again',
        Attributes: expect.objectContaining({
          ApproximateReceiveCount: '1',
          DeadLetterQueueSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`,
        }) as unknown,
      }),
    ]);
  });

  it('answers a long poll as soon as a message arrives, not when the wait ends', async () => {
    const queues = cloud.platform.services.sqs.queues;
    const receiving = sqs.send<{ Messages?: { Body: string }[] }>('ReceiveMessage', {
      QueueUrl: url('tiny'),
      WaitTimeSeconds: 20,
    });
    await eventually(() => queues.getQueue('tiny').waiters.size === 1);
    const sentAt = Date.now();
    await sqs.send('SendMessage', { QueueUrl: url('tiny'), MessageBody: 'wake up' });
    const { Messages } = await receiving;
    expect(Messages?.map((message) => message.Body)).toEqual(['wake up']);
    expect(Date.now() - sentAt).toBeLessThan(1_000);
  });

  it('holds a delayed message back for the queue’s DelaySeconds', async () => {
    await sqs.send('SendMessage', { QueueUrl: url('delayed'), MessageBody: 'later' });
    await sqs.send('SendMessage', { QueueUrl: url('delayed'), MessageBody: 'now', DelaySeconds: 0 });
    const { Messages } = await sqs.send<{ Messages: { Body: string }[] }>('ReceiveMessage', {
      QueueUrl: url('delayed'),
      MaxNumberOfMessages: 10,
    });
    expect(Messages.map((message) => message.Body)).toEqual(['now']);
    const { Attributes } = await sqs.send<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: url('delayed'),
      AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
    });
    expect(Attributes).toEqual({ ApproximateNumberOfMessagesDelayed: '1' });
  });

  it('keeps FIFO order per message group, holds a group while one of its messages is in flight, and drops duplicates', async () => {
    const send = (body: string, group: string, deduplicationId?: string) =>
      sqs.send<{ MessageId: string; SequenceNumber: string }>('SendMessage', {
        QueueUrl: url('orders.fifo'),
        MessageBody: body,
        MessageGroupId: group,
        ...(deduplicationId ? { MessageDeduplicationId: deduplicationId } : {}),
      });
    const a1 = await send('a1', 'A');
    await send('b1', 'B');
    await send('a2', 'A');
    // Content-based deduplication: the same body within five minutes is the same message.
    const again = await send('a1', 'A');
    expect(again).toEqual(a1);
    expect(a1.SequenceNumber).toMatch(/^\d{20}$/);
    const receive = (max: number) =>
      sqs
        .send<{ Messages?: { Body: string; ReceiptHandle: string; Attributes: Record<string, string> }[] }>(
          'ReceiveMessage',
          {
            QueueUrl: url('orders.fifo'),
            MaxNumberOfMessages: max,
            MessageSystemAttributeNames: ['MessageGroupId'],
          },
        )
        .then(({ Messages = [] }) => Messages);

    const first = await receive(1);
    expect(first.map((message) => [message.Body, message.Attributes.MessageGroupId])).toEqual([['a1', 'A']]);
    // a1 is in flight, so group A gives nothing more; group B does.
    expect((await receive(10)).map((message) => message.Body)).toEqual(['b1']);
    await sqs.send('DeleteMessage', { QueueUrl: url('orders.fifo'), ReceiptHandle: first[0]!.ReceiptHandle });
    expect((await receive(10)).map((message) => message.Body)).toEqual(['a2']);

    // One receive gives as many messages of one group as it can before another group's.
    const mixed = (
      await sqs.send<{ QueueUrl: string }>('CreateQueue', {
        QueueName: 'mixed.fifo',
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
      })
    ).QueueUrl;
    for (const [body, group] of [
      ['x1', 'X'],
      ['y1', 'Y'],
      ['x2', 'X'],
    ]) {
      await sqs.send('SendMessage', { QueueUrl: mixed, MessageBody: body, MessageGroupId: group });
    }
    const together = await sqs.send<{ Messages: { Body: string }[] }>('ReceiveMessage', {
      QueueUrl: mixed,
      MaxNumberOfMessages: 10,
    });
    expect(together.Messages.map((message) => message.Body)).toEqual(['x1', 'x2', 'y1']);

    const strict = (
      await sqs.send<{ QueueUrls: string[] }>('ListQueues', { QueueNamePrefix: 'queues-dev-Strict' })
    ).QueueUrls[0]!;
    const withId = {
      QueueUrl: strict,
      MessageBody: 'x',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'order-1',
    };
    const once = await sqs.send<Record<string, string>>('SendMessage', withId);
    // The duplicate is not enqueued: it answers with the first message's id and sequence number (and the MD5 of
    // the body just sent, which the SDK checks).
    expect(await sqs.send('SendMessage', { ...withId, MessageBody: 'different body, same id' })).toEqual({
      MessageId: once.MessageId,
      SequenceNumber: once.SequenceNumber,
      MD5OfMessageBody: createHash('md5').update('different body, same id').digest('hex'),
    });
    const held = await sqs.send<{ Messages: { Body: string }[] }>('ReceiveMessage', {
      QueueUrl: strict,
      MaxNumberOfMessages: 10,
    });
    expect(held.Messages.map((message) => message.Body)).toEqual(['x']);
    expect(
      await sqs.failure('SendMessage', { QueueUrl: strict, MessageBody: 'x', MessageGroupId: 'g' }),
    ).toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
  });

  it('sends and deletes in batches, reporting each failed entry beside the successful ones', async () => {
    const sent = await sqs.send<{ Successful: { Id: string }[]; Failed: Record<string, unknown>[] }>(
      'SendMessageBatch',
      {
        QueueUrl: url('tiny'),
        Entries: [
          { Id: 'one', MessageBody: 'first' },
          { Id: 'two', MessageBody: 'second', DelaySeconds: 901 },
          {
            Id: 'three',
            MessageBody: 'third',
            MessageAttributes: { n: { DataType: 'Number', StringValue: 'NaN!' } },
          },
        ],
      },
    );
    expect(sent.Successful.map((entry) => entry.Id)).toEqual(['one']);
    expect(sent.Failed).toEqual([
      {
        Id: 'two',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message:
          'Value 901 for parameter DelaySeconds is invalid. Reason: Must be between 0 and 900, if provided.',
      },
      {
        Id: 'three',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: "Can't cast the value of message (user) attribute 'n' to a number.",
      },
    ]);
    const { Messages } = await sqs.send<{ Messages: { ReceiptHandle: string }[] }>('ReceiveMessage', {
      QueueUrl: url('tiny'),
    });
    const deleted = await sqs.send('DeleteMessageBatch', {
      QueueUrl: url('tiny'),
      Entries: [
        { Id: 'good', ReceiptHandle: Messages[0]!.ReceiptHandle },
        { Id: 'bad', ReceiptHandle: 'not-a-receipt-handle' },
      ],
    });
    expect(deleted).toEqual({
      Successful: [{ Id: 'good' }],
      Failed: [
        {
          Id: 'bad',
          SenderFault: true,
          Code: 'ReceiptHandleIsInvalid',
          Message: 'The input receipt handle "not-a-receipt-handle" is not a valid receipt handle.',
        },
      ],
    });
  });

  it('refuses careless calls with SQS’s errors', async () => {
    expect(await sqs.failure('SendMessage', { QueueUrl: url('missing'), MessageBody: 'x' })).toMatchObject({
      name: 'QueueDoesNotExist',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      message: 'The specified queue does not exist.',
      status: 400,
    });
    expect(await sqs.failure('GetQueueUrl', { QueueName: 'missing' })).toMatchObject({
      name: 'QueueDoesNotExist',
    });
    expect(
      await sqs.failure('DeleteMessage', { QueueUrl: url('tiny'), ReceiptHandle: 'garbage' }),
    ).toMatchObject({
      name: 'ReceiptHandleIsInvalid',
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    });
    expect(
      await sqs.failure('SendMessage', { QueueUrl: url('orders.fifo'), MessageBody: 'no group' }),
    ).toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    expect(
      await sqs.failure('SendMessage', { QueueUrl: url('tiny'), MessageBody: 'x'.repeat(1025) }),
    ).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
    expect(
      await sqs.failure('SendMessage', { QueueUrl: url('jobs'), MessageBody: 'x'.repeat(1_048_577) }),
    ).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    });
    expect(
      await sqs.failure('ReceiveMessage', { QueueUrl: url('tiny'), MaxNumberOfMessages: 11 }),
    ).toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    expect(
      await sqs.failure('SendMessageBatch', {
        QueueUrl: url('tiny'),
        Entries: Array.from({ length: 11 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x' })),
      }),
    ).toMatchObject({
      name: 'TooManyEntriesInBatchRequest',
      Code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    expect(
      await sqs.failure('SendMessageBatch', {
        QueueUrl: url('tiny'),
        Entries: [
          { Id: 'same', MessageBody: 'x' },
          { Id: 'same', MessageBody: 'y' },
        ],
      }),
    ).toMatchObject({ name: 'BatchEntryIdsNotDistinct', message: 'Id same repeated.' });
    expect(
      await sqs.failure('SendMessage', { QueueUrl: url('tiny'), MessageBody: 'bell \u0007' }),
    ).toMatchObject({
      name: 'InvalidMessageContents',
    });
    expect(
      await sqs.failure('CreateQueue', { QueueName: 'jobs', Attributes: { VisibilityTimeout: '45' } }),
    ).toMatchObject({ name: 'QueueNameExists', Code: 'QueueAlreadyExists' });
    expect(await sqs.failure('CreateQueue', { QueueName: 'bad name!' })).toMatchObject({
      name: 'InvalidParameterValue',
    });
    expect(
      await sqs.failure('CreateQueue', { QueueName: 'slow', Attributes: { VisibilityTimeout: '43201' } }),
    ).toMatchObject({
      name: 'InvalidAttributeValue',
      message: 'Invalid value for the parameter VisibilityTimeout.',
    });
    const forged = sqsJsonClient({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: { ...cloud.credentials, secretAccessKey: 'wrong' },
    });
    expect(await forged.failure('ListQueues', {})).toMatchObject({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
  });

  it('purges a queue once a minute and deletes it', async () => {
    const queueUrl = (await sqs.send<{ QueueUrl: string }>('CreateQueue', { QueueName: 'scratch' })).QueueUrl;
    expect(await sqs.send('CreateQueue', { QueueName: 'scratch' })).toEqual({ QueueUrl: queueUrl });
    await sqs.send('SendMessage', { QueueUrl: queueUrl, MessageBody: 'x' });
    await sqs.send('PurgeQueue', { QueueUrl: queueUrl });
    expect(await sqs.send('ReceiveMessage', { QueueUrl: queueUrl })).toEqual({});
    expect(await sqs.failure('PurgeQueue', { QueueUrl: queueUrl })).toMatchObject({
      name: 'PurgeQueueInProgress',
      status: 403,
    });
    await sqs.send('DeleteQueue', { QueueUrl: queueUrl });
    expect(await sqs.failure('SendMessage', { QueueUrl: queueUrl, MessageBody: 'x' })).toMatchObject({
      name: 'QueueDoesNotExist',
    });
  });

  describe('from the AWS CLI', () => {
    const aws = awsCli(() => ({
      endpoint: cloud.lambdaEndpoint,
      credentials: cloud.credentials,
      region: REGION,
      home,
    }));

    it('sends, receives and reads attributes', async () => {
      const { QueueUrl } = JSON.parse(await aws('sqs', 'create-queue', '--queue-name', 'cli')) as {
        QueueUrl: string;
      };
      expect(QueueUrl).toBe(url('cli'));
      await aws(
        'sqs',
        'send-message',
        '--queue-url',
        QueueUrl,
        '--message-body',
        'from the CLI & friends <3',
        '--message-attributes',
        'kind={DataType=String,StringValue=note}',
      );
      const received = JSON.parse(
        await aws(
          'sqs',
          'receive-message',
          '--queue-url',
          QueueUrl,
          '--message-attribute-names',
          'All',
          '--attribute-names',
          'ApproximateReceiveCount',
        ),
      ) as { Messages: Record<string, unknown>[] };
      expect(received.Messages).toEqual([
        expect.objectContaining({
          Body: 'from the CLI & friends <3',
          Attributes: { ApproximateReceiveCount: '1' },
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'note' } },
        }),
      ]);
      expect(
        JSON.parse(
          await aws(
            'sqs',
            'get-queue-attributes',
            '--queue-url',
            QueueUrl,
            '--attribute-names',
            'ApproximateNumberOfMessagesNotVisible',
          ),
        ),
      ).toEqual({
        Attributes: { ApproximateNumberOfMessagesNotVisible: '1' },
      });
      const listed = JSON.parse(await aws('sqs', 'list-queues', '--queue-name-prefix', 'jobs')) as unknown;
      expect(listed).toEqual({ QueueUrls: [url('jobs'), url('jobs-dlq')] });
    }, 60_000);

    it('says which queue does not exist in SQS’s words', async () => {
      const stderr = await aws('sqs', 'get-queue-url', '--queue-name', 'missing').then(
        () => '',
        (error: { stderr?: string }) => error.stderr ?? '',
      );
      expect(stderr).toContain(
        'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.',
      );
    }, 60_000);
  });
});

describe('SQS’s state across restarts', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-sqs-state-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const credentials = { accessKeyId: 'AKIDSQS', secretAccessKey: 'secret' };

  it('keeps queues made through the API and every queue’s messages, unless in memory', async () => {
    const service = serviceDefinition({
      service: 'kept',
      servicePath: dataDir,
      resources: { Inbox: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'inbox' } } },
    });
    const first = await createSqsService({ service, credentials, region: REGION, dataDir });
    const made = first.queues.createQueue('made', {});
    first.queues.send(made, { body: 'kept in made' });
    first.queues.send(first.queues.getQueue('inbox'), { body: 'kept in inbox' });
    await first.stop();

    const second = await createSqsService({ service, credentials, region: REGION, dataDir });
    const bodies = async (name: string) =>
      (await second.queues.receive(second.queues.getQueue(name), { maxMessages: 10 })).map(
        ({ message }) => message.body,
      );
    expect(await bodies('made')).toEqual(['kept in made']);
    expect(await bodies('inbox')).toEqual(['kept in inbox']);
    await second.stop();

    const inMemory = await createSqsService({
      service,
      credentials,
      region: REGION,
      dataDir,
      inMemory: true,
    });
    expect(inMemory.queues.listQueues().map((queue) => queue.name)).toEqual(['inbox']);
    expect(await inMemory.queues.receive(inMemory.queues.getQueue('inbox'), {})).toEqual([]);
    await inMemory.stop();
  });
});
