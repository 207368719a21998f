// The REST API under requests no browser or SDK sends, and under failures of Lambda or of the gateway
// itself: the client gets API Gateway's own short answers ({"message": ...}), and the reason, with its
// stack, goes to the execution log only.
import type { InvokeResult } from '../../src/lambda/lambda-service';
import { diskError, expectNothingInternal, FAILED_FILE, loggedWithStack } from '../support/leaks';
import { sendRaw } from '../support/raw-http';
import { ok, startRestApi, type RunningRestApi } from './rest-api-harness';

const NOTE_MODEL = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
let api: RunningRestApi;

beforeAll(async () => {
  api = await startRestApi({
    hostileRead: { handler: ok, httpEvents: [{ method: 'GET', path: '/notes/{id}' }] },
    hostileWrite: {
      handler: ok,
      httpEvents: [{ method: 'POST', path: '/notes', requestSchemas: { 'application/json': NOTE_MODEL } }],
    },
  });
});

afterAll(() => api.close());

/** A result whose payload cannot be read: the gateway itself fails while handling it. */
function unreadableResult(): InvokeResult {
  return {
    report: {
      functionKey: 'hostileRead',
      functionName: 'fake-service-dev-hostileRead',
      requestId: 'hostile-request',
      status: 'success',
      durationMs: 1,
      billedDurationMs: 1,
      coldStart: false,
      memorySizeMb: 1024,
      maxMemoryUsedMb: 64,
    },
    get payload(): string {
      throw diskError();
    },
    logs: '',
  };
}

describe('the REST API, sent what no client sends', () => {
  it.each([
    '/%',
    '/%E0%A4%A',
    '/dev/%E0%A4%A',
    '/../../etc/passwd',
    '/dev/../../etc/passwd',
    '/dev/..%2f..%2fetc%2fpasswd',
  ])('answers %s with 403 Missing Authentication Token, as API Gateway does', async (path) => {
    const answer = await sendRaw(api.origin, { path });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Missing Authentication Token' });
    expect(answer.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
  });

  it('refuses a body that is not JSON for a model with 400 Invalid request body', async () => {
    const answer = await sendRaw(api.origin, {
      method: 'POST',
      path: '/dev/notes',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Invalid request body' });
  });

  it('refuses headers over 10 KB with 431, before anything else reads them', async () => {
    const answer = await sendRaw(api.origin, {
      path: '/dev/notes/1',
      headers: { 'x-big': 'a'.repeat(11_000) },
    });

    expect(answer.status).toBe(431);
    expectNothingInternal(answer.body);
  });
});

describe('the REST API, when something behind it fails', () => {
  it('answers 500 Internal server error when Lambda cannot run the function, and logs why', async () => {
    jest.spyOn(api.lambda, 'invoke').mockRejectedValueOnce(diskError());

    const answer = await sendRaw(api.origin, { path: '/dev/notes/1' });

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Internal server error' });
    expect(loggedWithStack(api.logs)).toBe(true);
  });

  it('answers 500 Internal server error when the gateway itself fails, and logs the stack', async () => {
    api.logs.length = 0;
    jest.spyOn(api.lambda, 'invoke').mockResolvedValueOnce(unreadableResult());

    const answer = await sendRaw(api.origin, { path: '/dev/notes/1' });

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Internal server error' });
    expectNothingInternal(answer.body);
    expect(api.logs.some((line) => line.startsWith('GET /dev/notes/1 failed inside local-cloud'))).toBe(true);
    expect(loggedWithStack(api.logs)).toBe(true);
    expect(answer.body).not.toContain(FAILED_FILE);
  });
});
