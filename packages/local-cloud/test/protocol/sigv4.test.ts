// The shared SigV4 verifier (src/auth) is S3's, and meant for every other local service too: here it checks
// requests from a real SDK client of a service that is not S3 (Lambda: path encoded again, body hashed).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { verifySigV4, type SigV4Error, type SigV4Failure } from '../../src/protocol/sigv4';

const CREDENTIALS = { accessKeyId: 'LOCALCLOUDKEY', secretAccessKey: 'shared-secret' };
let server: http.Server;
let url: string;
const failures: (SigV4Failure | 'ok')[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      verifySigV4(
        {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headersDistinct,
          body: Buffer.concat(chunks),
        },
        { credentials: CREDENTIALS, region: 'us-east-1', service: 'lambda' },
      ).then(
        () => {
          failures.push('ok');
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        },
        (error: unknown) => {
          failures.push((error as SigV4Error).failure);
          res
            .writeHead(403, { 'x-amzn-errortype': 'Denied', 'content-type': 'application/json' })
            .end('{"message":"denied"}');
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

async function invokeWith(settings: { secretAccessKey?: string; region?: string; functionName?: string }) {
  const client = new LambdaClient({
    endpoint: url,
    region: settings.region ?? 'us-east-1',
    credentials: { ...CREDENTIALS, secretAccessKey: settings.secretAccessKey ?? CREDENTIALS.secretAccessKey },
    maxAttempts: 1,
  });
  try {
    await client.send(
      new InvokeCommand({ FunctionName: settings.functionName ?? 'echo', Payload: Buffer.from('{"a":1}') }),
    );
  } catch {
    // The outcome is read from what the verifier decided.
  } finally {
    client.destroy();
  }
  return failures.at(-1);
}

describe('the shared SigV4 verifier with a Lambda client', () => {
  it('accepts a correctly signed request (path with a colon, encoded twice as non-S3 services sign it)', async () => {
    expect(await invokeWith({ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo' })).toBe(
      'ok',
    );
  });

  it('reports a wrong secret as a signature mismatch, with the canonical request it computed', async () => {
    const failure = await invokeWith({ secretAccessKey: 'wrong' });

    expect(failure).toMatchObject({ code: 'SignatureMismatch', location: 'header' });
    expect((failure as { canonicalRequest: string }).canonicalRequest).toMatch(
      /^POST\n\/2015-03-31\/functions\/echo\/invocations\n/,
    );
  });

  it('reports another region as WrongRegion', async () => {
    expect(await invokeWith({ region: 'eu-west-1' })).toEqual({
      code: 'WrongRegion',
      location: 'header',
      region: 'eu-west-1',
      expected: 'us-east-1',
    });
  });
});
