// Functions' Kinesis `stream` events, as Lambda's event source mapping runs them: the Kinesis event shape, each
// partition key's records in order, a poison record bisected out and described to the on-failure queue after
// its retries, partial batch responses, filter patterns on the data, parallel batches per shard that keep each
// key's order, a tumbling window's state and final invocation, a child shard after its parent, and records a
// function puts from its sandbox with the SDK (HTTP/2 to AWS_ENDPOINT_URL).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PutRecordsCommand, UpdateShardCountCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { eventually } from '@serverless-course/test-kit';
import { start, type LocalCloud } from '../../src';
import { kinesisMappings } from '../../src/event-sources/kinesis/kinesis-mappings';
import { functionsWithEvents, serviceDefinition } from '../support/function-definition';
import { kinesisClient } from './support/kinesis-client';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, 'fixtures');
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const streamArn = (name: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;

interface Delivery {
  fn: string;
  data: string[];
  startedAt?: number;
  event: {
    Records: { kinesis: { partitionKey: string; sequenceNumber: string } }[];
    state?: { count: number };
    isFinalInvokeForWindow?: boolean;
    window?: { start: string; end: string };
  };
}

describe('Kinesis stream events', () => {
  let cloud: LocalCloud;
  let kinesis: KinesisClient;
  let dir: string;
  let logFile: string;
  const deliveries = (fn: string): Delivery[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Delivery)
          .filter((delivery) => delivery.fn === fn)
      : [];
  const delivered = (fn: string) => deliveries(fn).flatMap((delivery) => delivery.data);
  const put = (stream: string, records: [key: string, data: string][]) =>
    kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: records.map(([key, data]) => ({ PartitionKey: key, Data: Buffer.from(data) })),
      }),
    );

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-kinesis-events-'));
    logFile = path.join(dir, 'deliveries.jsonl');
    const environment = { LOG_FILE: logFile, SEEN_FILE: path.join(dir, 'seen.txt') };
    const events = functionsWithEvents({
      ordered: [
        { stream: { type: 'kinesis', arn: arnOf('Ordered'), batchSize: 10, startingPosition: 'LATEST' } },
      ],
      poison: [
        {
          stream: {
            type: 'kinesis',
            arn: arnOf('Poison'),
            bisectBatchOnFunctionError: true,
            maximumRetryAttempts: 1,
            destinations: { onFailure: { arn: arnOf('Failures'), type: 'sqs' } },
          },
        },
      ],
      partial: [
        {
          stream: { type: 'kinesis', arn: arnOf('Partial'), functionResponseType: 'ReportBatchItemFailures' },
        },
      ],
      filtered: [
        {
          stream: { type: 'kinesis', arn: arnOf('Filtered'), filterPatterns: [{ data: { kind: ['keep'] } }] },
        },
      ],
      parallel: [
        { stream: { type: 'kinesis', arn: arnOf('Parallel'), batchSize: 1, parallelizationFactor: 3 } },
      ],
      windowed: [{ stream: { type: 'kinesis', arn: arnOf('Windowed'), tumblingWindowInSeconds: 1 } }],
      resharded: [{ stream: { type: 'kinesis', arn: arnOf('Resharded'), batchSize: 1 } }],
      produced: [{ stream: { type: 'kinesis', arn: arnOf('Produced') } }],
      producer: [],
    });
    const stream = (name: string, shards = 1) => ({
      Type: 'AWS::Kinesis::Stream',
      Properties: { Name: name, ShardCount: shards },
    });
    cloud = await start({
      service: serviceDefinition({
        service: 'kinesis-events',
        servicePath: SERVICE_PATH,
        // The producer's PutRecords (local-cloud enforces IAM, as AWS does).
        provider: {
          region: REGION,
          iamRole: {
            statements: [
              {
                Effect: 'Allow',
                Action: 'kinesis:PutRecords',
                Resource: `arn:aws:kinesis:${REGION}:123456789012:stream/events-produced`,
              },
            ],
          },
        },
        functions: Object.fromEntries(
          Object.entries(events).map(([key, fields]) => [
            key,
            { ...fields, handler: `src/consumer.${key}`, environment },
          ]),
        ),
        resources: {
          Ordered: stream('events-ordered', 2),
          Poison: stream('events-poison'),
          Partial: stream('events-partial'),
          Filtered: stream('events-filtered'),
          Parallel: stream('events-parallel'),
          Windowed: stream('events-windowed'),
          Resharded: stream('events-resharded'),
          Produced: stream('events-produced', 2),
          Failures: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'events-failures' } },
        },
      }),
      inMemory: true,
    });
    kinesis = kinesisClient(cloud.lambdaEndpoint, REGION, cloud.credentials);
  }, 60_000);

  afterAll(async () => {
    kinesis?.destroy();
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the event Lambda sends, each partition key in order', async () => {
    const records = Array.from({ length: 30 }, (_, i): [string, string] => [
      `key-${i % 3}`,
      `key-${i % 3}:${i}`,
    ]);
    const { Records } = await put('events-ordered', records);
    await eventually(() => delivered('ordered').length === 30);
    for (const key of ['key-0', 'key-1', 'key-2']) {
      const mine = delivered('ordered').filter((data) => data.startsWith(`${key}:`));
      expect(mine).toEqual(records.filter(([k]) => k === key).map(([, data]) => data));
    }
    const first = deliveries('ordered')
      .flatMap((delivery) => delivery.event.Records)
      .find((record) => record.kinesis.sequenceNumber === Records![0]!.SequenceNumber);
    expect(first).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'key-0',
        sequenceNumber: Records![0]!.SequenceNumber,
        data: Buffer.from('key-0:0').toString('base64'),
        approximateArrivalTimestamp: expect.any(Number) as unknown,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${Records![0]!.ShardId}:${Records![0]!.SequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/kinesis-events-dev-${REGION}-lambdaRole`,
      awsRegion: REGION,
      eventSourceARN: streamArn('events-ordered'),
    });
    expect(deliveries('ordered').every((delivery) => delivery.event.Records.length <= 10)).toBe(true);
  });

  it('bisects a failing batch, gives up the poison record after its retries to the on-failure queue, and goes on', async () => {
    await put('events-poison', [
      ['p', 'a'],
      ['p', 'b'],
      ['p', 'poison'],
      ['p', 'c'],
    ]);
    await eventually(() => deliveries('poison').some((delivery) => delivery.data.join() === 'c'));
    const batches = deliveries('poison').map((delivery) => delivery.data);
    // The whole batch, its halves, the failing half's halves, one retry of the poison record, then the rest.
    expect(batches).toEqual([
      ['a', 'b', 'poison', 'c'],
      ['a', 'b'],
      ['poison', 'c'],
      ['poison'],
      ['poison'],
      ['c'],
    ]);
    const queue = cloud.platform.services.sqs.queues.getQueue('events-failures');
    await eventually(() => queue.messages.length === 1);
    const description = JSON.parse(queue.messages[0]!.body) as Record<string, Record<string, unknown>>;
    expect(description.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    });
    expect(description.responseContext).toMatchObject({ functionError: 'Unhandled' });
    expect(description.KinesisBatchInfo).toMatchObject({
      shardId: 'shardId-000000000000',
      batchSize: 1,
      streamArn: streamArn('events-poison'),
    });
  });

  it('retries from the first record a partial batch response names', async () => {
    await put('events-partial', [
      ['q', 'one'],
      ['q', 'fail-two'],
      ['q', 'three'],
    ]);
    await eventually(() => deliveries('partial').length === 2);
    expect(deliveries('partial').map((delivery) => delivery.data)).toEqual([
      ['one', 'fail-two', 'three'],
      ['fail-two', 'three'],
    ]);
  });

  it('skips records no filter pattern matches, and records whose data is not JSON', async () => {
    await put('events-filtered', [
      ['f', JSON.stringify({ kind: 'drop', n: 1 })],
      ['f', 'not json'],
      ['f', JSON.stringify({ kind: 'keep', n: 3 })],
    ]);
    await eventually(() => delivered('filtered').length === 1);
    expect(delivered('filtered')).toEqual([JSON.stringify({ kind: 'keep', n: 3 })]);
  });

  it('runs batches of one shard in parallel, each partition key still in order', async () => {
    const records = Array.from({ length: 12 }, (_, i): [string, string] => [`p${i % 6}`, `p${i % 6}:${i}`]);
    await put('events-parallel', records);
    await eventually(() => delivered('parallel').length === 12, { timeoutMs: 20_000 });
    for (let key = 0; key < 6; key += 1) {
      const mine = delivered('parallel').filter((data) => data.startsWith(`p${key}:`));
      expect(mine).toEqual([`p${key}:${key}`, `p${key}:${key + 6}`]);
    }
    const starts = deliveries('parallel')
      .map((delivery) => delivery.startedAt!)
      .sort((a, b) => a - b);
    // Each invocation takes 200 ms: one after another, 12 would take 2.4 s.
    expect(starts[starts.length - 1]! - starts[0]!).toBeLessThan(12 * 200);
  }, 30_000);

  it('carries a tumbling window’s state and ends the window with a final invocation', async () => {
    await put('events-windowed', [
      ['w', 'one'],
      ['w', 'two'],
    ]);
    await eventually(() => deliveries('windowed').some((delivery) => delivery.event.isFinalInvokeForWindow), {
      timeoutMs: 10_000,
    });
    const [first, final] = deliveries('windowed');
    expect(first!.data).toEqual(['one', 'two']);
    expect(first!.event).toMatchObject({ state: {}, isFinalInvokeForWindow: false });
    expect(final!.event).toMatchObject({ Records: [], state: { count: 2 }, isFinalInvokeForWindow: true });
    expect(Date.parse(final!.event.window!.end) - Date.parse(final!.event.window!.start)).toBe(1000);
  }, 15_000);

  it('starts a child shard once its parent is delivered, so a key keeps its order across UpdateShardCount', async () => {
    await put('events-resharded', [
      ['r', 'r1'],
      ['r', 'r2'],
      ['r', 'r3'],
    ]);
    await kinesis.send(
      new UpdateShardCountCommand({
        StreamName: 'events-resharded',
        TargetShardCount: 2,
        ScalingType: 'UNIFORM_SCALING',
      }),
    );
    const { Records } = await put('events-resharded', [
      ['r', 'r4'],
      ['r', 'r5'],
    ]);
    expect(Records![0]!.ShardId).not.toBe('shardId-000000000000');
    await eventually(() => delivered('resharded').length === 5);
    expect(delivered('resharded')).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('takes records a function puts with the SDK from its sandbox, through AWS_ENDPOINT_URL', async () => {
    const lambda = new LambdaClient({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: cloud.credentials,
    });
    try {
      const records = [
        ['a', 'a1'],
        ['b', 'b1'],
        ['a', 'a2'],
      ];
      const { FunctionError, Payload } = await lambda.send(
        new InvokeCommand({
          FunctionName: 'kinesis-events-dev-producer',
          Payload: JSON.stringify({ stream: 'events-produced', records }),
        }),
      );
      expect(FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(Payload!).toString())).toEqual({ failed: 0 });
    } finally {
      lambda.destroy();
    }
    await eventually(() => delivered('produced').length === 3);
    expect(delivered('produced').filter((data) => data.startsWith('a'))).toEqual(['a1', 'a2']);
  }, 20_000);

  it('reads the settings Lambda would refuse as a failed deployment, and warns about enhanced fan-out', () => {
    const service = (stream: Record<string, unknown>) =>
      serviceDefinition({
        service: 'kinesis-mappings',
        servicePath: SERVICE_PATH,
        functions: functionsWithEvents({ fn: [{ stream }] }),
        resources: { S: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'mapped' } } },
      });
    const mapped = kinesisMappings(
      service({ type: 'kinesis', arn: arnOf('S'), consumer: true }),
      'us-east-1',
    );
    expect(mapped.mappings[0]).toMatchObject({
      streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/mapped',
      batchSize: 10,
      startingPosition: 'TRIM_HORIZON',
      parallelizationFactor: 1,
      maximumRetryAttempts: -1,
      tumblingWindowMs: 0,
    });
    expect(mapped.warnings).toEqual([expect.stringMatching(/consumer \(enhanced fan-out\) is not emulated/)]);
    expect(
      kinesisMappings(service({ arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/other' }), 'us-east-1')
        .mappings,
    ).toHaveLength(1);
    expect(() =>
      kinesisMappings(service({ type: 'kinesis', arn: arnOf('S'), parallelizationFactor: 11 }), 'us-east-1'),
    ).toThrow(/parallelizationFactor 11 is out of range/);
    expect(() =>
      kinesisMappings(
        service({ type: 'kinesis', arn: arnOf('S'), maximumRecordAgeInSeconds: 30 }),
        'us-east-1',
      ),
    ).toThrow(/maximumRecordAgeInSeconds 30 is out of range/);
    expect(() =>
      kinesisMappings(
        service({ type: 'kinesis', arn: arnOf('S'), startingPosition: 'AT_TIMESTAMP' }),
        'us-east-1',
      ),
    ).toThrow(/needs startingPositionTimestamp/);
    expect(() => kinesisMappings(service({ type: 'kinesis', arn: arnOf('Missing') }), 'us-east-1')).toThrow(
      /is not a Kinesis stream ARN local-cloud can resolve/,
    );
  });
});
