// The DynamoDB endpoint under requests no SDK sends, and when DynamoDB Local behind it fails: every answer is
// DynamoDB's JSON error (`__type`, `message`), never the HTML pages of DynamoDB Local's web server, and the
// reason of a failure, with its stack, goes to local-cloud's log only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoDbService, type DynamoDbService } from '../../src/services/dynamodb';
import { startSignatureProxy } from '../../src/services/dynamodb/signature-proxy';
import { expectInternalErrorMessage, expectNothingInternal } from '../support/leaks';
import { sendRaw, sendSigned, type RawRequest } from '../support/raw-http';
import { credentials, fixtureService } from '../fixtures/dynamodb/service-definition';

const REGION = 'us-east-1';
const JSON_10 = 'application/x-amz-json-1.0';
let dynamodb: DynamoDbService;

beforeAll(async () => {
  dynamodb = await createDynamoDbService({
    service: fixtureService({ service: 'hostile-requests-test' }),
    credentials,
    inMemory: true,
  });
}, 60_000);

afterAll(() => dynamodb?.stop());

const signed = (origin: string, request: RawRequest) =>
  sendSigned(origin, request, { service: 'dynamodb', region: REGION, credentials });

const errorOf = (body: string) => JSON.parse(body) as { __type: string; message?: string; Message?: string };

/** A port nothing listens on: the one a server had until it closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the DynamoDB endpoint, sent what no SDK sends', () => {
  it.each(['/%', '/%E0%A4%A', '/tables%ZZ'])(
    'refuses the malformed escape in %s with a 400 ValidationException in DynamoDB’s format',
    async (path) => {
      const answer = await signed(dynamodb.url, {
        method: 'POST',
        path,
        headers: { 'content-type': JSON_10 },
        body: '{}',
      });

      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe(JSON_10);
      expect(errorOf(answer.body).__type).toMatch(/#ValidationException$/);
      expect(errorOf(answer.body).message).toMatch(/malformed percent-escape.*AWS SDK/);
    },
  );

  it.each(['/../../etc/passwd', '/..%2f..%2fetc%2fpasswd'])(
    'answers %s, which DynamoDB Local’s web server refuses with a page, with a JSON error',
    async (path) => {
      const answer = await signed(dynamodb.url, { path });

      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe(JSON_10);
      expect(errorOf(answer.body).message).toMatch(/DynamoDBClient/);
      expect(answer.body).not.toMatch(/<html|Jetty/i);
      expectNothingInternal(answer.body);
    },
  );

  it('passes on DynamoDB Local’s own JSON error for a body that is not JSON', async () => {
    const answer = await signed(dynamodb.url, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': JSON_10, 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: '{not json',
    });

    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.headers['content-type']).toBe(JSON_10);
    expect(errorOf(answer.body).__type).toMatch(/^com\.amazon/);
    expectNothingInternal(answer.body);
  });

  it('answers an unsigned request with 400 MissingAuthenticationTokenException, whatever its path', async () => {
    const answer = await sendRaw(dynamodb.url, { path: '/../../etc/passwd' });

    expect(answer.status).toBe(400);
    expect(errorOf(answer.body).__type).toMatch(/#MissingAuthenticationTokenException$/);
  });
});

describe('the DynamoDB endpoint, when DynamoDB Local does not answer', () => {
  it('answers 500 with a message that says where the reason is, and logs the reason', async () => {
    const logged: string[] = [];
    const proxy = await startSignatureProxy({
      port: 0,
      backendPort: await closedPort(),
      credentials,
      region: REGION,
      log: (line) => logged.push(line),
    });

    const answer = await signed(`http://127.0.0.1:${proxy.port}`, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': JSON_10, 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    await proxy.close();

    expect(answer.status).toBe(500);
    expect(errorOf(answer.body).__type).toMatch(/#InternalServerError$/);
    expectInternalErrorMessage(errorOf(answer.body).message ?? '');
    expectNothingInternal(answer.body);
    expect(logged).toContainEqual(expect.stringContaining('ECONNREFUSED'));
  });
});

describe('the DynamoDB endpoint, when local-cloud stops with a request in flight', () => {
  it('logs nothing: the request is cut off by the stop, not failed by local-cloud', async () => {
    const logged: string[] = [];
    // A DynamoDB Local that takes the request and never answers, until it goes away as Java does at a stop.
    const backend = createServer(() => undefined);
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    let received: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    backend.on('request', () => received());
    const proxy = await startSignatureProxy({
      port: 0,
      backendPort: (backend.address() as AddressInfo).port,
      credentials,
      region: REGION,
      log: (line) => logged.push(line),
    });

    const answer = signed(`http://127.0.0.1:${proxy.port}`, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': JSON_10, 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    }).catch((error: unknown) => error);
    await arrived;
    await proxy.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));

    // The client lost its connection (no answer at all), and nothing was logged for it.
    expect(await answer).not.toHaveProperty('status');
    expect(logged).toEqual([]);
  });
});
