import {
  apiGatewayEvent,
  createContext,
  dynamoDbStreamEvent,
  invokeHandler,
  s3Event,
  scheduledEvent,
  snsEvent,
} from '@serverless-course/test-kit';
import { classifyEvent } from '../../src/events/classify-event';
import { handler } from '../../src/handlers/classify-event';

describe('classifyEvent', () => {
  it('recognises an API Gateway request and summarises it as method and path', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/hello', query: { name: 'Ada' } });

    const result = classifyEvent(event);

    expect(result).toEqual({ source: 'api-gateway', summary: 'GET /hello', method: 'GET', path: '/hello' });
  });

  it('recognises an S3 upload and reports the bucket, the decoded key and the event name', () => {
    const event = s3Event({
      bucket: 'photos',
      key: 'holiday/red flower.jpg',
      eventName: 'ObjectCreated:Put',
    });
    expect(event.Records[0]?.s3.object.key).toBe('holiday/red+flower.jpg');

    const result = classifyEvent(event);

    expect(result).toMatchObject({
      source: 's3',
      objects: [{ bucket: 'photos', key: 'holiday/red flower.jpg', eventName: 'ObjectCreated:Put' }],
    });
    expect(result.summary).toContain('photos');
    expect(result.summary).toContain('holiday/red flower.jpg');
    expect(result.summary).toContain('ObjectCreated:Put');
  });

  it("decodes S3 keys fully: '+' is a space, %2B a real plus, and other characters percent-encoded", () => {
    const event = s3Event(
      { bucket: 'photos', key: 'a+b = c.jpg' },
      { bucket: 'photos', key: 'café/naïve.png', eventName: 'ObjectRemoved:Delete' },
    );

    const result = classifyEvent(event);

    expect(result).toMatchObject({
      source: 's3',
      objects: [
        { bucket: 'photos', key: 'a+b = c.jpg', eventName: 'ObjectCreated:Put' },
        { bucket: 'photos', key: 'café/naïve.png', eventName: 'ObjectRemoved:Delete' },
      ],
    });
  });

  it('recognises an SNS notification and reports the topic name and subject', () => {
    const event = snsEvent({
      topicArn: 'arn:aws:sns:us-east-1:123456789012:image-uploaded',
      subject: 'New image',
      message: { imageId: 'img-1' },
    });

    const result = classifyEvent(event);

    expect(result).toMatchObject({ source: 'sns', topic: 'image-uploaded', subject: 'New image' });
    expect(result.summary).toContain('image-uploaded');
    expect(result.summary).toContain('New image');
  });

  it('reports a null subject when the SNS publisher gave none', () => {
    const event = snsEvent({ topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', message: 'disk full' });

    const result = classifyEvent(event);

    expect(result).toMatchObject({ source: 'sns', topic: 'alerts', subject: null });
  });

  it('recognises an EventBridge schedule and reports the rule name and time', () => {
    const event = scheduledEvent({ ruleName: 'nightly-cleanup', time: new Date('2026-01-01T03:00:00Z') });

    const result = classifyEvent(event);

    expect(result).toMatchObject({
      source: 'schedule',
      rule: 'nightly-cleanup',
      time: '2026-01-01T03:00:00Z',
    });
    expect(result.summary).toContain('nightly-cleanup');
    expect(result.summary).toContain('2026-01-01T03:00:00Z');
  });

  it('recognises a DynamoDB stream batch and counts its changes by type', () => {
    const event = dynamoDbStreamEvent({
      tableName: 'images',
      viewType: 'KEYS_ONLY',
      records: [
        { eventName: 'INSERT', keys: { imageId: 'a' } },
        { eventName: 'INSERT', keys: { imageId: 'b' } },
        { eventName: 'MODIFY', keys: { imageId: 'a' } },
      ],
    });

    const result = classifyEvent(event);

    expect(result).toMatchObject({
      source: 'dynamodb',
      table: 'images',
      counts: { INSERT: 2, MODIFY: 1, REMOVE: 0 },
    });
    expect(result.summary).toContain('images');
  });

  it.each([
    ['an empty object', {}],
    ['a processBatch payload', { items: ['a', 'b'] }],
    ['an SQS message batch', { Records: [{ eventSource: 'aws:sqs', body: 'hello' }] }],
    ['an empty Records list', { Records: [] }],
    ['Records that are not a list', { Records: 'none' }],
    ['Records holding nulls', { Records: [null] }],
  ])('calls %s unknown, with a summary, rather than throwing', (_case, event) => {
    const result = classifyEvent(event);

    expect(result.source).toBe('unknown');
    expect(result.summary.length).toBeGreaterThan(0);
  });

  it.each([
    ['an S3 record with no s3 section', { Records: [{ eventSource: 'aws:s3' }] }],
    ['an SNS record with no Sns section', { Records: [{ EventSource: 'aws:sns' }] }],
    ['a stream record with no ARN', { Records: [{ eventSource: 'aws:dynamodb', eventName: 'INSERT' }] }],
    ['a request with a null requestContext', { httpMethod: 'GET', path: '/', requestContext: null }],
  ])('does not throw for %s', (_case, event) => {
    expect(() => classifyEvent(event)).not.toThrow();
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'GET /hello'],
    ['a number', 42],
    ['an array', [{ eventSource: 'aws:s3' }]],
  ])('throws a TypeError that asks for an object when given %s', (_case, input) => {
    expect(() => classifyEvent(input)).toThrow(TypeError);
    expect(() => classifyEvent(input)).toThrow(/object/);
  });
});

describe('the classifyEvent handler', () => {
  it('returns and logs the summary of the event it is invoked with', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const event = scheduledEvent({ ruleName: 'hourly-report' });

    const result = await invokeHandler(handler, event, createContext({ functionName: 'classifyEvent' }));

    expect(result).toEqual(classifyEvent(event));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('hourly-report'));
  });

  it('fails the invocation when the payload is not an object', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);

    await expect(invokeHandler(handler, 'not an event', createContext())).rejects.toThrow(TypeError);
  });
});
