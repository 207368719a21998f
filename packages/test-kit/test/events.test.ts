import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  apiGatewayEvent,
  dynamoDbStreamEvent,
  encodeS3EventKey,
  s3Event,
  scheduledEvent,
  snsEvent,
} from '../src';

describe('apiGatewayEvent', () => {
  it('sends absent query strings, path parameters, stage variables and body as null, as API Gateway does', () => {
    const event = apiGatewayEvent();

    expect(event).toMatchObject({
      httpMethod: 'GET',
      path: '/',
      resource: '/',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
  });

  it('fills the request context: stage-prefixed path, method, identity, ids and times', () => {
    const event = apiGatewayEvent({
      method: 'post',
      path: '/groups/7',
      resource: '/groups/{groupId}',
      stage: 'prod',
    });

    const { requestContext } = event;
    expect(requestContext).toMatchObject({
      accountId: '123456789012',
      httpMethod: 'POST',
      path: '/prod/groups/7',
      protocol: 'HTTP/1.1',
      resourcePath: '/groups/{groupId}',
      stage: 'prod',
      identity: { sourceIp: '203.0.113.10', userAgent: 'test-kit' },
    });
    expect(requestContext.domainName).toBe(`${requestContext.apiId}.execute-api.us-east-1.amazonaws.com`);
    expect(requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof requestContext.requestTimeEpoch).toBe('number');
    expect(requestContext.resourceId).toHaveLength(6);
  });

  it('keeps every value of a repeated header or parameter in the multi-value maps and the last one in the others', () => {
    const event = apiGatewayEvent({
      query: { tag: ['a', 'b'], page: '2' },
      headers: { Accept: ['text/html', 'application/json'] },
    });

    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b'], page: ['2'] });
    expect(event.queryStringParameters).toEqual({ tag: 'b', page: '2' });
    expect(event.multiValueHeaders.Accept).toEqual(['text/html', 'application/json']);
    expect(event.headers.Accept).toBe('application/json');
  });

  it('sends an object body as JSON and a string body as it is', () => {
    expect(apiGatewayEvent({ body: { name: 'cats' } }).body).toBe('{"name":"cats"}');
    expect(apiGatewayEvent({ body: 'plain' }).body).toBe('plain');
  });

  it("places the authorizer's principal and context in requestContext.authorizer", () => {
    const event = apiGatewayEvent({ authorizer: { principalId: 'user-1', scope: 'write' } });

    expect(event.requestContext.authorizer).toEqual({ principalId: 'user-1', scope: 'write' });
  });
});

describe('s3Event', () => {
  it('describes an upload with the bucket ARN, size, eTag and a URL-encoded key', () => {
    const event = s3Event({ bucket: 'images', key: 'uploads/red flower.jpg', size: 2048 });

    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'images', arn: 'arn:aws:s3:::images' },
        object: { key: 'uploads/red+flower.jpg', size: 2048 },
      },
    });
    expect(event.Records[0]?.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
  });

  it('leaves size and eTag out of delete events and makes one record per argument', () => {
    const event = s3Event(
      { bucket: 'b', key: 'a.jpg' },
      { bucket: 'b', key: 'c.jpg', eventName: 'ObjectRemoved:Delete' },
    );

    expect(event.Records.map((record) => record.eventName)).toEqual([
      'ObjectCreated:Put',
      'ObjectRemoved:Delete',
    ]);
    expect(event.Records[1]?.s3.object).not.toHaveProperty('size');
  });

  it('refuses an event with no records', () => {
    expect(() => s3Event()).toThrow(/at least one record/);
  });
});

describe('encodeS3EventKey', () => {
  it('encodes spaces as + and other reserved characters as percent escapes, keeping the slashes', () => {
    expect(encodeS3EventKey('a b/c+d=e.jpg')).toBe('a+b/c%2Bd%3De.jpg');
  });

  it('decodes back to the stored key the way handlers are taught to decode it', () => {
    const key = 'photos/2026 trip/über+café.png';

    const decoded = decodeURIComponent(encodeS3EventKey(key).replaceAll('+', ' '));

    expect(decoded).toBe(key);
  });
});

