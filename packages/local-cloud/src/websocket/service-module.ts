// The WebSocket API as a platform service: its own port (clients and the @connections management API over
// HTTPS with a local certificate authority), run only when functions have `websocket` events.
import { optionalServiceModule } from '../platform/service-contract';
import type * as WebSocketModule from './websocket-api';

// Loaded only for a service with `websocket` events: certificate generation is heavy to load.
/* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as explained above */
const loadWebSocketApi = () => require('./websocket-api') as typeof WebSocketModule;

export const webSocketModule = optionalServiceModule({
  key: 'webSocket',
  runsFor: (service) =>
    Object.values(service.functions).some((fn) => fn.events.some((event) => 'websocket' in event)),
  start: (context) =>
    loadWebSocketApi().createWebSocketApi({
      lambda: context.lambda,
      service: context.service,
      port: context.ports.websocket ?? 0,
      host: context.host,
      stage: context.service.provider.stage,
      region: context.region,
      credentials: context.credentials,
      log: context.log,
    }),
  // The management endpoint is HTTPS with a local certificate authority, which functions must trust.
  environment: (webSocket) => ({ NODE_EXTRA_CA_CERTS: webSocket.caCertificateFile }),
  resourceFacts: (webSocket, context) =>
    Promise.resolve({
      webSocket: {
        apiId: webSocket.apiId,
        domainName: webSocket.domainName,
        stage: context.service.provider.stage,
      },
    }),
  endpoints: (webSocket) => ({
    endpoints: { websocket: webSocket.url },
    websocket: {
      url: webSocket.url,
      callbackUrl: webSocket.callbackUrl,
      apiId: webSocket.apiId,
      caCertificateFile: webSocket.caCertificateFile,
    },
  }),
  summary: (webSocket) => [
    { name: 'WebSocket API', where: webSocket.url, detail: `callback ${webSocket.callbackUrl}` },
  ],
});
