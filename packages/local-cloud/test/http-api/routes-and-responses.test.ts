// An HTTP API service (`httpApi` events) started as a user starts it, driven with real HTTP requests: which
// route a request takes, the payload 2.0 event the function receives, how its answer becomes the response,
// the gateway's own error answers, and the API's CORS configuration.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { rawRequest } from '../api-gateway/rest-api-harness';
import { echoed, startFixture, type StartedFixture } from './support/http-api-fixture';

let api: StartedFixture;
const APP_ORIGIN = 'https://app.example.com';

beforeAll(async () => {
  api = await startFixture('http-api-service');
}, 90_000);

afterAll(() => api?.stop());

const get = (path: string, init?: RequestInit) => fetch(`${api.url}${path}`, init);
const routeOf = async (path: string, init?: RequestInit) =>
  (await echoed<APIGatewayProxyEventV2>(await get(path, init))).event;
/** Invocation lines of one function in local-cloud's log. */
const invocationsOf = (functionKey: string) =>
  api.log.lines.filter((line) => new RegExp(` ${functionKey} (success|error) `).test(line)).length;

describe('routes', () => {
  it('takes a path parameter, decoded, with the raw path kept as sent', async () => {
    const event = await routeOf('/users/a%20b');

    expect(event.routeKey).toBe('GET /users/{id}');
    expect(event.pathParameters).toEqual({ id: 'a b' });
    expect(event.rawPath).toBe('/users/a%20b');
  });

  it('prefers a literal route to a parameter, and a parameter to a greedy variable', async () => {
    expect((await routeOf('/users/me')).routeKey).toBe('GET /users/me');
    expect((await routeOf('/files/readme')).routeKey).toBe('GET /files/readme');
    const greedy = await routeOf('/files/docs/guide/intro.md');
    expect(greedy.routeKey).toBe('GET /files/{proxy+}');
    expect(greedy.pathParameters).toEqual({ proxy: 'docs/guide/intro.md' });
  });

  it('prefers an explicit method to ANY, and serves ANY (method *) for every other method', async () => {
    expect((await routeOf('/files/a.txt', { method: 'POST' })).routeKey).toBe('ANY /files/{proxy+}');
    const anything = await routeOf('/anything', { method: 'DELETE' });
    expect(anything.routeKey).toBe('ANY /anything');
    expect(anything.requestContext.http.method).toBe('DELETE');
  });

  it('answers 404 {"message":"Not Found"} for an unknown path, a method no route has, and a REST-style stage prefix', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/users/42'],
      ['GET', '/dev/users/42'],
      ['GET', '/files'],
    ] as const) {
      const response = await get(path, { method });
      expect([method, path, response.status]).toEqual([method, path, 404]);
      expect(await response.text()).toBe('{"message":"Not Found"}');
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    }
  });
});

describe('the payload 2.0 event', () => {
  it('has the documented shape: raw and parsed query, lower-case headers joined with commas, cookies apart', async () => {
    const response = await rawRequest(Number(new URL(api.url).port), {
      path: '/users/42?tag=a&tag=b&q=x%20y&empty=',
      headers: {
        'X-Multi': ['one', 'two'],
        Cookie: 'session=abc; theme=dark',
        'User-Agent': 'http-api-test/1.0',
      },
    });
    expect(response.status).toBe(200);
    const { event, httpApiId } = JSON.parse(response.body.toString()) as {
      event: APIGatewayProxyEventV2;
      httpApiId: string;
    };
    const port = new URL(api.url).port;

    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /users/{id}',
      rawPath: '/users/42',
      rawQueryString: 'tag=a&tag=b&q=x%20y&empty=',
      cookies: ['session=abc', 'theme=dark'],
      headers: {
        host: `127.0.0.1:${port}`,
        'x-multi': 'one,two',
        'user-agent': 'http-api-test/1.0',
        'x-amzn-trace-id': expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/) as unknown,
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-port': port,
        'x-forwarded-proto': 'http',
      },
      queryStringParameters: { tag: 'a,b', q: 'x y', empty: '' },
      requestContext: {
        accountId: '123456789012',
        apiId: httpApiId,
        domainName: `127.0.0.1:${port}`,
        domainPrefix: httpApiId,
        http: {
          method: 'GET',
          path: '/users/42',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'http-api-test/1.0',
        },
        requestId: response.headers['apigw-requestid'],
        routeKey: 'GET /users/{id}',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/) as unknown,
        timeEpoch: expect.any(Number) as unknown,
      },
      pathParameters: { id: '42' },
      isBase64Encoded: false,
    });
    // `Ref: HttpApi` in the environment is the API's id, 10 lower-case letters and digits.
    expect(httpApiId).toMatch(/^[a-z0-9]{10}$/);
  });

  it('passes a text body as it came, malformed JSON included: the gateway validates nothing', async () => {
    const event = await routeOf('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "Ada",',
    });

    expect(event.body).toBe('{"name": "Ada",');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['content-length']).toBe('15');
  });

  it('base64-encodes a body whose type is not text (binary, form data, or no Content-Type)', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = await routeOf('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const form = await routeOf('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
    });

    const untyped = await rawRequest(Number(new URL(api.url).port), {
      method: 'POST',
      path: '/users',
      body: 'hi',
    });

    expect(binary).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
    expect(form).toMatchObject({ isBase64Encoded: true, body: Buffer.from('a=1&b=2').toString('base64') });
    expect(JSON.parse(untyped.body.toString())).toMatchObject({
      event: { isBase64Encoded: true, body: 'aGk=' },
    });
  });
});

