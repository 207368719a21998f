// GET /config: what the single-page app needs to start.
import '../support/env';
import { browserWebSocketUrl, handler } from '../../../src/handlers/get-config';
import { call } from '../support/http';

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
});

describe('GET /config', () => {
  it('names the WebSocket API and the local issuer when no issuer is configured', async () => {
    process.env.WEBSOCKET_URL = 'wss://abc123.execute-api.us-east-1.amazonaws.com/dev';
    process.env.AUTH_ISSUER = '';
    process.env.LOCAL_CLOUD_IDENTITY_ISSUER = 'http://127.0.0.1:3003/';

    const answer = await call(handler, { path: '/config' });

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toEqual({
      websocketUrl: 'wss://abc123.execute-api.us-east-1.amazonaws.com/dev',
      auth: { issuer: 'http://127.0.0.1:3003/', clientId: 'udagram-web', audience: 'udagram' },
    });
  });

  it('prefers the configured issuer, client and audience', async () => {
    Object.assign(process.env, {
      AUTH_ISSUER: 'https://udagram.eu.auth0.com/',
      AUTH_CLIENT_ID: 'spa-client',
      AUTH_AUDIENCE: 'https://api.udagram.example',
    });

    const answer = await call(handler, { path: '/config' });

    expect(answer.body.auth).toEqual({
      issuer: 'https://udagram.eu.auth0.com/',
      clientId: 'spa-client',
      audience: 'https://api.udagram.example',
    });
  });

  it.each([
    ['wss://127.0.0.1:3002/dev', 'ws://127.0.0.1:3002/dev'],
    ['wss://localhost:3002/dev', 'ws://localhost:3002/dev'],
    [
      'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
      'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
    ],
  ])(
    'gives browsers %s as %s (local-cloud’s TLS certificate is not one they trust)',
    (configured, expected) => {
      expect(browserWebSocketUrl(configured)).toBe(expected);
    },
  );
});
