import { ServiceConfigError } from '../../src/config/service-config-error';
import {
  reportStreamFailure,
  streamMappings,
  type StreamBatchFailure,
} from '../../src/event-sources/dynamodb-streams';
import { fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';

// destinations.onFailure of a `stream` event, as the Serverless Framework v3 writes it, and the line that
// reports a batch given up. Where the description really goes is in streams.test.ts and
// stream-failure-topic.test.ts.

const resources = {
  Images: streamTable('images', 'NEW_IMAGE'),
  IndexFailuresTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'index-failures' } },
};

function serviceWithOnFailure(onFailure: unknown) {
  return fixtureService({
    service: 'destinations',
    resources,
    functions: {
      indexImage: [
        {
          stream: {
            type: 'dynamodb',
            arn: { 'Fn::GetAtt': ['Images', 'StreamArn'] },
            destinations: { onFailure },
          },
        },
      ],
      reportFailure: [],
    },
  });
}

function configErrorOf(act: () => unknown): ServiceConfigError {
  try {
    act();
  } catch (error) {
    if (error instanceof ServiceConfigError) return error;
    throw error;
  }
  throw new Error('no ServiceConfigError was thrown');
}

describe('destinations.onFailure of a stream event', () => {
  it("resolves { arn: { Ref: <topic> }, type: sns } to the topic's ARN", () => {
    const service = serviceWithOnFailure({ arn: { Ref: 'IndexFailuresTopic' }, type: 'sns' });

    const [mapping] = streamMappings(service).mappings;

    expect(mapping?.onFailure).toEqual({
      type: 'sns',
      arn: 'arn:aws:sns:us-east-1:123456789012:index-failures',
    });
  });

  it('takes a topic ARN written as a string', () => {
    const service = serviceWithOnFailure('arn:aws:sns:us-east-1:123456789012:index-failures');

    expect(streamMappings(service).mappings[0]?.onFailure).toEqual({
      type: 'sns',
      arn: 'arn:aws:sns:us-east-1:123456789012:index-failures',
    });
  });

  it('refuses a function of the service as the destination, naming the file, the field and the fix', () => {
    const service = serviceWithOnFailure({ arn: { 'Fn::GetAtt': ['ReportFailureLambdaFunction', 'Arn'] } });

    const error = configErrorOf(() => streamMappings(service));

    expect(error.file).toMatch(/serverless\.yml$/);
    expect(error.problem).toBe(
      "functions.indexImage.events[0].stream: destinations.onFailure is the function arn:aws:lambda:us-east-1:123456789012:function:destinations-dev-reportFailure, but a DynamoDB stream's on-failure destination must be an SNS topic, an SQS queue or an S3 bucket (Lambda takes functions as destinations of asynchronous invocations only)",
    );
    expect(error.fix).toMatch(/onFailure: \{ arn: \{ Ref: <topic logical id> \}, type: sns \}/);
  });

  it('refuses a function ARN written as a string', () => {
    const service = serviceWithOnFailure(
      'arn:aws:lambda:us-east-1:123456789012:function:destinations-dev-reportFailure',
    );

    expect(() => streamMappings(service)).toThrow(/must be an SNS topic, an SQS queue or an S3 bucket/);
  });

  it('refuses a Ref that names no topic, and a type that contradicts the ARN', () => {
    const unknownTopic = serviceWithOnFailure({ arn: { Ref: 'MissingTopic' }, type: 'sns' });
    const wrongType = serviceWithOnFailure({ arn: { Ref: 'IndexFailuresTopic' }, type: 'sqs' });

    expect(() => streamMappings(unknownTopic)).toThrow(
      /destinations\.onFailure\.arn \{"Ref":"MissingTopic"\} names no topic local-cloud creates\. Fix: Ref an AWS::SNS::Topic/,
    );
    expect(() => streamMappings(wrongType)).toThrow(/has type sqs but its arn is arn:aws:sns:/);
  });
});

describe('the line logged for a batch given up', () => {
  const record = {
    requestContext: {
      requestId: 'request-1',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:destinations-dev-indexImage',
      condition: 'RetryAttemptsExhausted' as const,
      approximateInvokeCount: 3,
    },
    responseContext: { statusCode: 200 as const, executedVersion: '$LATEST' as const },
    version: '1.0' as const,
    timestamp: '2026-01-01T00:00:00.000Z',
    DDBStreamBatchInfo: {
      shardId: 'shardId-1',
      startSequenceNumber: '100',
      endSequenceNumber: '102',
      approximateArrivalOfFirstRecord: '2026-01-01T00:00:00Z',
      approximateArrivalOfLastRecord: '2026-01-01T00:00:00Z',
      batchSize: 2,
      streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/images/stream/2026-01-01T00:00:00.000',
    },
  };
  const failure = (extra: Partial<StreamBatchFailure>): StreamBatchFailure => ({
    functionKey: 'indexImage',
    source: 'images',
    batchSize: 2,
    attempts: 3,
    record,
    ...extra,
  });
  const lineFor = async (reported: StreamBatchFailure): Promise<string> => {
    const lines: string[] = [];
    await reportStreamFailure(reported, (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('says the description was published to a topic, or sent to a queue, with the message id', async () => {
    const published = await lineFor(
      failure({
        destination: 'arn:aws:sns:us-east-1:123456789012:index-failures',
        delivery: Promise.resolve('m-1'),
      }),
    );
    const sent = await lineFor(
      failure({
        destination: 'arn:aws:sqs:us-east-1:123456789012:index-failures',
        delivery: Promise.resolve('m-2'),
      }),
    );

    expect(published).toBe(
      'indexImage gave up on 2 record(s) of images after 3 attempt(s); published their description to arn:aws:sns:us-east-1:123456789012:index-failures (message m-1)',
    );
    expect(sent).toBe(
      'indexImage gave up on 2 record(s) of images after 3 attempt(s); sent their description to arn:aws:sqs:us-east-1:123456789012:index-failures (message m-2)',
    );
  });

  it('warns that the description was not delivered, and why, for a destination that refused it', async () => {
    const line = await lineFor(
      failure({
        destination: 'arn:aws:s3:::index-failures',
        delivery: Promise.reject(new Error('local-cloud does not emulate S3 destinations')),
      }),
    );

    expect(line).toBe(
      'warning: indexImage gave up on 2 record(s) of images after 3 attempt(s); their description was NOT delivered to arn:aws:s3:::index-failures: local-cloud does not emulate S3 destinations. The records are skipped',
    );
    expect(line).not.toMatch(/\bsent\b/);
  });

  it('says the records are skipped when there is no destination', async () => {
    expect(await lineFor(failure({}))).toBe(
      'indexImage gave up on 2 record(s) of images after 3 attempt(s); they are skipped (no destinations.onFailure)',
    );
  });
});
