// The public start() on a service that uses every service local-cloud has (DynamoDB with a stream, S3 with
// notifications, SNS fan-out, secrets, a schedule, a WebSocket API): a presigned upload runs the chain of
// handlers through the real SDK clients they create with no endpoint configuration, and stop() leaves nothing.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { eventually } from '@serverless-course/test-kit';
import { start, type LocalCloud } from '../../src';
import { SHARED_DYNAMODB_LOCAL_ENV } from '../../src/services/dynamodb/shared-dynamodb-local';

// This file proves local-cloud leaves no Java behind, so it starts its own rather than borrowing the one
// `npm test` shares (Jest gives each test file its own copy of process.env).
delete process.env[SHARED_DYNAMODB_LOCAL_ENV];

const SERVICE_PATH = path.join(__dirname, '..', 'fixtures', 'platform', 'udagram-like');
const THUMBNAILS_BUCKET = 'udagram-like-thumbnails-dev';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await start({ servicePath: SERVICE_PATH, inMemory: true, asyncRetryDelaysMs: [50, 100] });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

describe('start() with every service', () => {
  it('starts DynamoDB, S3, SNS, secrets and the WebSocket API, all AWS APIs on the Lambda endpoint, given to functions as AWS_ENDPOINT_URL', () => {
    const { services } = cloud.platform;

    expect(cloud.lambdaEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const url of [services.dynamoDb?.url, services.s3.url, services.sns.url, services.secrets.url]) {
      expect(url).toBe(cloud.lambdaEndpoint);
    }
    expect(cloud.platform.edge.apis().sort()).toEqual(
      [
        'dynamodb',
        'dynamodbstreams',
        'events',
        'kinesis',
        'lambda',
        's3',
        'secretsmanager',
        'sns',
        'sqs',
        'ssm',
        'states',
      ].sort(),
    );
    expect(services.webSocket?.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/dev$/);
    expect(cloud.platform.environment).toMatchObject({ AWS_ENDPOINT_URL: cloud.lambdaEndpoint });
  });

  it('runs a presigned upload through the S3 trigger to the thumbnail the handler writes', async () => {
    const s3 = new S3Client({
      endpoint: cloud.platform.services.s3.url,
      region: cloud.region,
      credentials: cloud.credentials,
    });
    const created = await fetch(`${cloud.apiUrl}/groups/g1/images`, {
      method: 'POST',
      body: JSON.stringify({ title: 'red flower' }),
    });
    const { uploadUrl, imageId } = (await created.json()) as { uploadUrl: string; imageId: string };

    const upload = await fetch(uploadUrl, {
      method: 'PUT',
      body: Buffer.from('a jpeg, as far as this test cares'),
    });
    // The thumbnail appears only after several asynchronous hops, so this polls, within a deadline.
    const key = `thumbnails/${imageId}.jpg`;
    await eventually(() => s3.send(new HeadObjectCommand({ Bucket: THUMBNAILS_BUCKET, Key: key })), {
      timeoutMs: 20_000,
      intervalMs: 50,
      description: `the thumbnail ${key}`,
    });

    expect(created.status).toBe(201);
    expect(upload.status).toBe(200);
    s3.destroy();
  }, 30_000);

  it('leaves no DynamoDB Local process behind after stop()', async () => {
    const javaPid = cloud.platform.services.dynamoDb!.javaPid;

    await cloud.stop();

    expect(() => execFileSync('kill', ['-0', String(javaPid)], { stdio: 'ignore' })).toThrow();
  });
});
