// The Lambda Invoke API under requests no SDK sends, and under its own failures: every answer is Lambda's JSON
// error (type in x-amzn-ErrorType) with a short message; local-cloud's stack and the machine's paths go to
// its log only. A function's own error still comes back whole, trace included, as Lambda returns it.
import { FakeLambdaService } from '../support/fake-lambda-service';
import {
  diskError,
  expectInternalErrorMessage,
  expectNothingInternal,
  loggedWithStack,
} from '../support/leaks';
import { sendRaw, sendSigned, type RawRequest } from '../support/raw-http';
import { CREDENTIALS, REGION, startInvokeApi, type Harness } from './invoke-api-harness';

const lambda = new FakeLambdaService(
  {
    hostileEcho: { handler: (event: unknown) => Promise.resolve({ received: event }) },
    hostileFail: { handler: () => Promise.reject(new TypeError('the order has no items')) },
  },
  'hostile-invoke',
);
const logged: string[] = [];
let api: Harness;

beforeAll(async () => {
  api = await startInvokeApi(lambda, { log: (line) => logged.push(line) });
});

afterAll(() => api.close());

const signed = (request: RawRequest) =>
  sendSigned(
    api.url,
    { method: 'POST', ...request },
    { service: 'lambda', region: REGION, credentials: CREDENTIALS },
  );

const messageOf = (body: string) => (JSON.parse(body) as { message: string }).message;

describe('the Lambda Invoke API, sent what no SDK sends', () => {
  it.each(['%E0%A4%A', '%', 'hostile%ZZ'])(
    'refuses a function name with the malformed escape %s with 400 ValidationException, not a 500',
    async (name) => {
      const answer = await sendRaw(api.url, {
        method: 'POST',
        path: `/2015-03-31/functions/${name}/invocations`,
        body: '{}',
      });

      expect(answer.status).toBe(400);
      expect(answer.headers['x-amzn-errortype']).toBe('ValidationException');
      expect(messageOf(answer.body)).toMatch(/malformed percent-escape.*encodeURIComponent/);
      expectNothingInternal(answer.body);
    },
  );

  it.each([
    '/%',
    '/%E0%A4%A',
    '/../../etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '/2015-03-31/functions/../../../x',
  ])('answers the path %s with a 4xx in Lambda’s format that shows nothing of the machine', async (path) => {
    const answer = await sendRaw(api.url, { method: 'GET', path });

    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.headers['x-amzn-errortype']).toMatch(/^(ValidationException|UnknownOperationException)$/);
    expectNothingInternal(answer.body);
  });

  it('refuses headers over Node’s 16 KB with 431 and no body', async () => {
    const answer = await sendRaw(api.url, {
      method: 'POST',
      path: '/2015-03-31/functions/hostileEcho/invocations',
      headers: { 'x-big': 'a'.repeat(20_000) },
      body: '{}',
    });

    expect(answer.status).toBe(431);
    expect(answer.body).toBe('');
  });

  it('refuses a payload that is not JSON with 400 InvalidRequestContentException', async () => {
    const answer = await signed({
      path: '/2015-03-31/functions/hostileEcho/invocations',
      headers: { 'content-type': 'text/plain' },
      body: '{not json',
    });

    expect(answer.status).toBe(400);
    expect(answer.headers['x-amzn-errortype']).toBe('InvalidRequestContentException');
    expectNothingInternal(answer.body);
  });
});

describe('the Lambda Invoke API, failing itself', () => {
  it('answers 500 ServiceException with a message that says where the reason is, and logs the reason', async () => {
    jest.spyOn(lambda, 'invoke').mockRejectedValueOnce(diskError());

    const answer = await signed({ path: '/2015-03-31/functions/hostileEcho/invocations', body: '{}' });

    expect(answer.status).toBe(500);
    expect(answer.headers['x-amzn-errortype']).toBe('ServiceException');
    expectInternalErrorMessage(messageOf(answer.body));
    expectNothingInternal(answer.body);
    expect(loggedWithStack(logged)).toBe(true);
  });

  it('still returns a function’s own error with its trace, as Lambda does', async () => {
    const answer = await signed({ path: '/2015-03-31/functions/hostileFail/invocations', body: '{}' });

    expect(answer.status).toBe(200);
    expect(answer.headers['x-amz-function-error']).toBe('Unhandled');
    expect(JSON.parse(answer.body)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'the order has no items',
      trace: expect.arrayContaining([expect.stringMatching(/^\s+at /)]) as unknown,
    });
  });
});
