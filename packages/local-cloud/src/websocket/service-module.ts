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
  start: async (context) => {
    const api = await loadWebSocketApi().createWebSocketApi({
      lambda: context.lambda,
      service: context.service,
      port: context.ports.websocket ?? 0,
      host: context.host,
      stage: context.service.provider.stage,
      region: context.region,
      credentials: context.credentials,
      authorizer: context.authorizer,
      log: context.log,
    });
    // The management API answers on the AWS endpoint too: a handler that calls it at its AWS hostname
    // (`https://<apiId>.execute-api.<region>.amazonaws.com/<stage>`) reaches the edge (sandbox-aws-hosts.js).
    const onEdge = context.edge.mountApiHost(api.apiId);
    onEdge.attach(api.managementApi);
    return {
      ...api,
      stop: async () => {
        await onEdge.close();
        await api.stop();
      },
    };
  },
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
