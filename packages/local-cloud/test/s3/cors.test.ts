import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { serviceDefinition, startS3, type S3Harness } from './s3-harness';

const BUCKET = 'cors-test-uploads';
const APP = 'http://localhost:5173';
let harness: S3Harness;

beforeAll(async () => {
  harness = await startS3({
    service: serviceDefinition({
      resources: {
        Uploads: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: BUCKET,
            CorsConfiguration: {
              CorsRules: [
                {
                  AllowedOrigins: [APP, 'https://*.example.com'],
                  AllowedMethods: ['GET', 'PUT'],
                  AllowedHeaders: ['content-type', 'x-amz-*'],
                  ExposedHeaders: ['ETag'],
                  MaxAge: 600,
                },
                { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
              ],
            },
          },
        },
        Plain: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'cors-test-plain' } },
      },
    }),
  });
});

afterAll(() => harness.stop());

const preflight = (path: string, headers: Record<string, string>) =>
  fetch(`${harness.url}${path}`, { method: 'OPTIONS', headers });

const corsHeadersOf = (response: Response) =>
  Object.fromEntries(
    [...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'),
  );

const codeOf = async (response: Response) => /<Code>([^<]*)<\/Code>/.exec(await response.text())?.[1];

describe('a CORS preflight', () => {
  it('matching a rule is answered 200 with that rule’s headers, without a signature', async () => {
    const response = await preflight(`/${BUCKET}/photos/cat.jpg`, {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type',
    });

    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-headers': 'content-type',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  it('from an origin a wildcard admits is allowed', async () => {
    const response = await preflight(`/${BUCKET}/k`, {
      origin: 'https://app.example.com',
      'access-control-request-method': 'GET',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('matching a rule open to every origin is answered with *', async () => {
    const response = await preflight(`/${BUCKET}/k`, {
      origin: 'https://anyone.test',
      'access-control-request-method': 'HEAD',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('from an origin no rule admits is refused with 403 and no CORS headers', async () => {
    const response = await preflight(`/${BUCKET}/photos/cat.jpg`, {
      origin: 'https://evil.test',
      'access-control-request-method': 'PUT',
    });
    const text = await response.text();

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(text).toContain('<Code>AccessForbidden</Code>');
    expect(text).toContain('<Message>CORSResponse: This CORS request is not allowed.');
    expect(text).toContain('<Method>PUT</Method><ResourceType>OBJECT</ResourceType>');
  });

  it('for a method or a header no rule allows is refused with 403', async () => {
    const method = await preflight(`/${BUCKET}/k`, {
      origin: APP,
      'access-control-request-method': 'DELETE',
    });
    const header = await preflight(`/${BUCKET}/k`, {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization',
    });

    expect(method.status).toBe(403);
    expect(header.status).toBe(403);
  });

  it('to a bucket without CORS configuration is refused with 403 "CORS is not enabled for this bucket."', async () => {
    const response = await preflight('/cors-test-plain/k', {
      origin: APP,
      'access-control-request-method': 'GET',
    });

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('CORSResponse: CORS is not enabled for this bucket.');
  });

  it('without Origin is a 400 BadRequest', async () => {
    const response = await preflight(`/${BUCKET}/k`, { 'access-control-request-method': 'GET' });

    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('BadRequest');
  });
});

describe('an actual cross-origin request', () => {
  it('with a presigned PUT from an allowed origin gets Access-Control-Allow-Origin (a browser upload works)', async () => {
    const url = await getSignedUrl(
      harness.client,
      new PutObjectCommand({ Bucket: BUCKET, Key: 'browser.jpg' }),
      {
        expiresIn: 60,
      },
    );

    const response = await fetch(url, {
      method: 'PUT',
      body: 'img',
      headers: { origin: APP, 'content-type': 'image/jpeg' },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('from an origin no rule admits gets no CORS headers (the browser blocks the answer)', async () => {
    const url = await getSignedUrl(
      harness.client,
      new GetObjectCommand({ Bucket: BUCKET, Key: 'browser.jpg' }),
      {
        expiresIn: 60,
      },
    );

    const response = await fetch(url, { headers: { origin: 'https://evil.test' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
