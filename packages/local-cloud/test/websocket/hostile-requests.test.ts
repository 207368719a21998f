// The WebSocket API and its @connections management API under requests no client or SDK sends, and under
// their own failures: answers are API Gateway's short JSON errors, and local-cloud's stack and the machine's
// paths go to its log only.
import { Connection } from '../../src/websocket/connection';
import { diskError, expectNothingInternal, loggedWithStack } from '../support/leaks';
import { sendRaw, sendSigned, type RawRequest } from '../support/raw-http';
import {
  connect,
  connectedClient,
  CREDENTIALS,
  refusedUpgrade,
  REGION,
  startApi,
  type Harness,
} from './websocket-harness';

let harness: Harness;
let origin: string;

beforeAll(async () => {
  harness = await startApi('ws-hostile-requests', {
    onConnect: { events: ['$connect'] },
    onDefault: { events: ['$default'] },
  });
  origin = harness.api.url.replace(/^ws:/, 'http:').replace(/\/dev$/, '');
});

afterAll(() => harness.stop());

const signed = (request: RawRequest) =>
  sendSigned(origin, request, { service: 'execute-api', region: REGION, credentials: CREDENTIALS });

describe('the management API, sent what no SDK sends', () => {
  it.each(['/%', '/%E0%A4%A', '/dev/@connections/%E0%A4%A', '/../../etc/passwd', '/..%2f..%2fetc%2fpasswd'])(
    'answers %s unsigned with 403 Missing Authentication Token',
    async (target) => {
      const answer = await sendRaw(origin, { method: 'POST', path: target, body: 'hello' });

      expect(answer.status).toBe(403);
      expect(answer.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expectNothingInternal(answer.body);
    },
  );

  it.each(['/dev/@connections/%E0%A4%A', '/dev/%40connections/abc%ZZ', '/dev/@connections/../../etc/passwd'])(
    'answers %s signed with 403 Forbidden, as for any path it does not serve',
    async (target) => {
      const answer = await signed({ method: 'POST', path: target, body: 'hello' });

      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ message: 'Forbidden' });
    },
  );
});

describe('the WebSocket API, sent upgrades no client sends', () => {
  it.each(['/%E0%A4%A', '/dev%ZZ', '/dev/..%2f..%2fetc%2fpasswd'])(
    'refuses an upgrade to %s with 403 Forbidden',
    async (target) => {
      const refused = await refusedUpgrade(`${harness.api.url.replace(/\/dev$/, '')}${target}`);

      expect(refused.statusCode).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ message: 'Forbidden' });
    },
  );
});

describe('the WebSocket API, failing itself', () => {
  it('refuses an upgrade with 502 Internal server error when Lambda cannot run $connect, and logs why', async () => {
    jest.spyOn(harness.lambda, 'invoke').mockRejectedValueOnce(diskError());

    const refused = await refusedUpgrade(harness.api.url);

    expect(refused.statusCode).toBe(502);
    expect(JSON.parse(refused.body)).toEqual({ message: 'Internal server error' });
    expect(loggedWithStack(harness.gatewayLog)).toBe(true);
  });

  it('drops a connection it fails to open, and logs why', async () => {
    harness.gatewayLog.length = 0;
    jest.spyOn(Connection.prototype, 'open').mockImplementationOnce(() => {
      throw diskError();
    });

    const closed = await connect(harness.api.url).then((client) => client.closed);

    expect(closed.code).toBe(1006);
    expect(loggedWithStack(harness.gatewayLog)).toBe(true);
  });

  it('answers 500 Internal server error when the management API fails, and logs why', async () => {
    harness.gatewayLog.length = 0;
    const { client, connectionId } = await connectedClient(harness);
    jest.spyOn(Connection.prototype, 'closeByGateway').mockImplementationOnce(() => {
      throw diskError();
    });

    const answer = await signed({ method: 'DELETE', path: `/dev/@connections/${connectionId}` });
    await client.close();

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Internal server error' });
    expect(loggedWithStack(harness.gatewayLog)).toBe(true);
  });
});
