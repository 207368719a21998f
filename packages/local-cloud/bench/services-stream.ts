// DynamoDB write to stream handler: a PutItem through the SDK, DynamoDB Local's stream, the event source
// mapping's poller (about 4 reads a second per shard, as Lambda polls) and the function in its sandbox.
// Measured from the PutItem's start to the handler's first line. Writes come at random moments of the poll
// cycle (as real writes do), one at a time, after warm-up writes.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  benchService,
  epochNow,
  handlerLatencies,
  StartMarks,
  withLocalCloud,
  type LatencyResult,
} from './services-support';

const TABLE = 'services-bench-items';

export async function runStreamBenchmark(writes = 50, warmUp = 3): Promise<LatencyResult> {
  const service = benchService(
    'stream',
    {
      onWrite: {
        handler: 'src/on-write.handler',
        events: [
          {
            stream: {
              type: 'dynamodb',
              arn: { 'Fn::GetAtt': ['ItemsTable', 'StreamArn'] },
              startingPosition: 'LATEST',
              batchSize: 10,
            },
          },
        ],
      },
    },
    {
      ItemsTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        },
      },
    },
  );
  const marks = new StartMarks();
  return withLocalCloud(service, marks, async (cloud) => {
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.platform.services.dynamoDb!.url,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    const result = await handlerLatencies(marks, writes, warmUp, async (i) => {
      // A random moment within the poll interval (250 ms), as writes arrive independently of the poller.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 250));
      const pk = `item-${i}`;
      const sentAt = epochNow();
      await dynamodb.send(
        new PutItemCommand({ TableName: TABLE, Item: { pk: { S: pk }, n: { N: String(i) } } }),
      );
      return { key: pk, sentAt };
    });
    dynamodb.destroy();
    return result;
  });
}

if (require.main === module) {
  void runStreamBenchmark().then((result) => console.log(result));
}
