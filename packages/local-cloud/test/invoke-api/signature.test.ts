import { createHash, createHmac } from 'node:crypto';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { CREDENTIALS, REGION, encode, startInvokeApi, type Harness } from './invoke-api-harness';

let lambda: FakeLambdaService;
let api: Harness;

beforeAll(async () => {
  lambda = new FakeLambdaService({ echo: { handler: (event) => Promise.resolve(event) } });
  api = await startInvokeApi(lambda);
});

afterAll(() => api.close());

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Signs a request by hand (SigV4 as the AWS documentation spells it out), to send it with fetch. */
function signedHeaders(body: string, options: { date?: Date; secret?: string } = {}): Record<string, string> {
  const amzDate = (options.date ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const host = new URL(api.url).host;
  const scope = `${amzDate.slice(0, 8)}/${REGION}/lambda/aws4_request`;
  const canonical = [
    'POST',
    '/2015-03-31/functions/echo/invocations',
    '',
    `host:${host}`,
    `x-amz-date:${amzDate}`,
    '',
    'host;x-amz-date',
    createHash('sha256').update(body).digest('hex'),
  ].join('\n');
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let key: Buffer | string = `AWS4${options.secret ?? CREDENTIALS.secretAccessKey}`;
  for (const part of [amzDate.slice(0, 8), REGION, 'lambda', 'aws4_request']) {
    key = createHmac('sha256', key).update(part).digest();
  }
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
  };
}

const post = (body: string, headers: Record<string, string>) =>
  fetch(`${api.url}/2015-03-31/functions/echo/invocations`, { method: 'POST', body, headers });

describe('request signatures', () => {
  it('made with the accepted key pair pass', async () => {
    const output = await api.client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: encode('signed') }),
    );

    expect(output.StatusCode).toBe(200);
  });

  it('made by hand as the SigV4 specification describes pass too', async () => {
    const body = JSON.stringify({ by: 'hand' });

    const response = await post(body, signedHeaders(body));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ by: 'hand' });
  });

  it('from an unknown access key give 403 UnrecognizedClientException', async () => {
    const client = api.clientWith({ accessKeyId: 'AKIAUNKNOWN' });

    const error = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })));

    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe('The security token included in the request is invalid.');
  });

  it('made with the wrong secret key give 403 InvalidSignatureException', async () => {
    const client = api.clientWith({ secretAccessKey: 'not-the-secret' });

    const error = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })));

    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided\./,
    );
  });

  it('scoped to another region give 403 InvalidSignatureException naming that region', async () => {
    const client = api.clientWith({ region: 'eu-west-1' });

    const error = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })));

    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe("Credential should be scoped to a valid region, not 'eu-west-1'. ");
  });

  it('over another body give 403 InvalidSignatureException', async () => {
    const headers = signedHeaders(JSON.stringify({ amount: 1 }));

    const response = await post(JSON.stringify({ amount: 1000 }), headers);

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(lambda.invocations).not.toContainEqual(expect.objectContaining({ payload: '{"amount":1000}' }));
  });

  it('older than 5 minutes give 403 InvalidSignatureException "Signature expired"', async () => {
    const body = '{}';
    const headers = signedHeaders(body, { date: new Date(Date.now() - 10 * 60 * 1000) });

    const response = await post(body, headers);

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(((await response.json()) as { message: string }).message).toMatch(/^Signature expired: /);
  });

  it('missing altogether give 403 MissingAuthenticationTokenException', async () => {
    const response = await post('{}', {});

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('with parts missing give 403 IncompleteSignatureException naming them', async () => {
    const response = await post('{}', {
      authorization: 'AWS4-HMAC-SHA256 Credential=x',
      'x-amz-date': '20260101T000000Z',
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(((await response.json()) as { message: string }).message).toContain(
      "Authorization header requires 'Signature' parameter.",
    );
  });

  it('are checked before the function is looked up', async () => {
    const client = api.clientWith({ secretAccessKey: 'not-the-secret' });

    const error = await rejection(client.send(new InvokeCommand({ FunctionName: 'nope' })));

    expect(error.name).toBe('InvalidSignatureException');
  });
});

describe('every answer', () => {
  it('carries x-amzn-RequestId, errors included', async () => {
    const response = await post('{}', {});

    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
