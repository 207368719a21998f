// Typed factories for the events AWS services send to Lambda, shaped as docs/reference/aws-behaviour.md
// (#event-shapes, and #proxy-integration-event for API Gateway) describes them. Every field a handler may
// read is present, with the values AWS would put there.
import { randomBytes, randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type {
  APIGatewayProxyEvent,
  AttributeValue,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  S3Event,
  S3EventRecord,
  ScheduledEvent,
  SNSEvent,
  SNSMessageAttributes,
} from 'aws-lambda';

export const TEST_REGION = 'us-east-1';
export const TEST_ACCOUNT_ID = '123456789012';

export interface ApiGatewayEventOptions {
  method?: string;
  /** The request path without the stage, for example `/groups/42`. */
  path?: string;
  /** The resource template, for example `/groups/{groupId}`; defaults to the path. */
  resource?: string;
  pathParameters?: Record<string, string>;
  /** Query string values; an array gives a repeated parameter. */
  query?: Record<string, string | string[]>;
  /** Request headers; an array gives a repeated header. */
  headers?: Record<string, string | string[]>;
  /** A string is sent as is; anything else is sent as JSON. */
  body?: unknown;
  isBase64Encoded?: boolean;
  stage?: string;
  stageVariables?: Record<string, string>;
  /** What a Lambda authorizer returned: its principalId and context values. */
  authorizer?: { principalId: string } & Record<string, string | number | boolean>;
  sourceIp?: string;
  userAgent?: string;
}

/** A REST API (payload format 1.0) Lambda proxy event. Absent maps are `null`, as API Gateway sends them. */
export function apiGatewayEvent(options: ApiGatewayEventOptions = {}): APIGatewayProxyEvent {
  const method = (options.method ?? 'GET').toUpperCase();
  const path = options.path ?? '/';
  const stage = options.stage ?? 'dev';
  const apiId = randomId(10);
  const domainName = `${apiId}.execute-api.${TEST_REGION}.amazonaws.com`;
  const sourceIp = options.sourceIp ?? '203.0.113.10';
  const userAgent = options.userAgent ?? 'test-kit';
  const multiValueHeaders = toMultiValue({
    Host: domainName,
    'User-Agent': userAgent,
    'X-Forwarded-For': sourceIp,
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    ...options.headers,
  });
  const multiValueQuery = options.query === undefined ? null : toMultiValue(options.query);
  const now = new Date();
  return {
    resource: options.resource ?? path,
    path,
    httpMethod: method,
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: multiValueQuery === null ? null : lastValues(multiValueQuery),
    multiValueQueryStringParameters: multiValueQuery,
    pathParameters: options.pathParameters ?? null,
    stageVariables: options.stageVariables ?? null,
    body:
      options.body === undefined
        ? null
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: TEST_ACCOUNT_ID,
      apiId,
      authorizer: options.authorizer ?? null,
      domainName,
      domainPrefix: apiId,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: `/${stage}${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: clfTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: randomId(6),
      resourcePath: options.resource ?? path,
      stage,
    },
  };
}

export interface S3RecordOptions {
  bucket: string;
  /** The object key as stored; the event carries it URL-encoded, as S3 sends it. */
  key: string;
  size?: number;
  eventName?:
    | 'ObjectCreated:Put'
    | 'ObjectCreated:Post'
    | 'ObjectCreated:Copy'
    | 'ObjectCreated:CompleteMultipartUpload'
    | 'ObjectRemoved:Delete';
  eTag?: string;
  time?: Date;
}

/** An S3 event notification with one record per argument. */
export function s3Event(...records: S3RecordOptions[]): S3Event {
  if (records.length === 0)
    throw new Error('s3Event needs at least one record, for example s3Event({ bucket, key })');
  return { Records: records.map(s3Record) };
}

function s3Record(options: S3RecordOptions): S3EventRecord {
  const removed = options.eventName === 'ObjectRemoved:Delete';
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: TEST_REGION,
    eventTime: (options.time ?? new Date()).toISOString(),
    eventName: options.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    requestParameters: { sourceIPAddress: '203.0.113.10' },
    responseElements: {
      'x-amz-request-id': randomId(16).toUpperCase(),
      'x-amz-id-2': randomBytes(32).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'test-kit-notification',
      bucket: {
        name: options.bucket,
        ownerIdentity: { principalId: 'A3EXAMPLE' },
        arn: `arn:aws:s3:::${options.bucket}`,
      },
      object: {
        key: encodeS3EventKey(options.key),
        // S3 leaves size and eTag out of delete events.
        ...(removed
          ? {}
          : { size: options.size ?? 1024, eTag: options.eTag ?? randomBytes(16).toString('hex') }),
        sequencer: sequencer(),
      } as S3EventRecord['s3']['object'],
    },
  };
}

/** S3 URL-encodes keys in events, spaces as `+`: "red flower.jpg" arrives as "red+flower.jpg". */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replaceAll('%20', '+'))
    .join('/');
}

export interface SnsEventOptions {
  topicArn?: string;
  /** A string is sent as is; anything else is sent as JSON, as publishers usually do. */
  message: unknown;
  subject?: string;
  attributes?: Record<string, string | number>;
}

/** An SNS notification: SNS invokes a function with exactly one record. */
export function snsEvent(options: SnsEventOptions): SNSEvent {
  const topicArn = options.topicArn ?? `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT_ID}:test-topic`;
  const subscriptionArn = `${topicArn}:${randomUUID()}`;
  const attributes: SNSMessageAttributes = {};
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    attributes[name] = { Type: typeof value === 'number' ? 'Number' : 'String', Value: String(value) };
  }
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          // SNS sends `null` when the publisher gave no subject; the library type says string.
          Subject: options.subject ?? (null as unknown as string),
          Message: typeof options.message === 'string' ? options.message : JSON.stringify(options.message),
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: randomBytes(64).toString('base64'),
          SigningCertUrl: `https://sns.${TEST_REGION}.amazonaws.com/SimpleNotificationService-test.pem`,
          UnsubscribeUrl: `https://sns.${TEST_REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: attributes,
        },
      },
    ],
  };
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface StreamRecordOptions {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The item's key attributes as plain values; the record carries them in DynamoDB JSON. */
  keys: Record<string, unknown>;
  /** The whole item after the change (INSERT, MODIFY). */
  newImage?: Record<string, unknown>;
  /** The whole item before the change (MODIFY, REMOVE). */
  oldImage?: Record<string, unknown>;
}

export interface StreamEventOptions {
  tableName?: string;
  viewType?: StreamViewType;
  records: StreamRecordOptions[];
}

let nextSequenceNumber = 100_000_000_000_000_000_000n;

/** A DynamoDB Streams batch. Which images each record carries follows the stream's view type. */
export function dynamoDbStreamEvent(options: StreamEventOptions): DynamoDBStreamEvent {
  const tableName = options.tableName ?? 'test-table';
  const viewType = options.viewType ?? 'NEW_AND_OLD_IMAGES';
  const streamArn = `arn:aws:dynamodb:${TEST_REGION}:${TEST_ACCOUNT_ID}:table/${tableName}/stream/2026-01-01T00:00:00.000`;
  return { Records: options.records.map((record) => streamRecord(record, viewType, streamArn)) };
}

function streamRecord(
  options: StreamRecordOptions,
  viewType: StreamViewType,
  streamArn: string,
): DynamoDBRecord {
  const showsNew =
    (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && options.eventName !== 'REMOVE';
  const showsOld =
    (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && options.eventName !== 'INSERT';
  if (showsNew && options.newImage === undefined) {
    throw new Error(`a ${options.eventName} record on a ${viewType} stream needs newImage`);
  }
  if (showsOld && options.oldImage === undefined) {
    throw new Error(`a ${options.eventName} record on a ${viewType} stream needs oldImage`);
  }
  const Keys = toDynamoJson(options.keys);
  const NewImage = showsNew ? toDynamoJson(options.newImage ?? {}) : undefined;
  const OldImage = showsOld ? toDynamoJson(options.oldImage ?? {}) : undefined;
  nextSequenceNumber += 1n;
  return {
    eventID: randomBytes(16).toString('hex'),
    eventName: options.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: TEST_REGION,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys,
      ...(NewImage && { NewImage }),
      ...(OldImage && { OldImage }),
      SequenceNumber: nextSequenceNumber.toString(),
      SizeBytes: Buffer.byteLength(JSON.stringify({ Keys, NewImage, OldImage })),
      StreamViewType: viewType,
    },
  };
}

function toDynamoJson(item: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
}

export interface ScheduledEventOptions {
  ruleName?: string;
  time?: Date;
}

/** The event EventBridge sends for a `rate(...)` or `cron(...)` schedule. */
export function scheduledEvent(options: ScheduledEventOptions = {}): ScheduledEvent<Record<string, never>> {
  const ruleName = options.ruleName ?? 'test-schedule';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: TEST_ACCOUNT_ID,
    time: (options.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: TEST_REGION,
    resources: [`arn:aws:events:${TEST_REGION}:${TEST_ACCOUNT_ID}:rule/${ruleName}`],
    detail: {},
  };
}

function toMultiValue(values: Record<string, string | string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]),
  );
}

/** API Gateway's single-value maps keep the last value of a repeated header or parameter. */
function lastValues(values: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, list]) => [name, list[list.length - 1] ?? '']),
  );
}

function randomId(length: number): string {
  return randomBytes(length).toString('hex').slice(0, length);
}

function sequencer(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** API Gateway's requestTime format: 21/Nov/2026:10:53:32 +0000. */
function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