describe('the function’s answer', () => {
  it('without statusCode is a 200 JSON response with the result as its body (an object, or a string as it is)', async () => {
    const inferred = await get('/inferred');
    const text = await get('/text');

    expect(inferred.status).toBe(200);
    expect(inferred.headers.get('content-type')).toBe('application/json');
    expect(await inferred.json()).toEqual({ hello: 'world', items: [1, 2] });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('plain words');
  });

  it('with statusCode sets the status, headers, one Set-Cookie per cookie, and the body', async () => {
    const response = await get('/custom');

    expect(response.status).toBe(201);
    expect(response.headers.get('x-custom')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(await response.text()).toBe('created');
  });

  it('with isBase64Encoded is sent as the decoded bytes, whatever the client accepts', async () => {
    const response = await get('/binary', { headers: { accept: 'text/html' } });

    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]),
    );
  });

  it.each([
    [
      'is malformed',
      '/malformed',
      /GET \/malformed .* 500: Malformed Lambda proxy response: statusCode is "not a number"/,
    ],
    ['throws', '/throws', /GET \/throws .* 500: the function failed: Error: the handler broke/],
    [
      'times out (its own 1-second timeout)',
      '/slow',
      /GET \/slow .* 500: the function failed: Sandbox\.Timedout: .*Task timed out after 1\.00 seconds/,
    ],
  ])(
    'that %s is a 500 {"message":"Internal Server Error"}, the reason in the log',
    async (_case, path, logged) => {
      const response = await get(path);

      expect(response.status).toBe(500);
      expect(await response.text()).toBe('{"message":"Internal Server Error"}');
      expect(api.log.lines.some((line) => logged.test(line))).toBe(true);
    },
    20_000,
  );
});

describe('CORS from provider.httpApi.cors', () => {
  const preflight = (path: string, origin: string) =>
    get(path, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('answers a preflight no route takes itself, 204 with the configured headers, without invoking anything', async () => {
    const before = invocationsOf('echo');
    const response = await preflight('/users', APP_ORIGIN);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization');
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['OPTIONS', 'GET', 'POST', 'DELETE']),
    );
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(invocationsOf('echo')).toBe(before);
  });

  it('gives an origin it does not allow no CORS header, so the browser refuses', async () => {
    const response = await preflight('/users', 'https://evil.example');
    const actual = await get('/users/42', { headers: { origin: 'https://evil.example' } });

    expect(response.status).toBe(204);
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect([...actual.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('lets a route that takes OPTIONS (ANY) answer the preflight, with the CORS headers added', async () => {
    const response = await preflight('/anything', APP_ORIGIN);
    const { event } = await echoed<APIGatewayProxyEventV2>(response);

    expect(event.requestContext.http.method).toBe('OPTIONS');
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });

  it('adds the configured headers to answers, replacing the function’s own, and to the gateway’s errors', async () => {
    const custom = await get('/custom', { headers: { origin: APP_ORIGIN } });
    const notFound = await get('/nowhere', { headers: { origin: APP_ORIGIN } });
    const withoutOrigin = await get('/custom');

    expect(custom.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(custom.headers.get('access-control-allow-credentials')).toBe('true');
    expect(custom.headers.get('access-control-expose-headers')).toBe('x-custom');
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    // Without an Origin, no CORS header, not even the function's (API Gateway ignores those).
    expect(withoutOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('does not take an OPTIONS request that is not a preflight for one', async () => {
    const response = await get('/users', { method: 'OPTIONS' });

    expect(response.status).toBe(404);
  });
});
