// Kinesis Data Streams at the AWS endpoint, driven as users drive it: `@aws-sdk/client-kinesis` (JSON 1.1,
// signed) and the AWS CLI. Streams come from AWS::Kinesis::Stream resources (a name, CloudFormation's
// generated name, on-demand's 4 shards) and CreateStream; records go by partition key, come back through shard
// iterators in order, and careless calls get Kinesis's errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { start, type LocalCloud } from '../../src';
import { partitionKeyHash } from '../../src/services/kinesis/shard-hashing';
import { awsCli } from '../support/aws-cli';
import { serviceDefinition } from '../support/function-definition';
import { kinesisClient } from './support/kinesis-client';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, 'fixtures');
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('the Kinesis API', () => {
  let cloud: LocalCloud;
  let kinesis: KinesisClient;
  let home: string;
  const aws = awsCli(() => ({
    endpoint: cloud.lambdaEndpoint,
    credentials: cloud.credentials,
    region: REGION,
    home,
  }));

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-kinesis-api-'));
    cloud = await start({
      service: serviceDefinition({
        service: 'kinesis-api',
        servicePath: SERVICE_PATH,
        provider: { region: REGION },
        resources: {
          Clicks: {
            Type: 'AWS::Kinesis::Stream',
            Properties: { Name: 'api-clicks', ShardCount: 3, RetentionPeriodHours: 48 },
          },
          Unnamed: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } },
          Elastic: {
            Type: 'AWS::Kinesis::Stream',
            Properties: {
              Name: 'api-elastic',
              StreamModeDetails: { StreamMode: 'ON_DEMAND' },
              StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
            },
          },
        },
      }),
      inMemory: true,
    });
    kinesis = kinesisClient(cloud.lambdaEndpoint, REGION, cloud.credentials);
  }, 60_000);

  afterAll(async () => {
    kinesis?.destroy();
    await cloud?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('creates the declared streams: names, shard counts, on-demand, retention', async () => {
    const { StreamNames } = await kinesis.send(new ListStreamsCommand({}));
    const generated = StreamNames!.find((name) => name.startsWith('kinesis-api-dev-Unnamed-'));
    expect(generated).toMatch(/^kinesis-api-dev-Unnamed-[A-Z0-9]{12}$/);
    expect(StreamNames).toEqual(expect.arrayContaining(['api-clicks', 'api-elastic']));

    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName: 'api-clicks' }));
    expect(StreamDescription).toMatchObject({
      StreamName: 'api-clicks',
      StreamARN: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/api-clicks`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 48,
      HasMoreShards: false,
      EncryptionType: 'NONE',
    });
    expect(StreamDescription!.StreamCreationTimestamp).toBeInstanceOf(Date);
    expect(StreamDescription!.Shards!.map((shard) => shard.HashKeyRange!.StartingHashKey)).toEqual([
      '0',
      '113427455640312821154458202477256070485',
      '226854911280625642308916404954512140970',
    ]);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'api-elastic' }));
    expect(summary.StreamDescriptionSummary).toMatchObject({
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      OpenShardCount: 4,
      RetentionPeriodHours: 24,
    });
    expect(cloud.platform.resources.Clicks).toEqual({
      type: 'AWS::Kinesis::Stream',
      ref: 'api-clicks',
      attributes: { Arn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/api-clicks` },
    });
  });

  it('reports the encryption it does not apply, and changes retention in one direction per call', async () => {
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: 'api-elastic' }),
    );
    expect(StreamDescriptionSummary).toMatchObject({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
    expect(cloud.platform.warnings).toContain(
      'resources.Elastic.Properties.StreamEncryption: records are not encrypted locally (DescribeStream reports the encryption type)',
    );
    await kinesis.send(
      new IncreaseStreamRetentionPeriodCommand({ StreamName: 'api-elastic', RetentionPeriodHours: 72 }),
    );
    await expect(
      kinesis.send(
        new IncreaseStreamRetentionPeriodCommand({ StreamName: 'api-elastic', RetentionPeriodHours: 48 }),
      ),
    ).rejects.toThrow(/can not be shorter than existing retention period \(72 hours\)/);
  });

  it('puts records by partition key and reads them back in order through shard iterators', async () => {
    const put = await kinesis.send(
      new PutRecordCommand({ StreamName: 'api-clicks', PartitionKey: 'user-1', Data: Buffer.from('first') }),
    );
    const { shardId } = shardOf('user-1', 3);
    expect(put.ShardId).toBe(shardId);
    await kinesis.send(
      new PutRecordCommand({ StreamName: 'api-clicks', PartitionKey: 'user-1', Data: Buffer.from('second') }),
    );
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'api-clicks',
        ShardId: shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: put.SequenceNumber,
      }),
    );
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10 }));
    expect(page.Records!.map((record) => [record.PartitionKey, text(record.Data)])).toEqual([
      ['user-1', 'first'],
      ['user-1', 'second'],
    ]);
    expect(page.Records![0]!.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    expect(page.MillisBehindLatest).toBe(0);
    const empty = await kinesis.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }));
    expect(empty.Records).toEqual([]);
    expect(empty.NextShardIterator).toEqual(expect.any(String));
  });

  it('puts up to 500 records at once and reports each', async () => {
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'api-clicks',
        Records: Array.from({ length: 500 }, (_, i) => ({
          PartitionKey: `k${i % 7}`,
          Data: Buffer.from(`r${i}`),
        })),
      }),
    );
    expect(result.FailedRecordCount).toBe(0);
    expect(result.Records).toHaveLength(500);
    expect(result.Records![3]).toEqual({
      ShardId: shardOf('k3', 3).shardId,
      SequenceNumber: expect.stringMatching(/^\d{56}$/) as unknown,
    });

    await expect(
      kinesis.send(
        new PutRecordsCommand({
          StreamName: 'api-clicks',
          Records: Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: Buffer.from('x') })),
        }),
      ),
    ).rejects.toThrow(/Member must have length less than or equal to 500/);
    await expect(
      kinesis.send(
        new PutRecordsCommand({
          StreamName: 'api-clicks',
          Records: Array.from({ length: 6 }, () => ({
            PartitionKey: 'k',
            Data: Buffer.alloc(1024 * 1024 - 10),
          })),
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidArgumentException);
  });

  it('reports throttled records of PutRecords one by one', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'api-hot', ShardCount: 1 }));
    const entries = Array.from({ length: 500 }, (_, i) => ({
      PartitionKey: 'hot',
      Data: Buffer.from(String(i)),
    }));
    const results = [];
    // 2,500 records within two seconds at most: the shard takes 1,000 records a second.
    for (let i = 0; i < 5; i += 1)
      results.push(await kinesis.send(new PutRecordsCommand({ StreamName: 'api-hot', Records: entries })));
    const failed = results.reduce((sum, result) => sum + result.FailedRecordCount!, 0);
    expect(failed).toBeGreaterThanOrEqual(500);
    const failure = results.flatMap((result) => result.Records!).find((record) => record.ErrorCode);
    expect(failure).toEqual({
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream api-hot under account ${ACCOUNT}.`,
    });
  });

  it('creates, reshards, lists shards of and deletes a stream through the API', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'api-made', ShardCount: 2 }));
    await expect(
      kinesis.send(new CreateStreamCommand({ StreamName: 'api-made', ShardCount: 2 })),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    const updated = await kinesis.send(
      new UpdateShardCountCommand({
        StreamName: 'api-made',
        TargetShardCount: 4,
        ScalingType: 'UNIFORM_SCALING',
      }),
    );
    expect(updated).toMatchObject({ CurrentShardCount: 2, TargetShardCount: 4 });
    const { Shards, NextToken } = await kinesis.send(
      new ListShardsCommand({ StreamName: 'api-made', MaxResults: 4 }),
    );
    expect(Shards!.map((shard) => shard.ShardId)).toEqual([0, 1, 2, 3].map((i) => `shardId-00000000000${i}`));
    expect(Shards![0]!.SequenceNumberRange!.EndingSequenceNumber).toEqual(expect.any(String));
    const rest = await kinesis.send(new ListShardsCommand({ NextToken }));
    expect(rest.Shards!.map((shard) => [shard.ShardId, shard.ParentShardId])).toEqual([
      ['shardId-000000000004', 'shardId-000000000001'],
      ['shardId-000000000005', 'shardId-000000000001'],
    ]);
    await kinesis.send(new DeleteStreamCommand({ StreamName: 'api-made' }));
    await expect(kinesis.send(new DescribeStreamCommand({ StreamName: 'api-made' }))).rejects.toThrow(
      new ResourceNotFoundException({
        message: `Stream api-made under account ${ACCOUNT} not found.`,
        $metadata: {},
      }),
    );
  });

  it('answers careless calls with Kinesis’s errors', async () => {
    await expect(
      kinesis.send(
        new PutRecordCommand({ StreamName: 'api-missing', PartitionKey: 'k', Data: Buffer.from('x') }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      kinesis.send(
        new PutRecordCommand({ StreamName: 'api-clicks', PartitionKey: '', Data: Buffer.from('x') }),
      ),
    ).rejects.toThrow(
      /at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    );
    await expect(
      kinesis.send(
        new PutRecordCommand({
          StreamName: 'api-clicks',
          PartitionKey: 'k',
          Data: Buffer.alloc(1024 * 1024 + 1),
        }),
      ),
    ).rejects.toThrow(/Member must have length less than or equal to 1048576/);
    await expect(
      kinesis.send(
        new GetShardIteratorCommand({
          StreamName: 'api-clicks',
          ShardId: 'shardId-000000000009',
          ShardIteratorType: 'LATEST',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      kinesis.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })),
    ).rejects.toBeInstanceOf(InvalidArgumentException);
    const stale = Buffer.from(
      JSON.stringify({ n: 'api-clicks', c: 0, s: 'shardId-000000000000', p: 0, t: 0 }),
    ).toString('base64');
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: stale }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(ExpiredIteratorException).toBeDefined();
  });

  it('serves the AWS CLI: put-record and get-records', async () => {
    const dataFile = path.join(home, 'record.txt');
    writeFileSync(dataFile, 'from the cli');
    const put = JSON.parse(
      await aws(
        'kinesis',
        'put-record',
        '--stream-name',
        'api-clicks',
        '--partition-key',
        'cli-key',
        // fileb:// is raw bytes in CLI v1 and v2 alike; a plain value is base64 in v2 and text in v1.
        '--data',
        `fileb://${dataFile}`,
      ),
    ) as { ShardId: string; SequenceNumber: string };
    expect(put.ShardId).toBe(shardOf('cli-key', 3).shardId);
    const { ShardIterator } = JSON.parse(
      await aws(
        'kinesis',
        'get-shard-iterator',
        '--stream-name',
        'api-clicks',
        '--shard-id',
        put.ShardId,
        '--shard-iterator-type',
        'AT_SEQUENCE_NUMBER',
        '--starting-sequence-number',
        put.SequenceNumber,
      ),
    ) as { ShardIterator: string };
    const got = JSON.parse(
      await aws('kinesis', 'get-records', '--shard-iterator', ShardIterator, '--limit', '1'),
    ) as {
      Records: { Data: string; PartitionKey: string; SequenceNumber: string }[];
    };
    expect(
      got.Records.map((record) => [record.PartitionKey, Buffer.from(record.Data, 'base64').toString()]),
    ).toEqual([['cli-key', 'from the cli']]);
  }, 30_000);
});

/** The shard of `count` uniform shards a partition key's MD5 falls in. */
function shardOf(partitionKey: string, count: number): { shardId: string } {
  const width = (1n << 128n) / BigInt(count);
  const index = Math.min(count - 1, Number(partitionKeyHash(partitionKey) / width));
  return { shardId: `shardId-${String(index).padStart(12, '0')}` };
}
