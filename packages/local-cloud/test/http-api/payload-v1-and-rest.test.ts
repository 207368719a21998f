// A service with a REST API and an HTTP API (payload format 1.0, a `$default` route) on one port, started as a
// user starts it: the REST API keeps its /dev routes, everything else goes to the HTTP API; the 1.0 event;
// `Ref: HttpApi`; the API in endpoints.json and in the route table printed at start.
import { readFileSync } from 'node:fs';
import type { EndpointsFile } from '../../src/endpoints';
import { formatStartup } from '../../src/logging';
import { echoed, startFixture, type StartedFixture } from './support/http-api-fixture';

let api: StartedFixture;

beforeAll(async () => {
  api = await startFixture('payload-v1-service');
}, 90_000);

afterAll(() => api?.stop());

interface V1Event {
  version?: string;
  resource: string;
  path: string;
  requestContext: { stage: string; resourcePath: string; apiId: string };
}

const get = (path: string, method = 'GET') => fetch(`${api.url}${path}`, { method });

describe('an HTTP API with payload format 1.0', () => {
  it('sends the documented 1.0 event: the REST shape, lower-case headers, stage $default, decoded parameters', async () => {
    const response = await get('/hello/bob%20smith?tag=a&tag=b');
    const { event, httpApiId } = await echoed<Record<string, unknown>>(response);
    const port = new URL(api.url).port;

    expect(event).toEqual({
      version: '1.0',
      resource: '/hello/{name}',
      path: '/hello/bob%20smith',
      httpMethod: 'GET',
      headers: expect.objectContaining({ host: `127.0.0.1:${port}`, 'x-forwarded-proto': 'http' }) as unknown,
      multiValueHeaders: expect.objectContaining({ host: [`127.0.0.1:${port}`] }) as unknown,
      queryStringParameters: { tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
      requestContext: {
        accountId: '123456789012',
        apiId: httpApiId,
        domainName: `127.0.0.1:${port}`,
        domainPrefix: httpApiId,
        extendedRequestId: response.headers.get('apigw-requestid'),
        httpMethod: 'GET',
        identity: expect.objectContaining({ sourceIp: '127.0.0.1' }) as unknown,
        path: '/hello/bob%20smith',
        protocol: 'HTTP/1.1',
        requestId: response.headers.get('apigw-requestid'),
        requestTime: expect.any(String) as unknown,
        requestTimeEpoch: expect.any(Number) as unknown,
        resourceId: null,
        resourcePath: '/hello/{name}',
        stage: '$default',
      },
      pathParameters: { name: 'bob smith' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(Object.keys(event.headers as object).every((name) => name === name.toLowerCase())).toBe(true);
  });
});

describe('the REST API and the HTTP API on one port', () => {
  it('gives the REST API its own routes, under the stage', async () => {
    const { event, httpApiId } = await echoed<V1Event>(await get('/dev/hello'));

    expect(event.version).toBeUndefined();
    expect(event.resource).toBe('/hello');
    expect(event.requestContext.stage).toBe('dev');
    // `Ref: HttpApi` reaches every function's environment, the REST API's too.
    expect(httpApiId).toMatch(/^[a-z0-9]{10}$/);
  });

  it.each([
    ['a path the REST API does not have, under its stage', '/dev/other', 'GET'],
    ['a REST route with a method it does not have', '/dev/hello', 'POST'],
    ['any other path', '/some/where/else', 'DELETE'],
  ])('sends %s to the HTTP API’s $default route', async (_case, path, method) => {
    const { event } = await echoed<V1Event>(await get(path, method));

    expect(event.version).toBe('1.0');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.path).toBe(path);
    expect(event.resource).toBe(path);
  });

  it('writes the HTTP API to endpoints.json: its URL and each function’s routes', () => {
    const file = JSON.parse(readFileSync(api.cloud.endpointsFile, 'utf8')) as EndpointsFile;
    const byKey = Object.fromEntries(file.functions.map((fn) => [fn.key, fn]));

    expect(file.httpApiUrl).toBe(api.url);
    expect(file.endpoints.httpapi).toBe(api.url);
    expect(byKey.greet?.httpApiRoutes).toEqual([
      { routeKey: 'GET /hello/{name}', url: `${api.url}/hello/{name}` },
    ]);
    expect(byKey.fallback?.httpApiRoutes).toEqual([{ routeKey: '$default', url: api.url }]);
    expect(byKey.rest?.httpApiRoutes).toBeUndefined();
    expect(byKey.rest?.routes).toEqual([{ method: 'GET', path: '/hello', url: `${api.cloud.apiUrl}/hello` }]);
  });

  it('lists every function’s routes in the table printed at start, and warns of nothing about httpApi', () => {
    const lines = formatStartup({
      service: api.cloud.service,
      apiUrl: api.cloud.apiUrl,
      httpApiUrl: api.url,
      lambdaEndpoint: api.cloud.lambdaEndpoint,
      endpointsFile: api.cloud.endpointsFile,
    });
    const row = (functionKey: string) =>
      lines.find((line) => line.includes(`  ${functionKey}  `))?.replace(/\s+/g, ' ');

    expect(row('rest')).toBe(`GET ${api.cloud.apiUrl}/hello rest 256 MB 6 s`);
    expect(row('greet')).toBe(`GET ${api.url}/hello/{name} greet 256 MB 6 s`);
    expect(row('fallback')).toBe(
      `ANY ${api.url}/* ($default: every request no other route takes) fallback 256 MB 6 s`,
    );
    expect(lines.join('\n')).not.toContain('(no route');
    expect(api.log.lines.filter((line) => line.includes('warning'))).toEqual([]);
  });
});
