// A stream's on-failure destination that is an SNS topic, end to end through start(): the poison batch is
// retried, given up, and AWS's on-failure record is published to the topic named by `Ref`, whose
// subscriber function receives it; the log says where it went.
import path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { eventually } from '@serverless-course/test-kit';
import type { SNSEvent } from 'aws-lambda';
import { start, type LocalCloud } from '../../src';
import { fixtureService, streamTable } from '../fixtures/dynamodb/service-definition';

const SERVICE = 'stream-failure-topic';
const TABLE = `${SERVICE}-images`;
const TOPIC_ARN = `arn:aws:sns:us-east-1:123456789012:${SERVICE}-index-failures`;
const MARKER = 'FAILURE-EVENT ';

const service = fixtureService({
  service: SERVICE,
  servicePath: path.join(__dirname, '..', 'fixtures', 'dynamodb', SERVICE),
  resources: {
    ImagesTable: streamTable(TABLE, 'NEW_IMAGE'),
    IndexFailuresTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: `${SERVICE}-index-failures` } },
  },
  functions: {
    indexImage: [
      {
        stream: {
          type: 'dynamodb',
          arn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
          maximumRetryAttempts: 1,
          destinations: { onFailure: { arn: { Ref: 'IndexFailuresTopic' }, type: 'sns' } },
        },
      },
    ],
    reportFailure: [{ sns: { arn: { Ref: 'IndexFailuresTopic' }, topicName: `${SERVICE}-index-failures` } }],
  },
});
service.functions.indexImage!.handler = 'src/index-image.handler';
service.functions.reportFailure!.handler = 'src/report-failure.handler';

const log: string[] = [];
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await start({ service, inMemory: true, log: (line) => log.push(line) });
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
});

/** The first log line that satisfies the condition; polls the log, within a deadline. */
function logLine(matches: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return eventually(
    () => {
      const found = log.find(matches);
      if (found === undefined) throw new Error(`no such log line; the log:\n${log.join('\n')}`);
      return found;
    },
    { timeoutMs, description: 'the log line' },
  );
}

describe('a stream batch given up with an SNS topic as its on-failure destination', () => {
  it("reaches the topic's subscriber function as AWS's on-failure record, and the log says it was published", async () => {
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.platform.services.dynamoDb!.url,
      region: cloud.region,
      credentials: cloud.credentials,
    });

    await dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'poison' } } }));
    const received = await logLine((line) => line.includes(MARKER));
    const gaveUp = await logLine((line) => line.includes('[dynamodb-streams] indexImage gave up'));
    dynamodb.destroy();
    const event = JSON.parse(received.slice(received.indexOf(MARKER) + MARKER.length)) as SNSEvent;
    const sns = event.Records[0]!.Sns;

    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]!.EventSource).toBe('aws:sns');
    expect(sns.TopicArn).toBe(TOPIC_ARN);
    expect(JSON.parse(sns.Message)).toEqual({
      requestContext: {
        requestId: expect.stringMatching(/.+/) as string,
        functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${SERVICE}-dev-indexImage`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/) as string,
        startSequenceNumber: expect.stringMatching(/^\d+$/) as string,
        endSequenceNumber: expect.stringMatching(/^\d+$/) as string,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as string,
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as string,
        batchSize: 1,
        streamArn: expect.stringMatching(
          new RegExp(`^arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}/stream/`),
        ) as string,
      },
    });
    expect(gaveUp).toMatch(
      new RegExp(
        `indexImage gave up on 1 record\\(s\\) of ${TABLE} after 2 attempt\\(s\\); published their description to ${TOPIC_ARN} \\(message [\\w-]+\\)$`,
      ),
    );
  }, 30_000);
});
