import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@serverless-course/test-kit';
import {
  createDynamoDbStreamsPoller,
  type DynamoDbStreamsPoller,
  type LambdaStreamRecord,
  type StreamBatchFailure,
  type StreamBatchReport,
  type StreamFailureRecord,
} from '../../src/event-sources/dynamodb-streams';
import { createDynamoDbService, type DynamoDbService } from '../../src/services/dynamodb';
import { credentials, fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';
import { FakeLambdaService } from '../support/fake-lambda-service';

// DynamoDB Streams to functions against a real DynamoDB Local (one for the file, in memory), with the
// function faked in-process. Each test has its own table; polling and retry waits are scaled down.
const tables = {
  Images: streamTable('streams-test-images', 'NEW_AND_OLD_IMAGES'),
  KeysOnly: streamTable('streams-test-keys-only', 'KEYS_ONLY'),
  NewImage: streamTable('streams-test-new-image', 'NEW_IMAGE'),
  OldImage: streamTable('streams-test-old-image', 'OLD_IMAGE'),
  Batches: streamTable('streams-test-batches', 'NEW_IMAGE'),
  Order: streamTable('streams-test-order', 'NEW_IMAGE'),
  Recover: streamTable('streams-test-recover', 'NEW_IMAGE'),
  Exhaust: streamTable('streams-test-exhaust', 'NEW_IMAGE'),
  Sqs: streamTable('streams-test-sqs', 'NEW_IMAGE'),
  Bisect: streamTable('streams-test-bisect', 'NEW_IMAGE'),
  Partial: streamTable('streams-test-partial', 'NEW_IMAGE'),
  PartialInvalid: streamTable('streams-test-partial-invalid', 'NEW_IMAGE'),
  PartialOff: streamTable('streams-test-partial-off', 'NEW_IMAGE'),
  Latest: streamTable('streams-test-latest', 'NEW_IMAGE'),
  Stop: streamTable('streams-test-stop', 'NEW_IMAGE'),
  Throttled: streamTable('streams-test-throttled', 'NEW_IMAGE'),
  Recreated: streamTable('streams-test-recreated', 'NEW_IMAGE'),
  Rate: streamTable('streams-test-rate', 'NEW_IMAGE'),
};
const resources = {
  ...tables,
  FailuresTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'streams-test-failures' } },
};
type TableId = keyof typeof tables;
const tableName = (id: TableId) => tables[id].Properties.TableName;

let dynamodb: DynamoDbService;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
const pollers: DynamoDbStreamsPoller[] = [];

beforeAll(async () => {
  dynamodb = await createDynamoDbService({
    service: fixtureService({ service: 'streams-test', resources: tables }),
    credentials,
    inMemory: true,
  });
  client = new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials });
  documents = DynamoDBDocumentClient.from(client);
}, 60_000);

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  client?.destroy();
  await dynamodb?.stop();
});

type Batch = LambdaStreamRecord[];

/** What reached the function and the destinations; waits for a condition without sleeping. */
class Deliveries {
  readonly batches: Batch[] = [];
  /** Batches the function finished without an error. */
  readonly succeeded: Batch[] = [];
  readonly failures: StreamBatchFailure<StreamFailureRecord>[] = [];
  /** What the poller sent to its destinations, a topic or a queue (the platform's deliver, faked). */
  readonly published: { topicArn: string; message: unknown }[] = [];
  readonly reports: StreamBatchReport[] = [];
  lambda!: FakeLambdaService;
  private waiters: (() => void)[] = [];

  notify(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }

  keys(batches: Batch[] = this.batches): string[][] {
    return batches.map((batch) => batch.map((record) => record.dynamodb.Keys?.pk?.S as string));
  }

