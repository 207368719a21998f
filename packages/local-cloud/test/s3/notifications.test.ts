import { randomUUID } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ServiceConfigError } from '../../src/config/service-config-error';
import type { AsyncInvoker } from '../../src/event-sources/async-invoker';
import type { S3EventRecord } from '../../src/event-sources/s3-notifications/s3-event-record';
import { createS3Notifier, type S3Notifier } from '../../src/event-sources/s3-notifications/s3-notifier';
import { AsyncInvocationQueue, type AsyncOutcome } from '../../src/invoke-api/async-queue';
import type { ServiceDefinition } from '../../src/config/service-definition';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { CREDENTIALS, serviceDefinition, startS3, type S3Harness } from './s3-harness';

/** An AsyncInvoker that records what it is given. */
class RecordingInvoker implements AsyncInvoker {
  readonly calls: { functionName: string; event: { Records: S3EventRecord[] }; requestId: string }[] = [];
  private waiters: (() => void)[] = [];

  invokeAsync(functionName: string, payload: string): string {
    const requestId = randomUUID();
    this.calls.push({ functionName, event: JSON.parse(payload) as { Records: S3EventRecord[] }, requestId });
    this.waiters.splice(0).forEach((wake) => wake());
    return requestId;
  }

  /** Resolves once `count` events have arrived in all. */
  async received(count: number): Promise<this['calls']> {
    while (this.calls.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.calls;
  }

  forFunction(key: string): this['calls'] {
    return this.calls.filter((call) => call.functionName === key);
  }
}

interface Started {
  harness: S3Harness;
  invoker: RecordingInvoker;
  notifier: S3Notifier;
  published: { topicArn: string; message: string; subject?: string }[];
}

const running: S3Harness[] = [];

async function start(service: ServiceDefinition): Promise<Started> {
  const invoker = new RecordingInvoker();
  const published: Started['published'] = [];
  const notifier = createS3Notifier({
    service,
    asyncInvoker: invoker,
    publishToTopic: (topicArn, message, subject) => published.push({ topicArn, message, subject }),
  });
  const harness = await startS3({ service, onObjectEvent: notifier.onObjectEvent });
  running.push(harness);
  return { harness, invoker, notifier, published };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((harness) => harness.stop()));
});

const PHOTOS = serviceDefinition({
  service: 'photos',
  functions: {
    resize: [
      {
        s3: {
          bucket: 'notify-test-photos',
          event: 's3:ObjectCreated:*',
          rules: [{ prefix: 'uploads/' }, { suffix: '.jpg' }],
        },
      },
    ],
    cleanup: [{ s3: { bucket: 'notify-test-photos', event: 's3:ObjectRemoved:*', existing: true } }],
    audit: [{ s3: 'notify-test-audit' }],
  },
});

