// GET /config: what the single-page app needs to know at start: where the WebSocket API is and which
// issuer signs users in. Public: it holds no secret.
import { httpHandler, json } from './http';

export const handler = httpHandler(async () =>
  json(200, {
    websocketUrl: browserWebSocketUrl(process.env.WEBSOCKET_URL ?? ''),
    auth: {
      issuer: process.env.AUTH_ISSUER || process.env.LOCAL_CLOUD_IDENTITY_ISSUER || '',
      clientId: process.env.AUTH_CLIENT_ID || 'udagram-web',
      audience: process.env.AUTH_AUDIENCE || 'udagram',
    },
  }),
);

/**
 * WEBSOCKET_URL is the API's `wss://{api-id}.execute-api.{region}.amazonaws.com/{stage}` (serverless.yml
 * builds it from the WebSocket API's ApiEndpoint). On local-cloud it names the local WebSocket port, which
 * speaks both plain `ws://` and TLS; its certificate comes from local-cloud's own authority, which browsers
 * do not trust, so a loopback address gets `ws://`.
 */
export function browserWebSocketUrl(configured: string): string {
  return /^wss:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(configured)
    ? configured.replace(/^wss:/, 'ws:')
    : configured;
}
