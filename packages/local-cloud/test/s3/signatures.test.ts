import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CREDENTIALS, REGION, rejection, startS3, type S3Harness } from './s3-harness';

const BUCKET = 'signatures-test-bucket';
let harness: S3Harness;

beforeAll(async () => {
  harness = await startS3();
  await harness.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await harness.client.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'report.txt',
      Body: 'quarterly numbers',
      ContentType: 'text/plain',
    }),
  );
});

afterAll(() => harness.stop());

const presignGet = (
  key: string,
  options: Parameters<typeof getSignedUrl>[2] = { expiresIn: 60 },
  client = harness.client,
) => getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: key }), options);

/** Reads S3's XML error document into { Code, Message, ...details }. */
async function errorOf(response: Response): Promise<Record<string, string>> {
  const text = await response.text();
  return Object.fromEntries(
    [...text.matchAll(/<([A-Za-z-]+)>([^<]*)<\/\1>/g)].map(([, name, value]) => [name ?? '', value ?? '']),
  );
}

/** Presigns a GET by hand, exactly as the SigV4 documentation spells it out (no SDK), for any X-Amz-Expires. */
function presignByHand(key: string, expires: number, date = new Date()): string {
  const amzDate = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const scope = `${amzDate.slice(0, 8)}/${REGION}/s3/aws4_request`;
  const host = new URL(harness.url).host;
  const encode = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const params: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${CREDENTIALS.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(expires),
    'X-Amz-SignedHeaders': 'host',
  };
  const query = Object.keys(params)
    .sort()
    .map((name) => `${encode(name)}=${encode(params[name] ?? '')}`)
    .join('&');
  const path = `/${BUCKET}/${key.split('/').map(encode).join('/')}`;
  const canonical = ['GET', path, query, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let signingKey: Buffer | string = `AWS4${CREDENTIALS.secretAccessKey}`;
  for (const part of [amzDate.slice(0, 8), REGION, 's3', 'aws4_request']) {
    signingKey = createHmac('sha256', signingKey).update(part).digest();
  }
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  return `${harness.url}${path}?${query}&X-Amz-Signature=${signature}`;
}

describe('presigned URLs', () => {
  it('GET made by s3-request-presigner downloads the object with fetch', async () => {
    const url = await presignGet('report.txt');

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('quarterly numbers');
  });

  it('PUT made by s3-request-presigner uploads with fetch (checksum parameters in the URL ignored, as S3 does)', async () => {
    const url = await getSignedUrl(
      harness.client,
      new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/red flower.jpg', ContentType: 'image/jpeg' }),
      { expiresIn: 300 },
    );

    const response = await fetch(url, {
      method: 'PUT',
      body: 'jpeg bytes',
      headers: { 'content-type': 'image/jpeg' },
    });
    const stored = await harness.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/red flower.jpg' }),
    );

    expect(new URL(url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${createHash('md5').update('jpeg bytes').digest('hex')}"`);
    expect(stored).toMatchObject({ ContentType: 'image/jpeg', ContentLength: 10 });
  });

  it('signed with Signature Version 2 (the SDK v2’s default in older Regions) are refused as S3 refuses them', async () => {
    // As `new AWS.S3().getSignedUrl('getObject', ...)` makes it without signatureVersion: 'v4'.
    const v2 = `${harness.url}/${BUCKET}/report.txt?AWSAccessKeyId=${CREDENTIALS.accessKeyId}&Expires=4102444800&Signature=abc%3D`;
    const header = await fetch(`${harness.url}/${BUCKET}/report.txt`, {
      headers: { authorization: `AWS ${CREDENTIALS.accessKeyId}:abc=` },
    });

    for (const response of [await fetch(v2), header]) {
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({
        Code: 'InvalidRequest',
        Message:
          'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
      });
    }
  });

  it('with a changed signature are refused with 403 SignatureDoesNotMatch', async () => {
    const url = new URL(await presignGet('report.txt'));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
    );

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      Message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      AWSAccessKeyId: CREDENTIALS.accessKeyId,
    });
  });

  it('used for another key are refused with 403 SignatureDoesNotMatch', async () => {
    await harness.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'secret.txt', Body: 'top secret' }),
    );
    const url = (await presignGet('report.txt')).replace('/report.txt?', '/secret.txt?');

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect((await errorOf(response)).Code).toBe('SignatureDoesNotMatch');
  });

  it('used with another method are refused with 403 SignatureDoesNotMatch', async () => {
    const url = await presignGet('report.txt');

    const response = await fetch(url, { method: 'PUT', body: 'overwritten' });

    expect(response.status).toBe(403);
    expect((await errorOf(response)).Code).toBe('SignatureDoesNotMatch');
    const object = await harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'report.txt' }));
    expect(await object.Body?.transformToString()).toBe('quarterly numbers');
  });

  it('signed with another secret key are refused with 403 SignatureDoesNotMatch', async () => {
    const url = await presignGet(
      'report.txt',
      { expiresIn: 60 },
      harness.clientWith({ secretAccessKey: 'not-the-secret' }),
    );

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect((await errorOf(response)).Code).toBe('SignatureDoesNotMatch');
  });

  it('signed with an unknown access key are refused with 403 InvalidAccessKeyId', async () => {
    const url = await presignGet(
      'report.txt',
      { expiresIn: 60 },
      harness.clientWith({ accessKeyId: 'AKIAUNKNOWN' }),
    );

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({
      Code: 'InvalidAccessKeyId',
      Message: 'The AWS Access Key Id you provided does not exist in our records.',
    });
  });

  it('past their expiry are refused with 403 AccessDenied "Request has expired"', async () => {
    const signingDate = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const url = await presignGet('report.txt', { expiresIn: 60, signingDate });

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({
      Code: 'AccessDenied',
      Message: 'Request has expired',
      'X-Amz-Expires': '60',
      Expires: new Date(signingDate.getTime() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  });

  it('valid for exactly 7 days are accepted', async () => {
    const response = await fetch(presignByHand('report.txt', 604_800));

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('quarterly numbers');
  });

  it('valid for more than 7 days are rejected with 400 AuthorizationQueryParametersError', async () => {
    const response = await fetch(presignByHand('report.txt', 604_801));

    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      Code: 'AuthorizationQueryParametersError',
      Message:
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    });
  });

  it('with x-amz-* headers the URL did not sign are refused with 403 AccessDenied naming them', async () => {
    const url = await getSignedUrl(
      harness.client,
      new PutObjectCommand({ Bucket: BUCKET, Key: 'meta.txt' }),
      {
        expiresIn: 60,
      },
    );

    const response = await fetch(url, {
      method: 'PUT',
      body: 'x',
      headers: { 'x-amz-meta-owner': 'mallory' },
    });

    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({
      Code: 'AccessDenied',
      Message: 'There were headers present in the request which were not signed',
      HeadersNotSigned: 'x-amz-meta-owner',
    });
  });
});