describe('S3 notifications to functions (s3 events)', () => {
  it('deliver one AWS-shaped record for a PUT under the prefix with the suffix, the key URL-encoded', async () => {
    const { harness, invoker } = await start(PHOTOS);

    const put = await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-photos', Key: 'uploads/red flower.jpg', Body: 'jpeg!' }),
    );
    const [call] = await invoker.received(1);

    expect(call?.functionName).toBe('resize');
    expect(call?.event.Records).toHaveLength(1);
    expect(call?.event.Records[0]).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: `AWS:${CREDENTIALS.accessKeyId}` },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/) as unknown,
        'x-amz-id-2': expect.any(String) as unknown,
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: expect.any(String) as unknown,
        bucket: {
          name: 'notify-test-photos',
          ownerIdentity: { principalId: expect.stringMatching(/^A[0-9A-Z]+$/) as unknown },
          arn: 'arn:aws:s3:::notify-test-photos',
        },
        object: {
          key: 'uploads/red+flower.jpg',
          size: 5,
          eTag: put.ETag?.replace(/"/g, ''),
          sequencer: expect.stringMatching(/^[0-9A-F]+$/) as unknown,
        },
      },
    });
    expect(call?.event.Records[0]?.responseElements['x-amz-request-id']).toBe(put.$metadata.requestId);
  });

  it('ignore keys outside the prefix or without the suffix', async () => {
    const { harness, invoker } = await start(PHOTOS);

    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-photos', Key: 'other/cat.jpg', Body: 'x' }),
    );
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-photos', Key: 'uploads/cat.png', Body: 'x' }),
    );
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-photos', Key: 'uploads/cat.jpg', Body: 'x' }),
    );
    await invoker.received(1);

    expect(invoker.calls.map((call) => call.event.Records[0]?.s3.object.key)).toEqual(['uploads/cat.jpg']);
  });

  it('encode keys as S3 does: spaces as +, reserved characters percent-encoded, slashes kept', async () => {
    const { harness, invoker } = await start(PHOTOS);

    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-audit', Key: 'a b/c+d (1)=é.txt', Body: 'x' }),
    );
    const [call] = await invoker.received(1);

    expect(call?.event.Records[0]?.s3.object.key).toBe('a+b/c%2Bd+%281%29%3D%C3%A9.txt');
  });

  it('deliver ObjectRemoved:Delete, without size and ETag, for DeleteObject and DeleteObjects', async () => {
    const { harness, invoker } = await start(PHOTOS);
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-photos', Key: 'old.txt', Body: 'x' }),
    );
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-photos', Key: 'older.txt', Body: 'x' }),
    );

    await harness.client.send(new DeleteObjectCommand({ Bucket: 'notify-test-photos', Key: 'old.txt' }));
    await harness.client.send(
      new DeleteObjectsCommand({ Bucket: 'notify-test-photos', Delete: { Objects: [{ Key: 'older.txt' }] } }),
    );
    await invoker.received(2);

    const removals = invoker.forFunction('cleanup').map((call) => call.event.Records[0]);
    expect(removals.map((record) => record?.eventName)).toEqual([
      'ObjectRemoved:Delete',
      'ObjectRemoved:Delete',
    ]);
    expect(removals.map((record) => record?.s3.object)).toEqual([
      { key: 'old.txt', sequencer: expect.any(String) as unknown },
      { key: 'older.txt', sequencer: expect.any(String) as unknown },
    ]);
  });

  it('deliver ObjectCreated:Copy for CopyObject', async () => {
    const { harness, invoker } = await start(PHOTOS);
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-photos', Key: 'original.jpg', Body: 'x' }),
    );

    await harness.client.send(
      new CopyObjectCommand({
        Bucket: 'notify-test-photos',
        Key: 'uploads/copy.jpg',
        CopySource: 'notify-test-photos/original.jpg',
      }),
    );
    const [call] = await invoker.received(1);

    expect(call?.functionName).toBe('resize');
    expect(call?.event.Records[0]?.eventName).toBe('ObjectCreated:Copy');
  });

  it('fire for a presigned PUT made by a browser-style fetch', async () => {
    const { harness, invoker } = await start(PHOTOS);
    const url = await getSignedUrl(
      harness.client,
      new PutObjectCommand({
        Bucket: 'notify-test-photos',
        Key: 'uploads/from-browser.jpg',
        ContentType: 'image/jpeg',
      }),
      { expiresIn: 60 },
    );

    const response = await fetch(url, {
      method: 'PUT',
      body: 'pixels',
      headers: { 'content-type': 'image/jpeg' },
    });
    const [call] = await invoker.received(1);

    expect(response.status).toBe(200);
    expect(call?.event.Records[0]?.s3.object).toMatchObject({ key: 'uploads/from-browser.jpg', size: 6 });
  });

  it('give successive events on a key increasing sequencers', async () => {
    const { harness, invoker } = await start(PHOTOS);

    for (let i = 0; i < 3; i++) {
      await harness.client.send(
        new PutObjectCommand({ Bucket: 'notify-test-audit', Key: 'same.txt', Body: `v${i}` }),
      );
    }
    const calls = await invoker.received(3);
    const sequencers = calls.map((call) => call.event.Records[0]?.s3.object.sequencer ?? '');

    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(3);
  });

  it('with existing: true attach to the bucket once it exists, without creating it', async () => {
    const service = serviceDefinition({
      functions: { watch: [{ s3: { bucket: 'notify-test-existing', existing: true } }] },
    });
    const { harness, invoker, notifier } = await start(service);

    await harness.client.send(new CreateBucketCommand({ Bucket: 'notify-test-existing' }));
    await harness.client.send(new PutObjectCommand({ Bucket: 'notify-test-existing', Key: 'k', Body: 'v' }));
    const [call] = await invoker.received(1);

    expect(harness.s3.buckets.map((bucket) => bucket.name)).not.toContain('notify-test-existing');
    expect(notifier.warnings).toEqual([
      'functions.watch.events[0].s3: bucket "notify-test-existing" has existing: true, so the deployment does not create it; create it (CreateBucket) before uploading, as on AWS.',
    ]);
    expect(call?.functionName).toBe('watch');
  });

  it('are retried by Lambda’s async queue when the handler fails, with the same event', async () => {
    const service = serviceDefinition({ functions: { flaky: [{ s3: 'notify-test-flaky' }] } });
    const received: unknown[] = [];
    const lambda = new FakeLambdaService({
      flaky: {
        handler: (event) => {
          received.push(event);
          return received.length === 1 ? Promise.reject(new Error('first attempt fails')) : Promise.resolve();
        },
      },
    });
    const outcomes: AsyncOutcome[] = [];
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const queue = new AsyncInvocationQueue({
      lambda,
      retryDelaysMs: [1, 2],
      throttleRetryDelayMs: 1,
      now: Date.now,
      onOutcome: (outcome) => {
        outcomes.push(outcome);
        finished();
      },
    });
    const invoker: AsyncInvoker = {
      invokeAsync: (functionName, payload) => {
        const requestId = randomUUID();
        queue.enqueue({ requestId, fn: lambda.findFunction(functionName)!, payload });
        return requestId;
      },
    };
    const notifier = createS3Notifier({ service, asyncInvoker: invoker });
    const harness = await startS3({ service, onObjectEvent: notifier.onObjectEvent });
    running.push(harness);

    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-flaky', Key: 'retry-me.txt', Body: 'x' }),
    );
    await done;
    queue.stop();

    expect(received).toHaveLength(2);
    expect(received[1]).toEqual(received[0]);
    expect(outcomes).toMatchObject([{ condition: 'Success', attempts: 2, functionKey: 'flaky' }]);
  });
});

