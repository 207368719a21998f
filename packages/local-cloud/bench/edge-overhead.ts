// The edge's overhead: what a call pays for going through local-cloud's one AWS endpoint, measured with the
// AWS SDK v3 clients a handler uses, one call at a time, each call timed from send() to the last byte read.
// Side by side, in the same run:
// - DynamoDB GetItem through the edge (the edge reads the signature's scope, the proxy verifies the SigV4
//   signature, puts the service's namespace on the request and forwards it to DynamoDB Local), and the same
//   GetItem straight to DynamoDB Local's own port: the difference is everything local-cloud adds;
// - S3 GetObject of a 1 KB object through the edge, and the same GetObject from an S3 service started alone
//   on a port of its own: S3 runs in local-cloud's process, so the difference is the edge's routing alone.
// local-cloud runs as start() composes it, in this process, with its data persisted (as `local-cloud start`
// keeps it unless --in-memory) in a temporary folder: the namespace file there holds the access key id the
// service's tables are kept under in DynamoDB Local (see src/services/dynamodb/own-namespace.ts), which the
// straight client needs to see the table. After the warm-up, the four calls are measured in alternating
// blocks, so a machine whose speed drifts affects each alike.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AccessKeyPair } from '../src/endpoints';
import { NAMESPACE_FILE } from '../src/services/dynamodb/own-namespace';
import { namespaceKeys } from '../src/services/dynamodb/shared-dynamodb-local';
import { createS3Service } from '../src/services/s3/s3-service';
import { composeLocalCloud } from '../test/platform/support/compose';
import { benchService, latencyResult, type LatencyResult } from './services-support';

const TABLE = 'edge-bench-items';
const BUCKET = 'edge-bench-objects';
const KEY = 'objects/one-kilobyte.bin';
const OBJECT_BYTES = 1024;
const REGION = 'us-east-1';
/** A call that hangs fails the benchmark instead of stalling it; no call here comes near. */
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 10_000, throwOnRequestTimeout: true };

/** The same call with and without the edge: p50 and p99 as ratios (edge / without) and differences. */
export interface Overhead {
  p50Ratio: number;
  p50DiffMs: number;
  p99Ratio: number;
  p99DiffMs: number;
}

export interface EdgeOverheadResult {
  warmUp: number;
  objectBytes: number;
  dynamoDbEdge: LatencyResult;
  dynamoDbStraight: LatencyResult;
  /** DynamoDB GetItem through the edge vs straight to DynamoDB Local. */
  dynamoDbOverhead: Overhead;
  s3Edge: LatencyResult;
  s3Straight: LatencyResult;
  /** S3 GetObject through the edge vs from S3 on a port of its own. */
  s3Overhead: Overhead;
}

export function overhead(edge: LatencyResult, without: LatencyResult): Overhead {
  return {
    p50Ratio: edge.p50Ms / without.p50Ms,
    p50DiffMs: edge.p50Ms - without.p50Ms,
    p99Ratio: edge.p99Ms / without.p99Ms,
    p99DiffMs: edge.p99Ms - without.p99Ms,
  };
}

interface Series {
  call: () => Promise<void>;
  samples: number[];
}

export async function runEdgeOverheadBenchmark(
  calls = 2000,
  warmUp = 200,
  blocks = 10,
): Promise<EdgeOverheadResult> {
  const servicePath = await mkdtemp(path.join(os.tmpdir(), 'local-cloud-edge-bench-'));
  const service = {
    ...benchService(
      'edge',
      {},
      {
        ItemsTable: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: TABLE,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          },
        },
        ObjectsBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } },
      },
    ),
    servicePath,
  };
  const clients: { destroy(): void }[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    const cloud = await composeLocalCloud({ service, inMemory: false });
    stops.push(() => cloud.stop());
    const dynamoDb = cloud.platform.services.dynamoDb!;
    const namespace = (await readFile(path.join(dynamoDb.dataDir!, NAMESPACE_FILE), 'utf8')).trim();
    const standaloneS3 = await createS3Service({
      service,
      port: 0,
      host: '127.0.0.1',
      dataDir: path.join(servicePath, 'standalone-s3'),
      credentials: cloud.credentials,
      region: REGION,
    });
    stops.push(() => standaloneS3.stop());

    const dynamoDbClient = (endpoint: string, credentials: AccessKeyPair) => {
      const client = new DynamoDBClient({
        endpoint,
        region: REGION,
        credentials,
        maxAttempts: 1,
        requestHandler: REQUEST_HANDLER,
      });
      clients.push(client);
      return client;
    };
    const s3Client = (endpoint: string) => {
      const client = new S3Client({
        endpoint,
        region: REGION,
        credentials: cloud.credentials,
        forcePathStyle: true,
        maxAttempts: 1,
        requestHandler: REQUEST_HANDLER,
      });
      clients.push(client);
      return client;
    };
    const edgeDynamoDb = dynamoDbClient(cloud.platform.edge.url, cloud.credentials);
    const straightDynamoDb = dynamoDbClient(dynamoDb.backendUrl, namespaceKeys(namespace));
    const edgeS3 = s3Client(cloud.platform.edge.url);
    const straightS3 = s3Client(standaloneS3.url);

    const item = { pk: { S: 'item-1' }, title: { S: 'a small item' }, count: { N: '42' } };
    await edgeDynamoDb.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    const body = Buffer.alloc(OBJECT_BYTES, 7);
    for (const client of [edgeS3, straightS3]) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: body }));
    }

    const getItem = (client: DynamoDBClient) => async () => {
      const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: item.pk } }));
      if (Item?.pk?.S !== 'item-1') throw new Error(`GetItem found no item: ${JSON.stringify(Item)}`);
    };
    const getObject = (client: S3Client) => async () => {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
      const bytes = await Body!.transformToByteArray();
      if (bytes.length !== OBJECT_BYTES) throw new Error(`GetObject read ${bytes.length} bytes`);
    };
    const series: Series[] = [
      getItem(edgeDynamoDb),
      getItem(straightDynamoDb),
      getObject(edgeS3),
      getObject(straightS3),
    ].map((call) => ({ call, samples: [] }));

    for (const { call } of series) {
      for (let i = 0; i < warmUp; i += 1) await call();
    }
    // Each block measures every series once, starting from a different one each time.
    const perBlock = Math.ceil(calls / blocks);
    for (let block = 0; block < blocks; block += 1) {
      for (let offset = 0; offset < series.length; offset += 1) {
        const { call, samples } = series[(block + offset) % series.length]!;
        for (let i = 0; i < perBlock && samples.length < calls; i += 1) {
          const started = performance.now();
          await call();
          samples.push(performance.now() - started);
        }
      }
    }
    const [dynamoDbEdge, dynamoDbStraight, s3Edge, s3Straight] = series.map(({ samples }) =>
      latencyResult(samples),
    ) as [LatencyResult, LatencyResult, LatencyResult, LatencyResult];
    return {
      warmUp,
      objectBytes: OBJECT_BYTES,
      dynamoDbEdge,
      dynamoDbStraight,
      dynamoDbOverhead: overhead(dynamoDbEdge, dynamoDbStraight),
      s3Edge,
      s3Straight,
      s3Overhead: overhead(s3Edge, s3Straight),
    };
  } finally {
    clients.forEach((client) => client.destroy());
    for (const stop of stops.reverse()) await stop();
    await rm(servicePath, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runEdgeOverheadBenchmark().then((result) => console.log(result));
}
