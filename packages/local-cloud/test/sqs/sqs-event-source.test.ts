// Functions' `sqs` events, as Lambda's event source mapping runs them: the SQS event shape, delete on success,
// a failed batch back after the visibility timeout and to the dead-letter queue after maxReceiveCount, partial
// batch responses, FIFO group order, filter patterns, the batching window, and the settings Lambda refuses.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '@serverless-course/test-kit';
import { start, type LocalCloud } from '../../src';
import { sqsMappings } from '../../src/event-sources/sqs/sqs-mappings';
import { md5OfAttributes } from '../../src/services/sqs/md5';
import { functionsWithEvents, serviceDefinition } from '../support/function-definition';
import { sqsJsonClient, type SqsJsonClient } from './support/sqs-json';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'sqs');
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

interface Delivery {
  fn: string;
  queueUrl: string;
  records: { messageId: string; body: string; attributes: Record<string, string> }[];
}

describe('sqs events', () => {
  let cloud: LocalCloud;
  let sqs: SqsJsonClient;
  let dir: string;
  let logFile: string;
  const url = (name: string) => `${cloud.lambdaEndpoint}/${ACCOUNT}/${name}`;
  const deliveries = (fn: string): Delivery[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Delivery)
          .filter((delivery) => delivery.fn === fn)
      : [];
  const bodies = (fn: string) =>
    deliveries(fn).map((delivery) => delivery.records.map((record) => record.body));
  const counts = async (queueUrl: string) =>
    (
      await sqs.send<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      })
    ).Attributes;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-sqs-events-'));
    logFile = path.join(dir, 'deliveries.jsonl');
    const environment = { LOG_FILE: logFile, QUEUE_URL: JSON.stringify({ Ref: 'Work' }) };
    const events = functionsWithEvents({
      worker: [{ sqs: { arn: arnOf('Work'), batchSize: 5 } }],
      partial: [{ sqs: { arn: arnOf('Partial'), functionResponseType: 'ReportBatchItemFailures' } }],
      ordered: [{ sqs: { arn: arnOf('Sequence'), batchSize: 2 } }],
      filtered: [{ sqs: { arn: arnOf('Filtered'), filterPatterns: [{ body: { type: ['order'] } }] } }],
      gathered: [{ sqs: { arn: arnOf('Gathered'), batchSize: 3, maximumBatchingWindow: 5 } }],
    });
    cloud = await start({
      service: serviceDefinition({
        service: 'consumers',
        servicePath: SERVICE_PATH,
        provider: { region: REGION },
        functions: Object.fromEntries(
          Object.entries(events).map(([key, fields]) => [
            key,
            { ...fields, handler: `src/consumer.${key}`, environment },
          ]),
        ),
        resources: {
          Work: {
            Type: 'AWS::SQS::Queue',
            Properties: {
              QueueName: 'work',
              VisibilityTimeout: 1,
              RedrivePolicy: { deadLetterTargetArn: arnOf('WorkDlq'), maxReceiveCount: 2 },
            },
          },
          WorkDlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work-dlq' } },
          Partial: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'partial', VisibilityTimeout: 1 } },
          Sequence: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'sequence.fifo', FifoQueue: true } },
          Filtered: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'filtered' } },
          Gathered: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'gathered' } },
        },
      }),
      inMemory: true,
    });
    sqs = sqsJsonClient({ endpoint: cloud.lambdaEndpoint, region: REGION, credentials: cloud.credentials });
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the event Lambda sends and deletes the batch when the function succeeds', async () => {
    const sent = await sqs.send<{ MessageId: string }>('SendMessage', {
      QueueUrl: url('work'),
      MessageBody: '{"job":1}',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } },
    });
    await eventually(() => deliveries('worker').length === 1);
    const [delivery] = deliveries('worker');
    expect(delivery!.queueUrl).toBe(url('work'));
    expect(delivery!.records).toEqual([
      {
        messageId: sent.MessageId,
        receiptHandle: expect.any(String) as unknown,
        body: '{"job":1}',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d{13}$/) as unknown,
          SenderId: ACCOUNT,
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/) as unknown,
        },
        messageAttributes: {
          kind: { stringValue: 'job', stringListValues: [], binaryListValues: [], dataType: 'String' },
        },
        md5OfMessageAttributes: md5OfAttributes({ kind: { DataType: 'String', StringValue: 'job' } }),
        md5OfBody: createHash('md5').update('{"job":1}').digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:work`,
        awsRegion: REGION,
      },
    ]);
    await eventually(async () => {
      expect(await counts(url('work'))).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    });
  });

  it('lets a failed batch come back after the visibility timeout, and moves a poison message to the DLQ after maxReceiveCount', async () => {
    const { MessageId } = await sqs.send<{ MessageId: string }>('SendMessage', {
      QueueUrl: url('work'),
      MessageBody: 'poison',
    });
    const dead = await eventually(
      async () => {
        const { Messages } = await sqs.send<{ Messages?: { MessageId: string; Body: string }[] }>(
          'ReceiveMessage',
          {
            QueueUrl: url('work-dlq'),
          },
        );
        return Messages ?? false;
      },
      { timeoutMs: 15_000 },
    );
    expect(dead).toEqual([expect.objectContaining({ MessageId, Body: 'poison' })]);
    const attempts = deliveries('worker')
      .flatMap((delivery) => delivery.records)
      .filter((record) => record.body === 'poison')
      .map((record) => record.attributes.ApproximateReceiveCount);
    expect(attempts).toEqual(['1', '2']);
  }, 30_000);

  it('with ReportBatchItemFailures, deletes the successful messages and brings back only the failed ones', async () => {
    await sqs.send('SendMessageBatch', {
      QueueUrl: url('partial'),
      Entries: ['ok-1', 'fail-2', 'ok-3', 'fail-4'].map((body, index) => ({
        Id: `m${index}`,
        MessageBody: body,
      })),
    });
    await eventually(() => bodies('partial').flat().length === 6, { timeoutMs: 15_000 });
    const delivered = bodies('partial').flat();
    expect(delivered.filter((body) => body.startsWith('ok')).sort()).toEqual(['ok-1', 'ok-3']);
    expect(delivered.filter((body) => body.startsWith('fail')).sort()).toEqual([
      'fail-2',
      'fail-2',
      'fail-4',
      'fail-4',
    ]);
    await eventually(async () => {
      expect(await counts(url('partial'))).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    });
  }, 30_000);

  it('keeps a FIFO message group in order across batches', async () => {
    for (const body of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      await sqs.send('SendMessage', {
        QueueUrl: url('sequence.fifo'),
        MessageBody: body,
        MessageGroupId: 'A',
        MessageDeduplicationId: body,
      });
    }
    await eventually(() => bodies('ordered').flat().length === 5);
    expect(bodies('ordered').flat()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(bodies('ordered').every((batch) => batch.length <= 2)).toBe(true);
  });

  it('invokes only for messages a filter pattern matches, and deletes the others', async () => {
    await sqs.send('SendMessage', { QueueUrl: url('filtered'), MessageBody: '{"type":"other"}' });
    await sqs.send('SendMessage', { QueueUrl: url('filtered'), MessageBody: '{"type":"order"}' });
    await eventually(() => bodies('filtered').length > 0);
    await eventually(async () => {
      expect(await counts(url('filtered'))).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    });
    expect(bodies('filtered').flat()).toEqual(['{"type":"order"}']);
  });

  it('gathers messages sent apart into one batch within the batching window', async () => {
    for (const body of ['g1', 'g2', 'g3']) {
      await sqs.send('SendMessage', { QueueUrl: url('gathered'), MessageBody: body });
    }
    await eventually(() => bodies('gathered').length > 0);
    expect(bodies('gathered')).toEqual([['g1', 'g2', 'g3']]);
  });
});

describe('sqs event settings Lambda refuses', () => {
  const withEvent = (sqsEvent: unknown) =>
    serviceDefinition({
      service: 'settings',
      servicePath: SERVICE_PATH,
      functions: functionsWithEvents({ worker: [{ sqs: sqsEvent }] }),
      resources: {
        Plain: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'plain' } },
        Ordered: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'ordered.fifo', FifoQueue: true } },
      },
    });

  it.each([
    [{ arn: arnOf('Ordered'), batchSize: 11 }, /batchSize 11 is out of range for a FIFO queue/],
    [{ arn: arnOf('Plain'), batchSize: 20 }, /batchSize 20 needs a batching window/],
    [{ arn: arnOf('Plain'), batchSize: 10_001, maximumBatchingWindow: 1 }, /batchSize 10001 is out of range/],
    [{ arn: arnOf('Plain'), maximumBatchingWindow: 301 }, /maximumBatchingWindow 301 is out of range/],
    [{ arn: arnOf('Missing') }, /is not an SQS queue ARN local-cloud can resolve/],
  ])('refuses %j at start', (sqsEvent, problem) => {
    expect(() => sqsMappings(withEvent(sqsEvent), 'us-east-1')).toThrow(problem);
  });

  it('reads the framework’s defaults and a literal ARN', () => {
    expect(sqsMappings(withEvent('arn:aws:sqs:us-east-1:123456789012:plain'), 'us-east-1').mappings).toEqual([
      {
        functionKey: 'worker',
        source: 'functions.worker.events[0].sqs',
        queueArn: 'arn:aws:sqs:us-east-1:123456789012:plain',
        batchSize: 10,
        batchWindowMs: 0,
        reportBatchItemFailures: false,
        filterPatterns: [],
      },
    ]);
    expect(sqsMappings(withEvent({ arn: arnOf('Plain'), enabled: false }), 'us-east-1').mappings).toEqual([]);
  });
});
