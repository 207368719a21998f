// Kinesis PutRecord to stream handler: a PutRecord through the SDK (HTTP/2, as its Kinesis client speaks) to
// the AWS endpoint, the Kinesis service, the `stream` event source (woken by the record's arrival; Lambda itself
// polls each shard about once a second) and the function in its sandbox. Measured from the PutRecord's start to
// the handler's first line. Records come one at a time at random moments, after warm-up records.
import path from 'node:path';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import {
  benchService,
  epochNow,
  handlerLatencies,
  StartMarks,
  withLocalCloud,
  type LatencyResult,
} from './services-support';

const STREAM = 'services-bench-records';
/** The handler lives with the Kinesis tests' fixtures: test/kinesis/fixtures/src/on-record.js. */
const SERVICE_PATH = path.resolve(__dirname, '../test/kinesis/fixtures');

export async function runKinesisBenchmark(records = 50, warmUp = 3): Promise<LatencyResult> {
  const service = {
    ...benchService(
      'kinesis',
      {
        onRecord: {
          handler: 'src/on-record.handler',
          events: [
            {
              stream: {
                type: 'kinesis',
                arn: { 'Fn::GetAtt': ['RecordsStream', 'Arn'] },
                startingPosition: 'LATEST',
                batchSize: 10,
              },
            },
          ],
        },
      },
      { RecordsStream: { Type: 'AWS::Kinesis::Stream', Properties: { Name: STREAM, ShardCount: 2 } } },
    ),
    servicePath: SERVICE_PATH,
  };
  const marks = new StartMarks();
  return withLocalCloud(service, marks, async (cloud) => {
    const kinesis = new KinesisClient({
      endpoint: cloud.platform.services.kinesis.url,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    const result = await handlerLatencies(marks, records, warmUp, async (i) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 250));
      const key = `record-${i}`;
      const sentAt = epochNow();
      await kinesis.send(
        new PutRecordCommand({ StreamName: STREAM, PartitionKey: key, Data: Buffer.from(key) }),
      );
      return { key: key, sentAt };
    });
    kinesis.destroy();
    return result;
  });
}

if (require.main === module) {
  void runKinesisBenchmark().then((result) => console.log(result));
}