  async until(condition: () => boolean, timeoutMs = 4_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out; batches so far: ${JSON.stringify(this.keys())}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

type Behaviour = (records: Batch, invocation: number) => unknown;

async function subscribe(
  table: TableId,
  settings: Record<string, unknown>,
  behaviour: Behaviour = () => undefined,
  timing: { pollIntervalMs?: number; discoveryIntervalMs?: number } = { pollIntervalMs: 20 },
): Promise<Deliveries> {
  const deliveries = new Deliveries();
  const lambda = new FakeLambdaService(
    {
      consumer: {
        handler: async (event) => {
          const records = (event as { Records: Batch }).Records;
          deliveries.batches.push(records);
          try {
            const result = behaviour(records, deliveries.batches.length);
            deliveries.succeeded.push(records);
            return result;
          } finally {
            deliveries.notify();
          }
        },
      },
    },
    'streams-test',
  );
  deliveries.lambda = lambda;
  const service = fixtureService({
    service: 'streams-test',
    resources,
    functions: {
      consumer: [{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': [table, 'StreamArn'] }, ...settings } }],
    },
  });
  const poller = await createDynamoDbStreamsPoller({
    lambda,
    deliver: (arn, message) => {
      deliveries.published.push({ topicArn: arn, message: JSON.parse(message.body) });
      deliveries.notify();
      return Promise.resolve({ id: `message-${deliveries.published.length}` });
    },
    service,
    dynamoDbUrl: dynamodb.url,
    credentials,
    region: 'us-east-1',
    retryDelayMs: 5,
    maxRetryDelayMs: 20,
    ...timing,
    onFailure: (failure) => {
      deliveries.failures.push(failure);
      deliveries.notify();
    },
    onBatch: (report) => {
      deliveries.reports.push(report);
      deliveries.notify();
    },
  });
  pollers.push(poller);
  return deliveries;
}

async function put(table: TableId, ...keys: string[]): Promise<void> {
  for (const pk of keys) await documents.send(new PutCommand({ TableName: tableName(table), Item: { pk } }));
}

function failOn(poison: string): Behaviour {
  return (records) => {
    if (records.some((record) => record.dynamodb.Keys?.pk?.S === poison))
      throw new Error(`cannot handle ${poison}`);
  };
}

const streamArnPattern = (table: TableId) =>
  new RegExp(
    `^arn:aws:dynamodb:us-east-1:123456789012:table/${tableName(table)}/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`,
  );

describe('stream records, as Lambda delivers them', () => {
  it('describe INSERT, MODIFY and REMOVE with both images for NEW_AND_OLD_IMAGES', async () => {
    const deliveries = await subscribe('Images', { startingPosition: 'LATEST' });

    await documents.send(
      new PutCommand({ TableName: tableName('Images'), Item: { pk: 'a', v: 1, photo: Buffer.from('hi') } }),
    );
    await documents.send(
      new UpdateCommand({
        TableName: tableName('Images'),
        Key: { pk: 'a' },
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': 2 },
      }),
    );
    await documents.send(new DeleteCommand({ TableName: tableName('Images'), Key: { pk: 'a' } }));
    await deliveries.until(() => deliveries.batches.flat().length === 3);
    const [insert, modify, remove] = deliveries.batches.flat();

    expect(insert).toEqual({
      eventID: expect.stringMatching(/.+/) as string,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number) as number,
        Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, v: { N: '1' }, photo: { B: 'aGk=' } },
        SequenceNumber: expect.stringMatching(/^\d+$/) as string,
        SizeBytes: expect.any(Number) as number,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: expect.stringMatching(streamArnPattern('Images')) as string,
    });
    expect(Object.keys(insert!)).toEqual([
      'eventID',
      'eventName',
      'eventVersion',
      'eventSource',
      'awsRegion',
      'dynamodb',
      'eventSourceARN',
    ]);
    expect(modify?.eventName).toBe('MODIFY');
    expect(modify?.dynamodb.OldImage?.v).toEqual({ N: '1' });
    expect(modify?.dynamodb.NewImage?.v).toEqual({ N: '2' });
    expect(remove?.eventName).toBe('REMOVE');
    expect(remove?.dynamodb.OldImage?.v).toEqual({ N: '2' });
    expect(remove?.dynamodb).not.toHaveProperty('NewImage');
    expect(Math.abs((insert?.dynamodb.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(
      120,
    );
  });

  it('carry only the keys for KEYS_ONLY', async () => {
    const deliveries = await subscribe('KeysOnly', { startingPosition: 'LATEST' });

    await put('KeysOnly', 'k');
    await documents.send(new DeleteCommand({ TableName: tableName('KeysOnly'), Key: { pk: 'k' } }));
    await deliveries.until(() => deliveries.batches.flat().length === 2);

    expect(deliveries.batches.flat().map((record) => [record.eventName, record.dynamodb])).toEqual([
      ['INSERT', expect.objectContaining({ Keys: { pk: { S: 'k' } }, StreamViewType: 'KEYS_ONLY' })],
      ['REMOVE', expect.objectContaining({ Keys: { pk: { S: 'k' } }, StreamViewType: 'KEYS_ONLY' })],
    ]);
    for (const record of deliveries.batches.flat()) {
      expect(record.dynamodb).not.toHaveProperty('NewImage');
      expect(record.dynamodb).not.toHaveProperty('OldImage');
    }
  });

  it('carry only the new image for NEW_IMAGE and only the old one for OLD_IMAGE', async () => {
    const newImage = await subscribe('NewImage', { startingPosition: 'LATEST' });
    const oldImage = await subscribe('OldImage', { startingPosition: 'LATEST' });

    for (const table of ['NewImage', 'OldImage'] as const) {
      await documents.send(new PutCommand({ TableName: tableName(table), Item: { pk: 'x', v: 1 } }));
      await documents.send(new PutCommand({ TableName: tableName(table), Item: { pk: 'x', v: 2 } }));
    }
    await newImage.until(() => newImage.batches.flat().length === 2);
    await oldImage.until(() => oldImage.batches.flat().length === 2);
    const modifiedNew = newImage.batches.flat()[1];
    const modifiedOld = oldImage.batches.flat()[1];

    expect(modifiedNew?.dynamodb.NewImage).toEqual({ pk: { S: 'x' }, v: { N: '2' } });
    expect(modifiedNew?.dynamodb).not.toHaveProperty('OldImage');
    expect(modifiedOld?.dynamodb.OldImage).toEqual({ pk: { S: 'x' }, v: { N: '1' } });
    expect(modifiedOld?.dynamodb).not.toHaveProperty('NewImage');
  });
});

describe('polling and batching', () => {
  it('reads from the start of the stream by default (TRIM_HORIZON) in batches of at most batchSize', async () => {
    const keys = Array.from({ length: 25 }, (_, n) => `item-${String(n).padStart(2, '0')}`);
    await put('Batches', ...keys);

    const deliveries = await subscribe('Batches', { batchSize: 10 });
    await deliveries.until(() => deliveries.batches.flat().length === 25);

    expect(deliveries.batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(deliveries.keys().flat()).toEqual(keys);
  });

  it('starts after the last record with startingPosition LATEST', async () => {
    await put('Latest', 'before');
    const deliveries = await subscribe('Latest', { startingPosition: 'LATEST' });

    await put('Latest', 'after');
    await deliveries.until(() => deliveries.batches.length === 1);

    expect(deliveries.keys()).toEqual([['after']]);
  });

  it('keeps the order of the shard', async () => {
    const deliveries = await subscribe('Order', { startingPosition: 'LATEST', batchSize: 7 });
    const keys = Array.from({ length: 40 }, (_, n) => `key-${n % 5}-${n}`);

    await put('Order', ...keys);
    await deliveries.until(() => deliveries.batches.flat().length === 40);
    const sequence = deliveries.batches.flat().map((record) => BigInt(record.dynamodb.SequenceNumber));

    expect(deliveries.keys().flat()).toEqual(keys);
    expect(sequence.every((value, index) => index === 0 || value > sequence[index - 1]!)).toBe(true);
    expect(deliveries.batches.every((batch) => batch.length <= 7)).toBe(true);
  });

  it('polls an idle shard about 4 times a second by default', async () => {
    const times: number[] = [];
    const counting = await countingProxy(dynamodb.url, (target) => {
      if (target.endsWith('.GetRecords')) times.push(Date.now());
    });
    try {
      const lambda = new FakeLambdaService({ consumer: { handler: async () => undefined } }, 'streams-test');
      const poller = await createDynamoDbStreamsPoller({
        lambda,
        service: fixtureService({
          service: 'streams-test',
          resources: tables,
          functions: {
            consumer: [{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['Rate', 'StreamArn'] } } }],
          },
        }),
        dynamoDbUrl: counting.url,
        credentials,
        region: 'us-east-1',
      });
      pollers.push(poller);
      // Requests are observable only as they happen: check until 7 were made, for at most 5 s.
      await eventually(() => times.length >= 7, { timeoutMs: 5_000, description: '7 GetRecords requests' });
      await poller.stop();
      const gaps = times.slice(1).map((time, index) => time - times[index]!);
      const median = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;

      expect(median).toBeGreaterThanOrEqual(240);
      expect(median).toBeLessThan(400);
    } finally {
      await counting.close();
    }
  });

  it('follows a table that is deleted and created again to its new stream', async () => {
    const deliveries = await subscribe('Recreated', { startingPosition: 'LATEST' }, () => undefined, {
      pollIntervalMs: 20,
      discoveryIntervalMs: 50,
    });
    await put('Recreated', 'first-table');
    await deliveries.until(() => deliveries.batches.length === 1);

    await client.send(new DeleteTableCommand({ TableName: tableName('Recreated') }));
    await client.send(
      new CreateTableCommand({
        TableName: tableName('Recreated'),
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await put('Recreated', 'second-table');
    await deliveries.until(() => deliveries.batches.length === 2);

    expect(deliveries.keys()).toEqual([['first-table'], ['second-table']]);
    expect(deliveries.batches[1]?.[0]?.eventSourceARN).not.toBe(deliveries.batches[0]?.[0]?.eventSourceARN);
  });

  it('stops polling and invoking when stopped', async () => {
    const deliveries = await subscribe('Stop', { startingPosition: 'LATEST' });
    await put('Stop', 'before-stop');
    await deliveries.until(() => deliveries.batches.length === 1);

    await pollers.pop()!.stop();
    await put('Stop', 'after-stop');
    // Nothing can be awaited for an invocation that must not happen: give it 10 poll intervals.
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(deliveries.keys()).toEqual([['before-stop']]);
  });
});

describe('when the function fails', () => {
  it('retries the batch, blocking the shard, until the function recovers: every record once, in order', async () => {
    let failuresLeft = 4;
    const deliveries = await subscribe('Recover', { startingPosition: 'LATEST', batchSize: 5 }, () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('database unavailable');
      }
    });
    const keys = Array.from({ length: 12 }, (_, n) => `r-${String(n).padStart(2, '0')}`);

    await put('Recover', ...keys);
    await deliveries.until(() => deliveries.succeeded.flat().length === 12);

    const failedAttempts = deliveries.batches.slice(0, 4);
    expect(new Set(failedAttempts.map((batch) => batch[0]?.dynamodb.SequenceNumber)).size).toBe(1);
    expect(deliveries.keys(deliveries.succeeded).flat()).toEqual(keys);
    expect(deliveries.failures).toEqual([]);
  });

  it('gives up after maximumRetryAttempts and publishes the description of the batch to an SNS topic', async () => {
    await put('Exhaust', 'a', 'poison', 'b');
    const deliveries = await subscribe(
      'Exhaust',
      {
        maximumRetryAttempts: 2,
        destinations: { onFailure: { arn: { Ref: 'FailuresTopic' }, type: 'sns' } },
      },
      failOn('poison'),
    );

    await deliveries.until(() => deliveries.published.length === 1);
    await put('Exhaust', 'c');
    await deliveries.until(() => deliveries.succeeded.length === 1);
    const [first, , last] = deliveries.batches[0]!;

    expect(deliveries.keys()).toEqual([
      ['a', 'poison', 'b'],
      ['a', 'poison', 'b'],
      ['a', 'poison', 'b'],
      ['c'],
    ]);
    expect(deliveries.published).toEqual([
      {
        topicArn: 'arn:aws:sns:us-east-1:123456789012:streams-test-failures',
        message: {
          requestContext: {
            requestId: expect.stringMatching(/.+/) as string,
            functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:streams-test-dev-consumer',
            condition: 'RetryAttemptsExhausted',
            approximateInvokeCount: 3,
          },
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          version: '1.0',
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
          DDBStreamBatchInfo: {
            shardId: expect.stringMatching(/^shardId-/) as string,
            startSequenceNumber: first?.dynamodb.SequenceNumber,
            endSequenceNumber: last?.dynamodb.SequenceNumber,
            approximateArrivalOfFirstRecord: expect.stringMatching(
              /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
            ) as string,
            approximateArrivalOfLastRecord: expect.stringMatching(
              /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
            ) as string,
            batchSize: 3,
            streamArn: first?.eventSourceARN,
          },
        },
      },
    ]);
    expect(deliveries.failures).toEqual([
      expect.objectContaining({
        functionKey: 'consumer',
        destination: 'arn:aws:sns:us-east-1:123456789012:streams-test-failures',
      }),
    ]);
    await expect(deliveries.failures[0]?.delivery).resolves.toBe('message-1');
  });

  it('retries a throttled invocation without counting it as a retry', async () => {
    const deliveries = await subscribe('Throttled', { startingPosition: 'LATEST', maximumRetryAttempts: 0 });
    const consumer = deliveries.lambda.findFunction('consumer')!;
    consumer.reservedConcurrency = 0;

    await put('Throttled', 'busy');
    await deliveries.until(
      () => deliveries.reports.filter((report) => report.outcome === 'throttled').length >= 3,
    );
    delete consumer.reservedConcurrency;
    await deliveries.until(() => deliveries.reports.some((report) => report.outcome === 'success'));

    expect(deliveries.keys(deliveries.succeeded)).toEqual([['busy']]);
    expect(deliveries.failures).toEqual([]);
    expect(deliveries.reports.at(-1)).toMatchObject({ outcome: 'success', retries: 0 });
  });

  it('sends the description of a given-up batch to an SQS queue destination', async () => {
    await put('Sqs', 'poison');
    const deliveries = await subscribe(
      'Sqs',
      {
        maximumRetryAttempts: 0,
        destinations: { onFailure: 'arn:aws:sqs:us-east-1:123456789012:stream-dlq' },
      },
      failOn('poison'),
    );

    await deliveries.until(() => deliveries.failures.length === 1);

    expect(deliveries.batches).toHaveLength(1);
    expect(deliveries.published).toEqual([
      {
        topicArn: 'arn:aws:sqs:us-east-1:123456789012:stream-dlq',
        message: expect.objectContaining({
          DDBStreamBatchInfo: expect.objectContaining({ batchSize: 1 }) as unknown,
        }) as unknown,
      },
    ]);
    expect(deliveries.failures[0]).toEqual({
      functionKey: 'consumer',
      source: tableName('Sqs'),
      batchSize: 1,
      attempts: 1,
      destination: 'arn:aws:sqs:us-east-1:123456789012:stream-dlq',
      delivery: expect.any(Promise) as unknown,
      record: expect.objectContaining({
        requestContext: expect.objectContaining({
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 1,
        }) as unknown,
        DDBStreamBatchInfo: expect.objectContaining({ batchSize: 1 }) as unknown,
      }) as unknown,
    });
    await expect(deliveries.failures[0]?.delivery).resolves.toBe('message-1');
  });

  it('with bisectBatchOnFunctionError, splits the failing batch until the poison record is alone', async () => {
    await put('Bisect', 'a', 'b', 'poison', 'd');
    const deliveries = await subscribe(
      'Bisect',
      { batchSize: 4, bisectBatchOnFunctionError: true, maximumRetryAttempts: 0 },
      failOn('poison'),
    );

    await deliveries.until(() => deliveries.failures.length === 1 && deliveries.succeeded.length === 2);

    expect(deliveries.keys()).toEqual([
      ['a', 'b', 'poison', 'd'],
      ['a', 'b'],
      ['poison', 'd'],
      ['poison'],
      ['d'],
    ]);
    expect(deliveries.keys(deliveries.succeeded).flat()).toEqual(['a', 'b', 'd']);
    expect(deliveries.failures[0]?.record.DDBStreamBatchInfo).toMatchObject({
      batchSize: 1,
      startSequenceNumber: deliveries.batches[3]?.[0]?.dynamodb.SequenceNumber,
    });
  });
});

describe('functionResponseType: ReportBatchItemFailures', () => {
  it('retries from the lowest reported sequence number, keeping the records before it', async () => {
    await put('Partial', 'a', 'b', 'c', 'd', 'e');
    const deliveries = await subscribe(
      'Partial',
      { batchSize: 5, functionResponseType: 'ReportBatchItemFailures' },
      (records, invocation) =>
        invocation === 1
          ? {
              batchItemFailures: [records[3], records[2]].map((record) => ({
                itemIdentifier: record?.dynamodb.SequenceNumber,
              })),
            }
          : { batchItemFailures: [] },
    );

    await deliveries.until(() => deliveries.batches.length === 2);
    await put('Partial', 'f');
    await deliveries.until(() => deliveries.batches.length === 3);

    expect(deliveries.keys()).toEqual([['a', 'b', 'c', 'd', 'e'], ['c', 'd', 'e'], ['f']]);
  });

  it('retries the whole batch when an itemIdentifier is empty', async () => {
    await put('PartialInvalid', 'a', 'b');
    const deliveries = await subscribe(
      'PartialInvalid',
      { functionResponseType: 'ReportBatchItemFailures' },
      (_records, invocation) => (invocation === 1 ? { batchItemFailures: [{ itemIdentifier: '' }] } : null),
    );

    await deliveries.until(() => deliveries.batches.length === 2);

    expect(deliveries.keys()).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('ignores a batchItemFailures response when the mapping does not turn the feature on', async () => {
    await put('PartialOff', 'a', 'b');
    const deliveries = await subscribe('PartialOff', {}, (records) => ({
      batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb.SequenceNumber }],
    }));

    await deliveries.until(() => deliveries.batches.length === 1);
    await put('PartialOff', 'c');
    await deliveries.until(() => deliveries.batches.length === 2);

    expect(deliveries.keys()).toEqual([['a', 'b'], ['c']]);
  });
});

/** A pass-through HTTP proxy that reports each request's X-Amz-Target. */
async function countingProxy(
  targetUrl: string,
  onRequest: (target: string) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(targetUrl);
  const server = http.createServer((req, res) => {
    onRequest(String(req.headers['x-amz-target'] ?? ''));
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
