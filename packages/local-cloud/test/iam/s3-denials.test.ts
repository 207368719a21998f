// S3 checks a function's calls against its role as AWS does: a role with s3:GetObject and s3:PutObject on
// `bucket/*` reads and writes objects but may not list the bucket (s3:ListBucket is on the bucket's ARN) or
// delete; S3 answers 403 AccessDenied with the resource in quotes; a presigned URL the function makes carries
// its role, so it works only for what the role allows; DeleteObjects is checked key by key.
import path from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { start, type LocalCloud } from '../../src';
import { serviceDefinition } from '../support/function-definition';

const BUCKET = 'iam-s3-photos';
const SESSION = 'arn:aws:sts::123456789012:assumed-role/iam-s3-dev-us-east-1-lambdaRole/iam-s3-dev-worker';

let cloud: LocalCloud;
let asWorker: S3Client;
let asAdmin: S3Client;

beforeAll(async () => {
  cloud = await start({
    inMemory: true,
    service: serviceDefinition({
      service: 'iam-s3',
      servicePath: path.resolve(__dirname, '../fixtures/iam'),
      provider: {
        iamRole: {
          statements: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:PutObject'],
              Resource: `arn:aws:s3:::${BUCKET}/*`,
            },
            { Effect: 'Deny', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/locked/*` },
          ],
        },
      },
      functions: { worker: { handler: 'src/images.getImage' } },
      resources: { Photos: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } } },
    }),
  });
  const config = { endpoint: cloud.lambdaEndpoint, region: 'us-east-1', forcePathStyle: true };
  asWorker = new S3Client({ ...config, credentials: cloud.credentialsOf('worker') });
  asAdmin = new S3Client({ ...config, credentials: cloud.credentials });
}, 60_000);

afterAll(async () => {
  asWorker?.destroy();
  asAdmin?.destroy();
  await cloud?.stop();
});

async function failure(call: Promise<unknown>) {
  return call.then(
    () => 'allowed',
    (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => ({
      name: error.name,
      status: error.$metadata.httpStatusCode,
      message: error.message,
    }),
  );
}

it('lets the role put and get objects under bucket/*', async () => {
  await asWorker.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'hello' }));
  const got = await asWorker.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
  expect(await got.Body!.transformToString()).toBe('hello');
});

it('denies ListObjectsV2 without s3:ListBucket on the bucket ARN, with 403 AccessDenied and AWS’s message', async () => {
  expect(await failure(asWorker.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toEqual({
    name: 'AccessDenied',
    status: 403,
    message: `User: ${SESSION} is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::${BUCKET}" because no identity-based policy allows the s3:ListBucket action`,
  });
});

it('names an explicit deny as such', async () => {
  const result = await failure(
    asWorker.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'locked/b.txt', Body: 'no' })),
  );
  expect(result).toMatchObject({
    name: 'AccessDenied',
    message: `User: ${SESSION} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::${BUCKET}/locked/b.txt" with an explicit deny in an identity-based policy`,
  });
  await expect(
    asAdmin.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'locked/b.txt' })),
  ).rejects.toMatchObject({
    name: 'NotFound',
  });
});

it('answers a denied HEAD with 403 and no body, as S3 does', async () => {
  const response = await fetch(
    await getSignedUrl(asWorker, new HeadBucketCommand({ Bucket: BUCKET }), { expiresIn: 60 }),
    { method: 'HEAD' },
  );
  expect(response.status).toBe(403);
  expect(await response.text()).toBe('');
});

it('checks DeleteObjects key by key: s3:DeleteObject on each', async () => {
  const output = await asWorker
    .send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'a.txt' }] } }))
    .catch((error: { name: string }) => error);
  expect(output).toMatchObject({ name: 'AccessDenied' });
  expect(
    await (
      await asAdmin.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))
    ).Body!.transformToString(),
  ).toBe('hello');
});

it('checks CopyObject as a read of the source and a write of the target', async () => {
  await asWorker.send(
    new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.txt', CopySource: `${BUCKET}/a.txt` }),
  );
  const denied = await failure(
    asWorker.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'locked/copy.txt', CopySource: `${BUCKET}/a.txt` }),
    ),
  );
  expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
});

it('gives a presigned URL the role of the function that signed it', async () => {
  const get = await getSignedUrl(asWorker, new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }), {
    expiresIn: 60,
  });
  expect(await (await fetch(get)).text()).toBe('hello');
  const list = await getSignedUrl(asWorker, new ListObjectsV2Command({ Bucket: BUCKET }), { expiresIn: 60 });
  const response = await fetch(list);
  expect(response.status).toBe(403);
  expect(await response.text()).toContain('<Code>AccessDenied</Code>');
});

it('lets the account’s own key pair do everything', async () => {
  const listed = await asAdmin.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  expect(listed.Contents?.map((object) => object.Key)).toContain('a.txt');
});
