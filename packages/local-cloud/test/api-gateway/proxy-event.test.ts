import { apiGatewayEvent } from '@serverless-course/test-kit';
import { ok, rawRequest, startRestApi, type RunningRestApi } from './rest-api-harness';

describe('the proxy event a function receives', () => {
  let api: RunningRestApi;

  beforeAll(async () => {
    api = await startRestApi(
      {
        echo: {
          handler: ok,
          httpEvents: [
            { method: 'ANY', path: '/items/{itemId}' },
            { method: 'POST', path: '/upload' },
            { method: 'GET', path: '/plain' },
          ],
        },
      },
      { apiId: 'abc123defg', binaryMediaTypes: ['image/*', 'application/octet-stream'] },
    );
  });

  afterAll(() => api.close());

  const lastEvent = () => {
    const event = api.events().at(-1);
    if (!event) throw new Error('the function was not invoked');
    return event;
  };

  it('describes the request: resource template, path without the stage, method', async () => {
    await fetch(`${api.origin}/dev/items/42`, { method: 'PUT', body: '{}' });

    const event = lastEvent();
    expect(event.resource).toBe('/items/{itemId}');
    expect(event.path).toBe('/items/42');
    expect(event.httpMethod).toBe('PUT');
    expect(event.pathParameters).toEqual({ itemId: '42' });
    expect(event.stageVariables).toBeNull();
  });

  it('keeps the last value of a repeated header in headers and all of them in multiValueHeaders', async () => {
    await rawRequest(api.port, { path: '/dev/plain', headers: { 'X-Flavour': ['vanilla', 'chocolate'] } });

    const event = lastEvent();
    expect(event.headers['X-Flavour']).toBe('chocolate');
    expect(event.multiValueHeaders['X-Flavour']).toEqual(['vanilla', 'chocolate']);
  });

  it('keeps header names as the client spelled them', async () => {
    await rawRequest(api.port, { path: '/dev/plain', headers: { 'tEsT-HEADeR': 'aValUE' } });

    expect(lastEvent().headers['tEsT-HEADeR']).toBe('aValUE');
  });

  it('drops the hop-by-hop headers API Gateway never forwards, and adds its own', async () => {
    await rawRequest(api.port, {
      method: 'POST',
      path: '/dev/upload',
      headers: { 'Content-Type': 'text/plain', Connection: 'keep-alive', 'X-Forwarded-For': '198.51.100.7' },
      body: 'hi',
    });

    const { headers } = lastEvent();
    const names = Object.keys(headers).map((name) => name.toLowerCase());
    expect(names).not.toContain('content-length');
    expect(names).not.toContain('connection');
    expect(headers['X-Forwarded-For']).toBe('198.51.100.7, 127.0.0.1');
    expect(headers['X-Forwarded-Proto']).toBe('http');
    expect(headers['X-Forwarded-Port']).toBe(String(api.port));
    expect(headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('gives null query string maps when the URL has no query', async () => {
    await fetch(`${api.origin}/dev/plain`);

    const event = lastEvent();
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
  });

  it('decodes query parameters and keeps the last value of a repeated one in the single-value map', async () => {
    await fetch(`${api.origin}/dev/plain?tag=a&tag=b&q=caf%C3%A9+au+lait&email=x%2By%40example.com&flag`);

    const event = lastEvent();
    expect(event.queryStringParameters).toEqual({
      tag: 'b',
      q: 'café au lait',
      email: 'x+y@example.com',
      flag: '',
    });
    expect(event.multiValueQueryStringParameters).toEqual({
      tag: ['a', 'b'],
      q: ['café au lait'],
      email: ['x+y@example.com'],
      flag: [''],
    });
  });

  it('splits query parameters on semicolons too, as REST APIs do', async () => {
    await fetch(`${api.origin}/dev/plain?a=1;b=2`);

    expect(lastEvent().queryStringParameters).toEqual({ a: '1', b: '2' });
  });

  it('gives null pathParameters on a route without parameters', async () => {
    await fetch(`${api.origin}/dev/plain`);

    expect(lastEvent().pathParameters).toBeNull();
  });

  it('fills requestContext as API Gateway does', async () => {
    const before = Date.now();
    const response = await fetch(`${api.origin}/dev/items/7?x=1`, {
      headers: { 'User-Agent': 'course-test/1.0' },
    });

    const { requestContext } = lastEvent();
    const { deploymentId, extendedRequestId, requestTime, requestTimeEpoch, resourceId, ...fixed } =
      requestContext;
    expect(fixed).toEqual({
      accountId: '123456789012',
      apiId: 'abc123defg',
      domainName: `127.0.0.1:${api.port}`,
      domainPrefix: 'abc123defg',
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'course-test/1.0',
        userArn: null,
      },
      path: '/dev/items/7',
      protocol: 'HTTP/1.1',
      requestId: response.headers.get('x-amzn-requestid'),
      resourcePath: '/items/{itemId}',
      stage: 'dev',
    });
    expect(deploymentId).toMatch(/^[a-z0-9]{6}$/);
    expect(resourceId).toMatch(/^[a-z0-9]{6}$/);
    expect(extendedRequestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(extendedRequestId).toBe(response.headers.get('x-amz-apigw-id'));
    expect(requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(requestTimeEpoch).toBeGreaterThanOrEqual(before);
    expect('authorizer' in requestContext).toBe(false);
  });

  it('formats requestTime from requestTimeEpoch in UTC', async () => {
    await fetch(`${api.origin}/dev/plain`);

    const { requestTime, requestTimeEpoch } = lastEvent().requestContext;
    const date = new Date(requestTimeEpoch);
    const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    const expected = `${String(date.getUTCDate()).padStart(2, '0')}/${month}/${date.getUTCFullYear()}:${date.toISOString().slice(11, 19)} +0000`;
    expect(requestTime).toBe(expected);
  });

  it('takes domainName from the Host header, so callback URLs built from it reach the emulator', async () => {
    await rawRequest(api.port, { path: '/dev/plain', headers: { Host: 'api.localhost:4000' } });

    const { requestContext } = lastEvent();
    expect(requestContext.domainName).toBe('api.localhost:4000');
    expect(requestContext.domainPrefix).toBe('api');
  });

  it('gives the same resourceId to every request for a resource, and another to another resource', async () => {
    await fetch(`${api.origin}/dev/items/1`);
    const first = lastEvent().requestContext.resourceId;
    await fetch(`${api.origin}/dev/items/2`);
    const second = lastEvent().requestContext.resourceId;
    await fetch(`${api.origin}/dev/plain`);
    const other = lastEvent().requestContext.resourceId;

    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });

  it('gives a null body and isBase64Encoded false when there is no body', async () => {
    await fetch(`${api.origin}/dev/plain`);

    const event = lastEvent();
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes a text body as it was sent', async () => {
    const body = JSON.stringify({ title: 'Sunset', note: 'héllo' });
    await fetch(`${api.origin}/dev/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });

    const event = lastEvent();
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('base64-encodes a body whose Content-Type is a binary media type (exact or wildcard)', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    await fetch(`${api.origin}/dev/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/png' },
      body: bytes,
    });
    const image = lastEvent();
    await fetch(`${api.origin}/dev/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    const octets = lastEvent();

    expect(image.isBase64Encoded).toBe(true);
    expect(Buffer.from(image.body ?? '', 'base64')).toEqual(bytes);
    expect(octets.isBase64Encoded).toBe(true);
    expect(octets.body).toBe(bytes.toString('base64'));
  });

  it('does not base64-encode a body whose Content-Type is not a binary media type', async () => {
    await fetch(`${api.origin}/dev/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: 'a,b',
    });

    expect(lastEvent()).toMatchObject({ body: 'a,b', isBase64Encoded: false });
  });

  it('has the same top-level fields as the test kit’s apiGatewayEvent, so unit-tested handlers see the same shape', async () => {
    await fetch(`${api.origin}/dev/items/9`);

    const event = lastEvent();
    const kitEvent = apiGatewayEvent({ path: '/items/9', resource: '/items/{itemId}' });
    expect(Object.keys(event).sort()).toEqual(Object.keys(kitEvent).sort());
    const kitContextKeys = Object.keys(kitEvent.requestContext).filter((key) => key !== 'authorizer');
    expect(Object.keys(event.requestContext)).toEqual(expect.arrayContaining(kitContextKeys));
  });
});

describe('binary media type */*', () => {
  let api: RunningRestApi;

  beforeAll(async () => {
    api = await startRestApi(
      { echo: { handler: ok, httpEvents: [{ method: 'POST', path: '/anything' }] } },
      { binaryMediaTypes: ['*/*'] },
    );
  });

  afterAll(() => api.close());

  it('base64-encodes every body, JSON included', async () => {
    await fetch(`${api.origin}/dev/anything`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });

    const event = api.events().at(-1);
    expect(event?.isBase64Encoded).toBe(true);
    expect(event?.body).toBe(Buffer.from('{"a":1}').toString('base64'));
  });
});
