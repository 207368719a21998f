import { rawRequest, startRestApi, type RunningRestApi } from './rest-api-harness';

/** The route /dev/respond returns whatever the test puts in `nextResult`. */
let nextResult: unknown;

describe('the HTTP response made from a function’s result', () => {
  let api: RunningRestApi;

  beforeAll(async () => {
    api = await startRestApi(
      {
        respond: {
          handler: () => Promise.resolve(nextResult),
          httpEvents: [{ method: 'ANY', path: '/respond' }],
        },
        fail: {
          handler: () => Promise.reject(new TypeError('Cannot read properties of undefined')),
          httpEvents: [{ method: 'GET', path: '/fail' }],
        },
      },
      { binaryMediaTypes: ['image/png'] },
    );
  });

  afterAll(() => api.close());

  const respondWith = (result: unknown, init?: RequestInit) => {
    nextResult = result;
    return fetch(`${api.origin}/dev/respond`, init);
  };

  const expectInternalServerError = async (response: Response) => {
    expect(response.status).toBe(502);
    expect(await response.text()).toBe('{"message": "Internal server error"}');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  };

  it('sends the status code, headers and body the function returned', async () => {
    const response = await respondWith({
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' },
      body: 'created',
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.headers.get('x-custom')).toBe('yes');
    expect(await response.text()).toBe('created');
  });

  it('adds x-amzn-RequestId and x-amz-apigw-id to the function’s response', async () => {
    const response = await respondWith({ statusCode: 200, body: '{}' });

    const event = api.events().at(-1);
    expect(response.headers.get('x-amzn-requestid')).toBe(event?.requestContext.requestId);
    expect(response.headers.get('x-amz-apigw-id')).toBe(event?.requestContext.extendedRequestId);
  });

  it('defaults Content-Type to application/json when the function sets none', async () => {
    const response = await respondWith({ statusCode: 200, body: '{"a":1}' });

    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('answers 502 Internal server error when the result has no statusCode, without passing its headers on', async () => {
    const response = await respondWith({ headers: { 'X-Only': 'headers' } });

    expect(response.status).toBe(502);
    expect(response.headers.get('x-only')).toBeNull();
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('accepts a numeric string statusCode', async () => {
    const response = await respondWith({ statusCode: '202', body: '' });

    expect(response.status).toBe(202);
  });

  it('sends boolean and number header values as text', async () => {
    const response = await respondWith({
      statusCode: 200,
      headers: { 'X-Flag': true, 'X-Count': 3 },
      body: '',
    });

    expect(response.headers.get('x-flag')).toBe('true');
    expect(response.headers.get('x-count')).toBe('3');
  });

  it('sends every value of multiValueHeaders, Set-Cookie included', async () => {
    const response = await respondWith({
      statusCode: 200,
      multiValueHeaders: { 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/'], 'X-Tags': ['x', 'y'] },
      body: '',
    });

    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(response.headers.get('x-tags')).toBe('x, y');
  });

  it('merges headers and multiValueHeaders; where both name a header, in any case, multiValueHeaders wins', async () => {
    const response = await respondWith({
      statusCode: 200,
      headers: { 'x-solo': 'solo', 'x-both': 'from-headers' },
      multiValueHeaders: { 'X-Both': ['from-multi'] },
      body: '',
    });

    expect(response.headers.get('x-solo')).toBe('solo');
    expect(response.headers.get('x-both')).toBe('from-multi');
  });

  it('renames Date, Server, Connection and Content-Length set by the function to x-amzn-Remapped-*', async () => {
    nextResult = {
      statusCode: 200,
      headers: { Date: 'yesterday', Server: 'my-server', 'Content-Length': '999' },
      body: 'four',
    };
    const response = await rawRequest(api.port, { path: '/dev/respond' });

    expect(response.headers['x-amzn-remapped-date']).toBe('yesterday');
    expect(response.headers['x-amzn-remapped-server']).toBe('my-server');
    expect(response.headers['x-amzn-remapped-content-length']).toBe('999');
    expect(response.headers['content-length']).toBe('4');
    expect(response.body.toString()).toBe('four');
  });

  it('sends no body for a 204', async () => {
    const response = await respondWith({ statusCode: 204 });

    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('decodes an isBase64Encoded body to bytes when the first Accept type is a binary media type', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]);
    const response = await respondWith(
      {
        statusCode: 200,
        headers: { 'Content-Type': 'image/png' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      },
      { headers: { Accept: 'image/png' } },
    );

    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('sends the base64 text itself when the first Accept type is not a binary media type, as API Gateway does', async () => {
    const base64 = Buffer.from('binary').toString('base64');
    const response = await respondWith(
      { statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: base64, isBase64Encoded: true },
      { headers: { Accept: 'text/html,image/png' } },
    );

    expect(await response.text()).toBe(base64);
  });

  it('answers 500 when an isBase64Encoded body to decode is not base64', async () => {
    const response = await respondWith(
      { statusCode: 200, body: 'not base64!', isBase64Encoded: true },
      { headers: { Accept: 'image/png' } },
    );

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  describe('a malformed result: 502 Internal server error, and the reason in the log', () => {
    it.each([
      ['a body that is not a string', { statusCode: 200, body: { a: 1 } }, 'body is an object'],
      [
        'a field API Gateway does not know',
        { statusCode: 200, body: '', wrongValue: 'x' },
        'unexpected field wrongValue',
      ],
      ['a statusCode that is not a number', { statusCode: 'test' }, 'statusCode is "test"'],
      ['a statusCode outside 100-599', { statusCode: 42 }, 'statusCode is 42'],
      [
        'a multiValueHeaders entry that is not a list',
        { statusCode: 200, multiValueHeaders: { a: 'b' } },
        'multiValueHeaders.a',
      ],
      ['headers that are not an object', { statusCode: 200, headers: ['a'] }, 'headers is an array'],
      [
        'a header value that is an object',
        { statusCode: 200, headers: { a: { b: 1 } } },
        'headers.a is an object',
      ],
      [
        'isBase64Encoded that is not a boolean',
        { statusCode: 200, isBase64Encoded: 'yes' },
        'isBase64Encoded',
      ],
      ['a string instead of an object', 'justAString', 'the function returned the string "justAString"'],
      ['nothing (undefined)', undefined, 'the function returned null'],
      ['an array', [1, 2], 'the function returned an array'],
    ])('%s', async (_case, result, reason) => {
      const response = await respondWith(result);

      await expectInternalServerError(response);
      const line = api.logs.at(-1) ?? '';
      expect(line).toContain('Execution failed due to configuration error: Malformed Lambda proxy response');
      expect(line).toContain(reason);
      expect(line).toContain('GET /dev/respond (respond)');
    });
  });

  it('answers 502 Internal server error when the function throws, and logs its error', async () => {
    const response = await fetch(`${api.origin}/dev/fail`);

    await expectInternalServerError(response);
    expect(api.logs.at(-1)).toMatch(
      /Lambda execution failed with status 200 due to customer function error: TypeError: Cannot read properties of undefined\. Lambda request id: [0-9a-f-]{36}/,
    );
  });
});
