// What the parts of one WebSocket API share: its identity (the id, stage and region its events and ARNs
// name), its routes, the integration that invokes their functions, its connections, the clock and the log.
// createWebSocketApi builds it once and hands it to each part, so no part reaches into another for them.
import type { ConnectionRegistry } from './connection-registry';
import type { Integration } from './integration';
import type { WebSocketRoute } from './routes';

export interface ApiContext {
  apiId: string;
  stage: string;
  region: string;
  routes: ReadonlyMap<string, WebSocketRoute>;
  integration: Integration;
  connections: ConnectionRegistry;
  /** Epoch ms. */
  now: () => number;
  log: (line: string) => void;
}
