// The whole platform at once, on a service shaped like the course's finished app: its serverless.yml
// resolved by the framework, every service and event source running, handlers in real Lambda sandboxes using
// the real AWS SDK clients created at module scope without endpoints. Events must arrive in AWS's shape,
// writes must be visible through the SDK, and stop() must leave no process or port behind.
import { createHmac } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from '@serverless-course/test-kit';
import type { DynamoDBStreamEvent, S3Event, ScheduledEvent, SNSEvent } from 'aws-lambda';
import WebSocket from 'ws';
import { runFireCommand } from '../../src/cli-commands';
import { resolveService } from '../../src/config/load-service';
import { composeLocalCloud, type ComposedCloud } from './support/compose';
import { FunctionEvents } from './support/function-events';
import { SHARED_DYNAMODB_LOCAL_ENV } from '../../src/services/dynamodb/shared-dynamodb-local';

// This file proves local-cloud leaves no Java behind, so it starts its own rather than borrowing the one
// `npm test` shares (Jest gives each test file its own copy of process.env).
delete process.env[SHARED_DYNAMODB_LOCAL_ENV];

const FIXTURE = path.resolve(__dirname, '../fixtures/platform/udagram-like');
const IMAGES_TABLE = 'udagram-like-images-dev';
const CONNECTIONS_TABLE = 'udagram-like-connections-dev';
const IMAGES_BUCKET = 'udagram-like-images-dev';
const THUMBNAILS_BUCKET = 'udagram-like-thumbnails-dev';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:udagram-like-images-dev';

let cloud: ComposedCloud;
const events = new FunctionEvents();
const platformLog: string[] = [];
let startupMs: number;
let javaPid: number;
const sandboxPids = new Set<number>();

function sdkConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: cloud.credentials, maxAttempts: 1 };
}

/** Messages a WebSocket client receives, awaited one by one. */
class Client {
  readonly messages: string[] = [];
  private waiting: { matches(text: string): boolean; resolve(text: string): void }[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      this.messages.push(text);
      this.waiting = this.waiting.filter((waiter) => {
        if (!waiter.matches(text)) return true;
        waiter.resolve(text);
        return false;
      });
    });
  }

  static open(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new Client(socket)));
      socket.once('error', reject);
    });
  }

  next(matches: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const already = this.messages.find(matches);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        matches,
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
      });
    });
  }
}

beforeAll(async () => {
  const { service } = await resolveService(FIXTURE);
  cloud = await composeLocalCloud({
    service,
    inMemory: true,
    asyncRetryDelaysMs: [100, 200],
    onLog: events.onLog,
    log: (line) => platformLog.push(line),
  });
  startupMs = cloud.platform.startupMs;
  javaPid = cloud.platform.services.dynamoDb!.javaPid!;
  cloud.lambda.onSandboxEvent((event) => {
    if (event.type === 'started' && event.pid !== undefined) sandboxPids.add(event.pid);
  });
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
});