describe('header signatures (Authorization)', () => {
  it('made with the wrong secret key give 403 SignatureDoesNotMatch', async () => {
    const client = harness.clientWith({ secretAccessKey: 'not-the-secret' });

    const error = await rejection(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'report.txt' })));

    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('made with an unknown access key give 403 InvalidAccessKeyId', async () => {
    const client = harness.clientWith({ accessKeyId: 'AKIAUNKNOWN' });

    const error = await rejection(client.send(new ListBucketsCommand({})));

    expect(error.name).toBe('InvalidAccessKeyId');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('scoped to another region give 400 AuthorizationHeaderMalformed naming the expected one', async () => {
    const client = harness.clientWith({ region: 'eu-west-1' });

    const error = await rejection(client.send(new ListBucketsCommand({})));

    expect(error.name).toBe('AuthorizationHeaderMalformed');
    expect(error.message).toBe(
      "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
    );
  });

  it('dated more than 15 minutes off give 403 RequestTimeTooSkewed', async () => {
    const client = new S3Client({
      endpoint: harness.url,
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      systemClockOffset: -20 * 60 * 1000,
    });

    const error = await rejection(client.send(new ListBucketsCommand({})));
    client.destroy();

    expect(error.name).toBe('RequestTimeTooSkewed');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('over another body give 400 XAmzContentSHA256Mismatch and store nothing', async () => {
    const url = new URL(`${harness.url}/${BUCKET}/swapped.txt`);
    const signer = new SignatureV4({
      credentials: CREDENTIALS,
      region: REGION,
      service: 's3',
      sha256: Sha256,
      uriEscapePath: false,
    });
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'x-amz-content-sha256': createHash('sha256').update('signed body').digest('hex'),
      },
      body: 'signed body',
    });

    const response = await fetch(url, { method: 'PUT', headers: signed.headers, body: 'another body' });

    expect(response.status).toBe(400);
    expect((await errorOf(response)).Code).toBe('XAmzContentSHA256Mismatch');
    const missing = await rejection(
      harness.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'swapped.txt' })),
    );
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('missing altogether give 403 AccessDenied (no bucket is public)', async () => {
    const response = await fetch(`${harness.url}/${BUCKET}/report.txt`);

    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ Code: 'AccessDenied', Message: 'Access Denied' });
  });
});

describe('addressing', () => {
  it('virtual-hosted style (http://<bucket>.localhost:<port>) works with the SDK as path style does', async () => {
    const agent = new http.Agent({
      // Node.js does not resolve *.localhost to the loopback address as browsers do; this test's resolver does.
      lookup: (_hostname, options, callback) =>
        (options as { all?: boolean }).all
          ? (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
              { address: '127.0.0.1', family: 4 },
            ])
          : (callback as (error: null, address: string, family: number) => void)(null, '127.0.0.1', 4),
    });
    const client = new S3Client({
      endpoint: `http://localhost:${harness.s3.port}`,
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    });
    const seenHosts: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        seenHosts.push((args.request as { hostname: string }).hostname);
        return next(args);
      },
      { step: 'finalizeRequest' },
    );

    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'report.txt' }));
    const body = await object.Body?.transformToString();
    client.destroy();
    agent.destroy();

    expect(seenHosts).toEqual([`${BUCKET}.localhost`]);
    expect(body).toBe('quarterly numbers');
  });
});
