import type { CorsDefinition } from '../../src/config/service-definition';
import { corsHeaderNames, ok, startRestApi, type RunningRestApi } from './rest-api-harness';

/** The framework's `cors: true` for an event, as the configuration reader normalises it. */
const corsTrue = (method: string): CorsDefinition => ({
  origins: ['*'],
  headers: [
    'Content-Type',
    'X-Amz-Date',
    'Authorization',
    'X-Api-Key',
    'X-Amz-Security-Token',
    'X-Amz-User-Agent',
    'X-Amzn-Trace-Id',
  ],
  methods: ['OPTIONS', method],
  allowCredentials: false,
});

const appCors = (method: string): CorsDefinition => ({
  origins: ['https://app.example.com', 'https://*.preview.example.com'],
  headers: ['Content-Type', 'Authorization'],
  methods: ['OPTIONS', method],
  allowCredentials: true,
  maxAge: 600,
});

describe('CORS', () => {
  let api: RunningRestApi;

  beforeAll(async () => {
    api = await startRestApi({
      listPublic: { handler: ok, httpEvents: [{ method: 'GET', path: '/public', cors: corsTrue('GET') }] },
      listPrivate: { handler: ok, httpEvents: [{ method: 'GET', path: '/private', cors: appCors('GET') }] },
      createPrivate: {
        handler: ok,
        httpEvents: [{ method: 'POST', path: '/private', cors: appCors('POST') }],
      },
      anything: {
        handler: ok,
        httpEvents: [
          { method: 'ANY', path: '/any', cors: { ...corsTrue('ANY'), methods: ['OPTIONS', 'ANY'] } },
        ],
      },
      polite: {
        handler: () =>
          Promise.resolve({
            statusCode: 200,
            headers: { 'Access-Control-Allow-Origin': '*' },
            body: 'with cors',
          }),
        httpEvents: [{ method: 'GET', path: '/polite', cors: corsTrue('GET') }],
      },
      broken: {
        handler: () => Promise.resolve({ statusCode: 200, body: { not: 'a string' } }),
        httpEvents: [{ method: 'GET', path: '/broken', cors: corsTrue('GET') }],
      },
      noCors: { handler: ok, httpEvents: [{ method: 'GET', path: '/no-cors' }] },
    });
  });

  afterAll(() => api.close());

  const preflight = (path: string, origin = 'https://app.example.com') =>
    fetch(`${api.origin}/dev${path}`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    });

  it('answers the preflight of `cors: true` itself with the framework’s headers, without invoking a function', async () => {
    const invocationsBefore = api.lambda.invocations.length;

    const response = await preflight('/public');

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id',
    );
    expect(response.headers.get('access-control-allow-methods')).toBe('OPTIONS,GET');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-max-age')).toBeNull();
    expect(api.lambda.invocations.length).toBe(invocationsBefore);
  });

  it('echoes a configured origin, credentials and max age, and lists the methods of every event on the path', async () => {
    const response = await preflight('/private');

    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization');
    expect(response.headers.get('access-control-allow-methods')).toBe('OPTIONS,POST,GET');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('echoes an origin that matches a wildcard origin', async () => {
    const response = await preflight('/private', 'https://pr-42.preview.example.com');

    expect(response.headers.get('access-control-allow-origin')).toBe('https://pr-42.preview.example.com');
  });

  it('answers an origin that matches none with the first configured origin, which the browser then refuses', async () => {
    const response = await preflight('/private', 'https://evil.example.net');

    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('spells out ANY as the methods it stands for', async () => {
    const response = await preflight('/any');

    expect(response.headers.get('access-control-allow-methods')).toBe(
      'OPTIONS,DELETE,GET,HEAD,PATCH,POST,PUT',
    );
  });

  it('answers 403 to a preflight on a path without cors: it has no OPTIONS method', async () => {
    const response = await preflight('/no-cors');

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('adds no CORS headers to the function’s own response: with the proxy integration the function must', async () => {
    const response = await fetch(`${api.origin}/dev/public`, {
      headers: { Origin: 'https://app.example.com' },
    });

    expect(response.status).toBe(200);
    expect(corsHeaderNames(response.headers)).toEqual([]);
  });

  it('passes on the CORS headers the function sets', async () => {
    const response = await fetch(`${api.origin}/dev/polite`, {
      headers: { Origin: 'https://app.example.com' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('adds no CORS headers to its own error responses on a cors path', async () => {
    const headers = { Origin: 'https://app.example.com' };
    const [forbidden, malformed] = await Promise.all([
      fetch(`${api.origin}/dev/public`, { method: 'DELETE', headers }),
      fetch(`${api.origin}/dev/broken`, { headers }),
    ]);

    expect([forbidden.status, malformed.status]).toEqual([403, 502]);
    expect(corsHeaderNames(forbidden.headers)).toEqual([]);
    expect(corsHeaderNames(malformed.headers)).toEqual([]);
  });
});
