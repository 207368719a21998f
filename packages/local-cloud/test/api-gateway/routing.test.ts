import { createRestApi } from '../../src/api-gateway/rest-api';
import { InvalidRouteError } from '../../src/api-gateway/routes';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { ok, rawRequest, startRestApi, type RunningRestApi } from './rest-api-harness';

/** Which function answered: each handler names itself in the body. */
const named = (name: string) => () => Promise.resolve({ statusCode: 200, body: name });

describe('REST API routing', () => {
  let api: RunningRestApi;

  beforeAll(async () => {
    api = await startRestApi({
      hello: { handler: named('hello'), httpEvents: [{ method: 'GET', path: '/hello' }] },
      root: { handler: named('root'), httpEvents: [{ method: 'GET', path: '/' }] },
      groupById: { handler: named('groupById'), httpEvents: [{ method: 'GET', path: '/groups/{groupId}' }] },
      groupMine: { handler: named('groupMine'), httpEvents: [{ method: 'GET', path: '/groups/mine' }] },
      groupImages: {
        handler: named('groupImages'),
        httpEvents: [{ method: 'GET', path: '/groups/{groupId}/images' }],
      },
      userSettings: {
        handler: named('userSettings'),
        httpEvents: [{ method: 'GET', path: '/users/me/settings' }],
      },
      userById: {
        handler: named('userById'),
        httpEvents: [{ method: 'GET', path: '/users/{userId}/profile' }],
      },
      files: { handler: named('files'), httpEvents: [{ method: 'GET', path: '/files/{proxy+}' }] },
      anything: { handler: named('anything'), httpEvents: [{ method: 'ANY', path: '/anything' }] },
      explicitPost: { handler: named('explicitPost'), httpEvents: [{ method: 'POST', path: '/anything' }] },
      head: { handler: named('head'), httpEvents: [{ method: 'HEAD', path: '/probe' }] },
    });
  });

  afterAll(() => api.close());

  const get = (path: string, init?: RequestInit) => fetch(`${api.origin}${path}`, init);

  it('serves a route under the stage prefix', async () => {
    const response = await get('/dev/hello');

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
  });

  it('answers 403 Missing Authentication Token, with its error type and request id, for an unknown path', async () => {
    const response = await get('/dev/nowhere');

    expect(response.status).toBe(403);
    expect(await response.text()).toBe('{"message":"Missing Authentication Token"}');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 403 for a path without the stage or under another stage', async () => {
    const responses = await Promise.all([get('/hello'), get('/prod/hello'), get('/devx/hello'), get('/')]);

    expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403]);
  });

  it('answers 403 for a method the resource does not define', async () => {
    const response = await get('/dev/hello', { method: 'DELETE' });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('serves the root resource at the stage URL, with or without the trailing slash', async () => {
    const [bare, slash] = await Promise.all([get('/dev'), get('/dev/')]);

    expect([await bare.text(), await slash.text()]).toEqual(['root', 'root']);
  });

  it('ignores a trailing slash when matching but keeps it in the event path', async () => {
    const response = await get('/dev/hello/');

    expect(await response.text()).toBe('hello');
    const event = api.events().at(-1);
    expect(event?.path).toBe('/hello/');
    expect(event?.resource).toBe('/hello');
  });

  it('fills a path parameter', async () => {
    await get('/dev/groups/42/images');

    const event = api.events().at(-1);
    expect(event?.resource).toBe('/groups/{groupId}/images');
    expect(event?.pathParameters).toEqual({ groupId: '42' });
  });

  it('prefers a literal segment over a parameter', async () => {
    const [mine, other] = await Promise.all([get('/dev/groups/mine'), get('/dev/groups/7')]);

    expect(await mine.text()).toBe('groupMine');
    expect(await other.text()).toBe('groupById');
  });

  it('falls back to a parameter when the literal branch cannot match the rest of the path', async () => {
    const response = await get('/dev/users/me/profile');

    expect(await response.text()).toBe('userById');
    expect(api.events().at(-1)?.pathParameters).toEqual({ userId: 'me' });
  });

  it('answers 403 for an intermediate resource that has no methods', async () => {
    const responses = await Promise.all([get('/dev/users/me'), get('/dev/groups')]);

    expect(responses.map((r) => r.status)).toEqual([403, 403]);
  });

  it('passes path parameters percent-encoded, as REST APIs do', async () => {
    await get('/dev/groups/caf%C3%A9%20bar');

    const event = api.events().at(-1);
    expect(event?.pathParameters).toEqual({ groupId: 'caf%C3%A9%20bar' });
    expect(event?.path).toBe('/groups/caf%C3%A9%20bar');
  });

  it('gives a greedy {proxy+} parameter the whole rest of the path', async () => {
    const response = await get('/dev/files/a/b/c.txt');

    expect(await response.text()).toBe('files');
    const event = api.events().at(-1);
    expect(event?.pathParameters).toEqual({ proxy: 'a/b/c.txt' });
    expect(event?.resource).toBe('/files/{proxy+}');
  });

  it('does not match a greedy parameter with an empty rest', async () => {
    const response = await get('/dev/files/');

    expect(response.status).toBe(403);
  });

  it('serves every method on an ANY route, except where an explicit method takes over', async () => {
    const methods = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    const answers = await Promise.all(
      methods.map((method) => get('/dev/anything', { method }).then((r) => r.text())),
    );
    const post = await get('/dev/anything', { method: 'POST' });

    expect(answers).toEqual(methods.map(() => 'anything'));
    expect(await post.text()).toBe('explicitPost');
  });

  it('serves HEAD only where HEAD (or ANY) is defined', async () => {
    const [onGetRoute, onHeadRoute] = await Promise.all([
      get('/dev/hello', { method: 'HEAD' }),
      get('/dev/probe', { method: 'HEAD' }),
    ]);

    expect(onGetRoute.status).toBe(403);
    expect(onHeadRoute.status).toBe(200);
    expect(onHeadRoute.headers.get('content-length')).toBe('4');
  });

  it('matches paths case-sensitively', async () => {
    const response = await get('/dev/Hello');

    expect(response.status).toBe(403);
  });

  it('answers 403 for a method API Gateway does not know', async () => {
    const response = await rawRequest(api.port, { method: 'PROPFIND', path: '/dev/anything' });

    expect(response.status).toBe(403);
  });
});

