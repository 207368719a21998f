// Each AWS call of a traced client is a CLIENT span named and described as the AWS SDK instrumentation
// describes it, so local-cloud and X-Ray show `DynamoDB  PutItem <table>`; a failed call is an ERROR span.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { traced } from '../../../src/adapters/aws-clients';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(() => trace.setGlobalTracerProvider(provider));
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});
beforeEach(() => exporter.reset());

/** A client that never leaves the process: the last step answers (or fails) instead of sending. */
function clientAnswering(outcome: () => Promise<object>): DynamoDBClient {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 's' },
  });
  client.middlewareStack.add(() => async () => ({ output: await outcome(), response: {} }) as never, {
    step: 'finalizeRequest',
    priority: 'low',
  });
  return traced(client, 'DynamoDB');
}

const put = new PutItemCommand({ TableName: 'udagram-images', Item: { id: { S: 'i1' } } });

describe('traced AWS clients', () => {
  it('records each call as a CLIENT span with the service, operation and table', async () => {
    await clientAnswering(() => Promise.resolve({ $metadata: {} })).send(put);

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('DynamoDB.PutItem');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toEqual({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'PutItem',
      'aws.dynamodb.table_names': ['udagram-images'],
    });
  });

  it('marks a failed call with an ERROR status and rethrows', async () => {
    const client = clientAnswering(() => Promise.reject(new Error('throttled')));

    await expect(client.send(put)).rejects.toThrow('throttled');

    expect(exporter.getFinishedSpans()[0]?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'throttled',
    });
  });
});
