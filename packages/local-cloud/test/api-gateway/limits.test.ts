import { connect } from 'node:net';
import { ok, rawRequest, startRestApi, type RunningRestApi } from './rest-api-harness';

describe('API Gateway request limits', () => {
  let api: RunningRestApi;

  beforeAll(async () => {
    api = await startRestApi({ upload: { handler: ok, httpEvents: [{ method: 'ANY', path: '/upload' }] } });
  });

  afterAll(() => api.close());

  it('refuses a body over 10 MB with 413, before the function runs', async () => {
    const invocationsBefore = api.lambda.invocations.length;

    const response = await fetch(`${api.origin}/dev/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(api.lambda.invocations.length).toBe(invocationsBefore);
  });

  it('refuses headers whose values exceed 10,240 bytes in total, before the function runs', async () => {
    const invocationsBefore = api.lambda.invocations.length;

    const response = await rawRequest(api.port, {
      path: '/dev/upload',
      headers: { 'X-Big-One': 'a'.repeat(6_000), 'X-Big-Two': 'b'.repeat(4_300) },
    });

    expect(response.status).toBe(431);
    expect(response.body.toString()).toBe('HTTP header is larger than 10240 bytes.');
    expect(api.lambda.invocations.length).toBe(invocationsBefore);
  });

  it('accepts headers under the limit', async () => {
    const response = await rawRequest(api.port, {
      path: '/dev/upload',
      headers: { 'X-Big': 'a'.repeat(9_000) },
    });

    expect(response.status).toBe(200);
  });

  it('lets a client go that disconnects halfway through its body, and keeps serving', async () => {
    const invocationsBefore = api.lambda.invocations.length;
    const socket = connect(api.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));

    socket.write('POST /dev/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly ten..');
    await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
    const next = await fetch(`${api.origin}/dev/upload`);

    expect(next.status).toBe(200);
    expect(api.lambda.invocations.length).toBe(invocationsBefore + 1);
    expect(api.logs.filter((line) => line.includes('failed inside local-cloud'))).toEqual([]);
  });
});
