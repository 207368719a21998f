// An order pipeline on SQS, EventBridge, Kinesis and Step Functions, started unchanged and driven with the SDK v3
// clients a team uses, through local-cloud's one AWS endpoint: a poison order ends in the dead-letter queue after
// maxReceiveCount while its batch's good orders are fulfilled once (partial batch failures); an event matching a
// rule reaches its function and its audit queue (input transformed), one that matches no rule reaches neither;
// clicks arrive in order per user; the checkout state machine runs Parallel, Retry and Map to its documented
// output, and a declined payment ends in its Catch.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { eventually } from '@serverless-course/test-kit';
import { useProject } from './support';

const STAGE = 'corpus-async';
const name = (suffix: string) => `async-orders-${STAGE}-${suffix}`;

const project = useProject('async-orders', { stage: STAGE });

/**
 * Every message of a queue, long-polled until `done` says the expected ones are there (SQS waits, not us), each
 * deleted once read, as a consumer does: a FIFO queue hands out a group's next message only then.
 */
async function drain<T>(sqs: SQSClient, queue: string, done: (messages: T[]) => boolean): Promise<T[]> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name(queue) }));
  const messages: T[] = [];
  for (let polls = 0; polls < 15 && !done(messages); polls++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        AttributeNames: ['All'],
      }),
    );
    messages.push(...Messages.map((message: Message) => JSON.parse(message.Body ?? 'null') as T));
    if (Messages.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
  }
  return messages;
}

describe('an order pipeline on queues, an event bus, a stream and a state machine', () => {
  jest.setTimeout(30_000);
  const clients = () => {
    const { aws } = project();
    return {
      sqs: new SQSClient(aws),
      events: new EventBridgeClient(aws),
      kinesis: new KinesisClient(aws),
      sfn: new SFNClient(aws),
    };
  };

  it('starts every service with nothing it cannot honour but the IAM role', () => {
    expect(
      project()
        .warnings()
        .filter((line) => !line.includes('AWS::IAM') && !line.includes('iam')),
    ).toEqual([]);
  });

  it('redelivers only the failed order of a batch, then moves it to the dead-letter queue', async () => {
    const { sqs } = clients();
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name('orders') }));
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ id: 'o-1' }) },
          { Id: 'b', MessageBody: JSON.stringify({ id: 'o-2', poison: true }) },
          { Id: 'c', MessageBody: JSON.stringify({ id: 'o-3' }) },
        ],
      }),
    );

    const [deadLetter] = await drain<{ id: string }>(sqs, 'orders-dlq', (messages) => messages.length > 0);
    expect(deadLetter).toEqual({ id: 'o-2', poison: true });
    const results = await drain<Record<string, unknown>>(sqs, 'results', (messages) => messages.length >= 4);
    expect(results.filter((result) => 'fulfilled' in result || 'failed' in result)).toEqual(
      expect.arrayContaining([
        { fulfilled: 'o-1', attempt: 1 },
        { fulfilled: 'o-3', attempt: 1 },
        { failed: 'o-2', attempt: 1 },
        { failed: 'o-2', attempt: 2 },
      ]),
    );
    expect(results.filter((result) => 'fulfilled' in result)).toHaveLength(2);
  });

  it('routes a large OrderPlaced event to its function and every order event to the audit queue', async () => {
    const { sqs, events } = clients();
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: name('bus'),
            Source: 'orders',
            DetailType: 'OrderPlaced',
            Detail: '{"id":"big","total":250}',
          },
          {
            EventBusName: name('bus'),
            Source: 'orders',
            DetailType: 'OrderPlaced',
            Detail: '{"id":"small","total":5}',
          },
          {
            EventBusName: name('bus'),
            Source: 'billing',
            DetailType: 'OrderPlaced',
            Detail: '{"id":"x","total":900}',
          },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries?.every((entry) => typeof entry.EventId === 'string')).toBe(true);

    const audit = await drain<unknown>(sqs, 'audit', (messages) => messages.length >= 2);
    expect(audit).toEqual([
      { order: 'big', kind: 'OrderPlaced' },
      { order: 'small', kind: 'OrderPlaced' },
    ]);
    const flagged = await eventually(async () => {
      const results = await drain<Record<string, unknown>>(sqs, 'results', (messages) =>
        messages.some((result) => 'flagged' in result),
      );
      const found = results.filter((result) => 'flagged' in result);
      if (found.length === 0) throw new Error('no order flagged yet');
      return found;
    });
    expect(flagged).toEqual([{ flagged: 'big', source: 'orders', detailType: 'OrderPlaced' }]);
  });

  it('forwards each user’s clicks in the order they were put on the stream', async () => {
    const { sqs, kinesis } = clients();
    const clicks = [
      ['ana', 'home'],
      ['ben', 'search'],
      ['ana', 'cart'],
      ['ben', 'item'],
      ['ana', 'checkout'],
      ['ben', 'cart'],
    ];
    for (const [user, page] of clicks) {
      await kinesis.send(
        new PutRecordCommand({
          StreamName: name('clicks'),
          PartitionKey: user,
          Data: Buffer.from(JSON.stringify({ user, page })),
        }),
      );
    }

    const forwarded = await drain<{ user: string; page: string }>(
      sqs,
      'click-log.fifo',
      (messages) => messages.length >= clicks.length,
    );
    const pagesOf = (user: string) =>
      forwarded.filter((click) => click.user === user).map((click) => click.page);
    expect(pagesOf('ana')).toEqual(['home', 'cart', 'checkout']);
    expect(pagesOf('ben')).toEqual(['search', 'item', 'cart']);
  });

  const checkout = async (input: object): Promise<DescribeExecutionCommandOutput> => {
    const { sfn } = clients();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: `arn:aws:states:eu-west-1:123456789012:stateMachine:${name('checkout')}`,
        input: JSON.stringify(input),
      }),
    );
    return eventually(async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status === 'RUNNING') throw new Error('the execution is still running');
      return execution;
    });
  };

  it('checks out an order: reserved and charged in parallel, every item priced by the Map', async () => {
    const execution = await checkout({ total: 40, items: [{ sku: 'tea' }, { sku: 'cup' }] });

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? 'null')).toEqual({
      total: 40,
      items: [{ sku: 'tea' }, { sku: 'cup' }],
      checkout: { reserved: 2, charged: 40 },
      priced: [
        { sku: 'tea', position: 0 },
        { sku: 'cup', position: 1 },
      ],
    });
  });

  it('refunds a declined payment in the Catch and fails the execution with its own error', async () => {
    const execution = await checkout({ total: 5000, items: [{ sku: 'piano' }] });

    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'CheckoutDeclined',
      cause: 'the payment was declined',
    });
  });
});
