import type { CorsDefinition } from '../../src/config/service-definition';
import { corsHeaderNames, ok, startRestApi, type RunningRestApi } from './rest-api-harness';

const corsTrue = (method: string): CorsDefinition => ({
  origins: ['*'],
  headers: ['Content-Type'],
  methods: ['OPTIONS', method],
  allowCredentials: false,
});

/** A promise the test settles by hand: a function that runs until the test lets it finish. */
function gate<T>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { open, opened };
}

describe('integration timeout', () => {
  let api: RunningRestApi;
  let slowCall = gate<void>();
  let slowStarted = gate<void>();

  beforeAll(async () => {
    api = await startRestApi(
      {
        slow: {
          handler: async () => {
            slowStarted.open();
            await slowCall.opened;
            return { statusCode: 200, body: 'too late' };
          },
          httpEvents: [{ method: 'GET', path: '/slow', cors: corsTrue('GET') }],
        },
        fast: { handler: ok, httpEvents: [{ method: 'GET', path: '/fast' }] },
      },
      { integrationTimeoutMs: 100 },
    );
  });

  afterAll(() => api.close());

  beforeEach(() => {
    slowCall = gate<void>();
    slowStarted = gate<void>();
  });

  it('answers 504 Endpoint request timed out at the deadline, without CORS headers', async () => {
    const started = Date.now();
    const response = await fetch(`${api.origin}/dev/slow`, {
      headers: { Origin: 'https://app.example.com' },
    });
    const elapsed = Date.now() - started;

    expect(response.status).toBe(504);
    expect(await response.text()).toBe('{"message": "Endpoint request timed out"}');
    expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(corsHeaderNames(response.headers)).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(2_000);
    expect(api.logs.at(-1)).toContain('Execution failed due to a timeout error');
    slowCall.open();
  });

  it('drops the result of an invocation that finishes after the deadline and keeps serving', async () => {
    const response = fetch(`${api.origin}/dev/slow`);
    await slowStarted.opened;
    const finished = new Promise<void>((resolve) => {
      const stop = api.lambda.onInvocation(() => {
        stop();
        resolve();
      });
    });

    expect((await response).status).toBe(504);
    slowCall.open();
    await finished;
    const next = await fetch(`${api.origin}/dev/fast`);

    expect(next.status).toBe(200);
    expect(await next.text()).toBe('ok');
  });
});

describe('invocations Lambda refuses', () => {
  let api: RunningRestApi;
  const busy = gate<void>();
  const busyStarted = gate<void>();

  beforeAll(async () => {
    api = await startRestApi({
      single: {
        handler: async () => {
          busyStarted.open();
          await busy.opened;
          return { statusCode: 200, body: 'done' };
        },
        definition: { reservedConcurrency: 1 },
        httpEvents: [{ method: 'GET', path: '/single' }],
      },
      big: { handler: ok, httpEvents: [{ method: 'POST', path: '/big' }] },
    });
  });

  afterAll(() => api.close());

  it('answers 500 Internal server error when Lambda throttles the function, as API Gateway does', async () => {
    const first = fetch(`${api.origin}/dev/single`);
    await busyStarted.opened;

    const throttled = await fetch(`${api.origin}/dev/single`);
    busy.open();

    expect(throttled.status).toBe(500);
    expect(await throttled.text()).toBe('{"message": "Internal server error"}');
    expect(throttled.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(api.logs.at(-1)).toContain('TooManyRequestsException');
    expect((await first).status).toBe(200);
  });

  it('answers 500 when the event is over Lambda’s 6 MB synchronous payload limit', async () => {
    const body = 'x'.repeat(6.5 * 1024 * 1024);

    const response = await fetch(`${api.origin}/dev/big`, { method: 'POST', body });

    expect(response.status).toBe(500);
    expect(api.logs.at(-1)).toMatch(/the proxy event is \d+ bytes; Lambda accepts at most 6291456/);
  });
});