describe('REST API route definitions', () => {
  const define = (functions: ConstructorParameters<typeof FakeLambdaService>[0]) => () =>
    createRestApi({
      lambda: new FakeLambdaService(functions),
      stage: 'dev',
      region: 'us-east-1',
      binaryMediaTypes: [],
    });

  it('refuses two different parameter names at the same level, as API Gateway does', () => {
    const creating = define({
      a: { handler: ok, httpEvents: [{ method: 'GET', path: '/users/{id}' }] },
      b: { handler: ok, httpEvents: [{ method: 'GET', path: '/users/{userId}/posts' }] },
    });

    expect(creating).toThrow(InvalidRouteError);
    expect(creating).toThrow(
      /a sibling \(\{id\}\) of \{userId\} already has a variable path part -- only one is allowed/,
    );
  });

  it('refuses two functions on the same method and path, naming both', () => {
    const creating = define({
      first: { handler: ok, httpEvents: [{ method: 'GET', path: '/hello' }] },
      second: { handler: ok, httpEvents: [{ method: 'GET', path: '/hello/' }] },
    });

    expect(creating).toThrow(/Both first and second have an http event for GET \/hello/);
  });

  it('refuses a greedy parameter that is not the last segment', () => {
    const creating = define({ a: { handler: ok, httpEvents: [{ method: 'GET', path: '/{proxy+}/tail' }] } });

    expect(creating).toThrow(/greedy parameter \{proxy\+\} must be the last segment/);
  });
});
