// Secrets Manager and SSM under requests no SDK sends, and under their own failure: every answer is the JSON
// protocol's `{"__type", "message"}` with a short message, and local-cloud's stack and the machine's paths go
// to its log only (never a value either: the catalogue's errors name files, not secrets).
import { SecretsCatalog } from '../../src/services/secrets/secrets-catalog';
import { createSecretsService, type SecretsService } from '../../src/services/secrets/secrets-service';
import {
  diskError,
  expectInternalErrorMessage,
  expectNothingInternal,
  loggedWithStack,
} from '../support/leaks';
import { sendRaw, sendSigned, type RawRequest } from '../support/raw-http';
import { CREDENTIALS, REGION, serviceWith, temporaryDirectory } from '../sns/messaging-harness';

const JSON_11 = 'application/x-amz-json-1.1';
const directory = temporaryDirectory('secrets-hostile-requests-');
const logged: string[] = [];
let secrets: SecretsService;

beforeAll(async () => {
  secrets = await createSecretsService({
    service: serviceWith({ service: 'secrets-hostile-requests', servicePath: directory.path }),
    credentials: CREDENTIALS,
    region: REGION,
    inMemory: true,
    log: (line) => logged.push(line),
  });
});

afterAll(async () => {
  await secrets.stop();
  directory.remove();
});

const ssm = (operation: string, request: Partial<RawRequest>) =>
  sendSigned(
    secrets.url,
    {
      method: 'POST',
      path: '/',
      ...request,
      headers: { 'x-amz-target': `AmazonSSM.${operation}`, ...request.headers },
    },
    { service: 'ssm', region: REGION, credentials: CREDENTIALS },
  );

const errorOf = (body: string) => JSON.parse(body) as { __type: string; message: string };

describe('Secrets Manager and SSM, sent what no SDK sends', () => {
  it.each(['/%', '/%E0%A4%A', '/../../etc/passwd', '/..%2f..%2fetc%2fpasswd'])(
    'answers %s without an operation with 400 UnknownOperationException',
    async (target) => {
      const answer = await sendRaw(secrets.url, { method: 'POST', path: target, body: '{}' });

      expect(answer.status).toBe(400);
      expect(errorOf(answer.body).__type).toBe('UnknownOperationException');
      expectNothingInternal(answer.body);
    },
  );

  it.each([JSON_11, 'text/plain'])(
    'refuses a body that is not JSON, sent as %s, with 400 SerializationException',
    async (contentType) => {
      const answer = await ssm('GetParameter', {
        headers: { 'content-type': contentType },
        body: '{"Name": ',
      });

      expect(answer.status).toBe(400);
      expect(errorOf(answer.body)).toEqual({
        __type: 'SerializationException',
        message: 'The request body is not valid JSON.',
      });
    },
  );

  it('refuses parameter names that are not strings with 400 SerializationException', async () => {
    const answer = await ssm('GetParameters', {
      headers: { 'content-type': JSON_11 },
      body: JSON.stringify({ Names: [{ toString: 1 }] }),
    });

    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).__type).toBe('SerializationException');
    expectNothingInternal(answer.body);
  });
});

describe('Secrets Manager and SSM, failing themselves', () => {
  it('answers 500 InternalServiceError with a message that says where the reason is, and logs the reason', async () => {
    jest.spyOn(SecretsCatalog.prototype, 'parameter').mockImplementationOnce(() => {
      throw diskError();
    });

    const answer = await ssm('GetParameter', {
      headers: { 'content-type': JSON_11 },
      body: JSON.stringify({ Name: '/hostile/any' }),
    });

    expect(answer.status).toBe(500);
    expect(answer.headers['x-amzn-errortype']).toBe('InternalServiceError');
    expectInternalErrorMessage(errorOf(answer.body).message);
    expectNothingInternal(answer.body);
    expect(loggedWithStack(logged)).toBe(true);
  });
});