describe('a Udagram-like service on the local platform', () => {
  let client: Client;
  let connectionId: string;

  it('gives functions every AWS API through AWS_ENDPOINT_URL and resolves their CloudFormation references', async () => {
    const { platform } = cloud;
    const environment = platform.service.functions.createImage!.environment;
    const secret = await new SecretsManagerClient(sdkConfig(platform.services.secrets.url)).send(
      new GetSecretValueCommand({ SecretId: 'udagram-like/dev/signing-key' }),
    );

    expect(platform.environment).toEqual({
      AWS_ENDPOINT_URL: platform.edge.url,
      LOCAL_CLOUD_IDENTITY_ISSUER: platform.services.identity.issuer,
      LOCAL_CLOUD_IDENTITY_JWKS_URI: platform.services.identity.jwksUri,
      AWS_XRAY_DAEMON_ADDRESS: platform.services.xray.address,
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      OTEL_EXPORTER_OTLP_ENDPOINT: platform.services.otlp.endpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: platform.services.otlp.tracesEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      NODE_EXTRA_CA_CERTS: platform.services.webSocket!.caCertificateFile,
    });
    expect(environment).toMatchObject({
      IMAGES_TABLE,
      CONNECTIONS_TABLE,
      THUMBNAILS_BUCKET,
      IMAGES_TOPIC_ARN: TOPIC_ARN,
      SIGNING_SECRET_ARN: secret.ARN,
      WEBSOCKET_ENDPOINT: `https://${platform.services.webSocket!.domainName}/dev`,
    });
    expect(environment.IMAGES_STREAM_ARN).toMatch(
      /^arn:aws:dynamodb:us-east-1:123456789012:table\/udagram-like-images-dev\/stream\/\S+$/,
    );
    expect(platform.warnings).toEqual([]);
  });

  it('runs $connect when a WebSocket client connects, and its write is visible through the SDK', async () => {
    client = await Client.open(cloud.platform.services.webSocket!.url);
    connectionId = await connectionIdOf(client);
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient(sdkConfig(cloud.platform.services.dynamoDb!.url)),
    );

    const stored = await documents.send(
      new GetCommand({ TableName: CONNECTIONS_TABLE, Key: { connectionId } }),
    );

    expect(stored.Item).toEqual({ connectionId, connectedAt: expect.any(Number) as unknown });
  });

  it('creates an image: the item is queryable by its GSI and the stream handler gets the INSERT record', async () => {
    const response = await fetch(`${cloud.apiUrl}/groups/g1/images`, {
      method: 'POST',
      body: JSON.stringify({ title: 'red flower' }),
    });
    const created = (await response.json()) as { imageId: string; signature: string; key: string };
    const imageId = created.imageId;
    const secret = await new SecretsManagerClient(sdkConfig(cloud.platform.services.secrets.url)).send(
      new GetSecretValueCommand({ SecretId: 'udagram-like/dev/signing-key' }),
    );
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient(sdkConfig(cloud.platform.services.dynamoDb!.url)),
    );
    const byId = await documents.send(
      new QueryCommand({
        TableName: IMAGES_TABLE,
        IndexName: 'image-id-index',
        KeyConditionExpression: 'imageId = :id',
        ExpressionAttributeValues: { ':id': imageId },
      }),
    );
    const { event } = await events.waitFor<DynamoDBStreamEvent>('onImageChange', (e) =>
      e.Records.some((r) => r.eventName === 'INSERT'),
    );

    expect(response.status).toBe(201);
    expect(created.signature).toBe(createHmac('sha256', secret.SecretString!).update(imageId).digest('hex'));
    expect(byId.Items).toEqual([
      expect.objectContaining({ groupId: 'g1', title: 'red flower', imageId }) as unknown,
    ]);
    expect(event.Records[0]).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: cloud.platform.service.functions.onImageChange!.environment.IMAGES_STREAM_ARN,
      dynamodb: {
        Keys: { groupId: { S: 'g1' }, timestamp: expect.any(Object) as unknown },
        NewImage: expect.objectContaining({ imageId: { S: imageId }, title: { S: 'red flower' } }) as unknown,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(event.Records[0]!.dynamodb!.OldImage).toBeUndefined();
  });

  it('a presigned upload triggers the S3 handler, SNS fan-out to both subscribers, the MODIFY record and a WebSocket notification', async () => {
    const s3 = new S3Client(sdkConfig(cloud.platform.services.s3.url));
    // Objects the s3 event's rules exclude (wrong suffix, wrong prefix), written first.
    await s3.send(new PutObjectCommand({ Bucket: IMAGES_BUCKET, Key: 'uploads/notes.txt', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: IMAGES_BUCKET, Key: 'elsewhere/a.jpg', Body: 'x' }));
    const response = await fetch(`${cloud.apiUrl}/groups/g1/images`, {
      method: 'POST',
      body: JSON.stringify({ title: 'red flower' }),
    });
    const { uploadUrl, imageId: uploadedId } = (await response.json()) as {
      uploadUrl: string;
      imageId: string;
    };
    const image = Buffer.from('\xff\xd8\xff\xe0 a jpeg, as far as this test cares', 'latin1');

    const upload = await fetch(uploadUrl, { method: 'PUT', body: image });
    const uploaded = await events.waitFor<S3Event>('onImageUpload', (e) =>
      e.Records[0]!.s3.object.key.includes(uploadedId),
    );
    const aboutUpload = (e: SNSEvent) => e.Records[0]!.Sns.Message.includes(uploadedId);
    const [marked, notified, message, modify] = await Promise.all([
      events.waitFor('markUploaded', aboutUpload),
      events.waitFor('notifyConnections', aboutUpload),
      client.next((text) => text.includes(uploadedId)),
      events.waitFor<DynamoDBStreamEvent>('onImageChange', (e) =>
        e.Records.some((r) => r.eventName === 'MODIFY' && r.dynamodb?.NewImage?.imageId?.S === uploadedId),
      ),
    ]);
    const thumbnail = await s3.send(
      new HeadObjectCommand({ Bucket: THUMBNAILS_BUCKET, Key: `thumbnails/${uploadedId}.jpg` }),
    );

    expect(upload.status).toBe(200);
    expect(uploaded.event.Records).toHaveLength(1);
    expect(uploaded.event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: IMAGES_BUCKET, arn: `arn:aws:s3:::${IMAGES_BUCKET}` },
        object: { key: `uploads/red+flower+${uploadedId}.jpg`, size: image.length },
      },
    });
    for (const delivery of [marked, notified]) {
      expect(delivery.event.Records).toHaveLength(1);
      expect(delivery.event.Records[0]).toMatchObject({
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: expect.stringMatching(new RegExp(`^${TOPIC_ARN}:[0-9a-f-]{36}$`)) as unknown,
        Sns: {
          Type: 'Notification',
          TopicArn: TOPIC_ARN,
          Subject: 'Image uploaded',
          SignatureVersion: '1',
          MessageAttributes: {},
        },
      });
      expect(JSON.parse(delivery.event.Records[0]!.Sns.Message)).toEqual({
        imageId: uploadedId,
        key: `uploads/red flower ${uploadedId}.jpg`,
        size: image.length,
      });
    }
    expect(notified.event.Records[0]!.EventSubscriptionArn).not.toBe(
      marked.event.Records[0]!.EventSubscriptionArn,
    );
    expect(JSON.parse(message)).toMatchObject({ imageId: uploadedId });
    const modifyRecord = modify.event.Records.find((r) => r.eventName === 'MODIFY');
    expect(modifyRecord!.dynamodb!.OldImage!.uploaded).toBeUndefined();
    expect(modifyRecord!.dynamodb!.NewImage!.uploaded).toEqual({ BOOL: true });
    expect(thumbnail.ContentType).toBe('image/jpeg');
    const uploadedKeys = events.of<S3Event>('onImageUpload').map((e) => e.event.Records[0]!.s3.object.key);
    expect(uploadedKeys).not.toContain('uploads/notes.txt');
    expect(uploadedKeys).not.toContain('elsewhere/a.jpg');
  });

  it('answers a $default message through the management API at the callback URL built from the event', async () => {
    client.socket.send('hello there');

    const reply = JSON.parse(await client.next((text) => text.includes('hello there'))) as Record<
      string,
      string
    >;

    expect(reply).toEqual({ echo: 'hello there', connectionId });
  });

  it('fires the schedule now, with the scheduled-event shape, from the platform and from `local-cloud fire`', async () => {
    const [firing] = await cloud.platform.fireSchedule('cleanup');
    const fromPlatform = await events.waitFor<ScheduledEvent>('cleanup');
    const output: string[] = [];
    const exitCode = await runFireCommand(['cleanup', FIXTURE], {
      out: (line) => output.push(line),
      err: (line) => output.push(line),
    });
    const fromCommand = await events.waitFor<ScheduledEvent>(
      'cleanup',
      (e) => e.id !== fromPlatform.event.id,
    );

    expect(firing!.functionKey).toBe('cleanup');
    const rule = 'arn:aws:events:us-east-1:123456789012:rule/udagram-like-dev-CleanupEventsRuleSchedule1';
    for (const { event } of [fromPlatform, fromCommand]) {
      expect(event).toEqual({
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '123456789012',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
        region: 'us-east-1',
        resources: [rule],
        detail: {},
      });
    }
    expect(exitCode).toBe(0);
    expect(output.join('\n')).toMatch(/^Fired udagram-like-dev-CleanupEventsRuleSchedule1 \(rate\(1 day\)\)/);
  });

  it('started every service in seconds, and stop() leaves no Java process, sandbox or port behind', async () => {
    const urls = Object.values(cloud.platform.endpointsFile.endpoints).map((url) => new URL(url));
    client.socket.terminate();

    await cloud.stop();

    expect(startupMs).toBeLessThan(30_000);
    expect(sandboxPids.size).toBeGreaterThan(5);
    // A process's end is observable only by polling its id.
    await eventually(() => expect([javaPid, ...sandboxPids].filter(isRunning)).toEqual([]), {
      timeoutMs: 10_000,
      description: 'Java and every sandbox to exit',
    });
    for (const url of urls) expect(await refuses(Number(url.port))).toBe(true);
    expect(platformLog.filter((line) => /error|failed/i.test(line))).toEqual([]);
  });
});

/** A connection's id, as the $default handler (which answers through the management API) reports it. */
async function connectionIdOf(client: Client): Promise<string> {
  client.socket.send('whoami');
  const reply = JSON.parse(await client.next((text) => text.includes('whoami'))) as { connectionId: string };
  return reply.connectionId;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