describe('snsEvent', () => {
  it('delivers exactly one notification record with the message as a string and typed attributes', () => {
    const event = snsEvent({
      message: { imageId: 'i-1' },
      subject: 'new image',
      attributes: { groupId: 'g', size: 3 },
    });

    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      Sns: {
        Type: 'Notification',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:test-topic',
        Subject: 'new image',
        Message: '{"imageId":"i-1"}',
        SignatureVersion: '1',
        MessageAttributes: { groupId: { Type: 'String', Value: 'g' }, size: { Type: 'Number', Value: '3' } },
      },
    });
    expect(
      event.Records[0]?.EventSubscriptionArn.startsWith('arn:aws:sns:us-east-1:123456789012:test-topic:'),
    ).toBe(true);
  });

  it('sends a null subject when the publisher gave none', () => {
    expect(snsEvent({ message: 'hi' }).Records[0]?.Sns.Subject).toBeNull();
  });
});

describe('dynamoDbStreamEvent', () => {
  const keys = { pk: 'group#1' };
  const item = { pk: 'group#1', name: 'cats', count: 2 };

  it('carries keys and images in DynamoDB JSON, with stream metadata', () => {
    const event = dynamoDbStreamEvent({
      tableName: 'groups',
      records: [{ eventName: 'MODIFY', keys, oldImage: { ...item, count: 1 }, newImage: item }],
    });

    const record = event.Records[0];
    expect(record).toMatchObject({
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: { S: 'group#1' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(record?.eventSourceARN).toMatch(
      /^arn:aws:dynamodb:us-east-1:123456789012:table\/groups\/stream\//,
    );
    expect(unmarshall(record?.dynamodb?.NewImage as Parameters<typeof unmarshall>[0])).toEqual(item);
    expect(record?.dynamodb?.SizeBytes).toBeGreaterThan(0);
  });

  it.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
    ['NEW_AND_OLD_IMAGES', true, true],
  ] as const)(
    'on a %s stream, a MODIFY record has new image %s and old image %s',
    (viewType, hasNew, hasOld) => {
      const event = dynamoDbStreamEvent({
        viewType,
        records: [{ eventName: 'MODIFY', keys, newImage: item, oldImage: item }],
      });

      expect('NewImage' in (event.Records[0]?.dynamodb ?? {})).toBe(hasNew);
      expect('OldImage' in (event.Records[0]?.dynamodb ?? {})).toBe(hasOld);
    },
  );

  it('gives an INSERT no old image and a REMOVE no new image', () => {
    const event = dynamoDbStreamEvent({
      records: [
        { eventName: 'INSERT', keys, newImage: item },
        { eventName: 'REMOVE', keys, oldImage: item },
      ],
    });

    expect(event.Records[0]?.dynamodb).not.toHaveProperty('OldImage');
    expect(event.Records[1]?.dynamodb).not.toHaveProperty('NewImage');
  });

  it('numbers records in increasing sequence order', () => {
    const event = dynamoDbStreamEvent({
      records: [
        { eventName: 'INSERT', keys, newImage: item },
        { eventName: 'INSERT', keys, newImage: item },
      ],
    });

    const [first, second] = event.Records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect(second! > first!).toBe(true);
  });

  it('refuses a record that lacks the image its view type carries', () => {
    expect(() => dynamoDbStreamEvent({ records: [{ eventName: 'INSERT', keys }] })).toThrow(
      'a INSERT record on a NEW_AND_OLD_IMAGES stream needs newImage',
    );
  });
});

describe('scheduledEvent', () => {
  it('is an EventBridge "Scheduled Event" naming its rule, with a time to the second', () => {
    const event = scheduledEvent({ ruleName: 'nightly', time: new Date('2026-03-01T12:00:00.123Z') });

    expect(event).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/nightly'],
      time: '2026-03-01T12:00:00Z',
      detail: {},
    });
  });
});