describe('S3 notifications from CloudFormation NotificationConfiguration', () => {
  const service = serviceDefinition({
    service: 'images',
    functions: { thumbnail: [], other: [] },
    resources: {
      ImagesBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketName: 'notify-test-cfn',
          NotificationConfiguration: {
            LambdaConfigurations: [
              {
                Event: 's3:ObjectCreated:Put',
                Function: { 'Fn::GetAtt': ['ThumbnailLambdaFunction', 'Arn'] },
                Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'images/' }] } },
              },
              {
                Event: 's3:ObjectCreated:*',
                Function: 'arn:aws:lambda:us-east-1:123456789012:function:images-dev-other',
                Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'docs/' }] } },
              },
            ],
            TopicConfigurations: [
              {
                Event: 's3:ObjectRemoved:*',
                Topic: { Ref: 'ImageEventsTopic' },
              },
            ],
          },
        },
      },
      ImageEventsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'image-events' } },
    },
  });

  it('LambdaConfigurations reach the function named by Fn::GetAtt or by ARN, with their filters', async () => {
    const { harness, invoker } = await start(service);

    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-cfn', Key: 'images/a.png', Body: 'x' }),
    );
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-cfn', Key: 'docs/b.pdf', Body: 'x' }),
    );
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-cfn', Key: 'elsewhere/c', Body: 'x' }),
    );
    await invoker.received(2);

    expect(invoker.calls.map((call) => [call.functionName, call.event.Records[0]?.s3.object.key])).toEqual([
      ['thumbnail', 'images/a.png'],
      ['other', 'docs/b.pdf'],
    ]);
  });

  it('TopicConfigurations publish the event to the SNS topic with subject "Amazon S3 Notification"', async () => {
    const { harness, published } = await start(service);
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'notify-test-cfn', Key: 'images/a.png', Body: 'x' }),
    );

    await harness.client.send(new DeleteObjectCommand({ Bucket: 'notify-test-cfn', Key: 'images/a.png' }));

    expect(published).toHaveLength(1);
    expect(published[0]?.topicArn).toBe('arn:aws:sns:us-east-1:123456789012:image-events');
    expect(published[0]?.subject).toBe('Amazon S3 Notification');
    const message = JSON.parse(published[0]?.message ?? '{}') as { Records: S3EventRecord[] };
    expect(message.Records[0]).toMatchObject({
      eventName: 'ObjectRemoved:Delete',
      s3: { object: { key: 'images/a.png' } },
    });
  });

  it('that overlap (same event type, overlapping filters) are refused as S3 refuses them', () => {
    const overlapping = serviceDefinition({
      functions: {
        one: [{ s3: { bucket: 'notify-test-overlap', rules: [{ prefix: 'uploads/' }] } }],
        two: [
          {
            s3: {
              bucket: 'notify-test-overlap',
              event: 's3:ObjectCreated:Put',
              rules: [{ prefix: 'uploads/images/' }],
            },
          },
        ],
      },
    });

    expect(() => createS3Notifier({ service: overlapping, asyncInvoker: new RecordingInvoker() })).toThrow(
      ServiceConfigError,
    );
    expect(() => createS3Notifier({ service: overlapping, asyncInvoker: new RecordingInvoker() })).toThrow(
      /functions\.one\.events\[0\]\.s3 and functions\.two\.events\[0\]\.s3 both want .* overlapping keys/,
    );
  });

  it('that name no function of the service stop the start with the field and the fix', () => {
    const broken = serviceDefinition({
      resources: {
        B: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'notify-test-broken',
            NotificationConfiguration: {
              LambdaConfigurations: [
                { Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': ['MissingLambdaFunction', 'Arn'] } },
              ],
            },
          },
        },
      },
    });

    expect(() => createS3Notifier({ service: broken, asyncInvoker: new RecordingInvoker() })).toThrow(
      /LambdaConfigurations\[0\]\.Function .* names no function of this service\. Fix: /,
    );
  });
});
