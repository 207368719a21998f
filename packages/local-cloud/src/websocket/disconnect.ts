// $disconnect, best effort as on AWS: once a connection $connect accepted has ended (closed by the client or
// the gateway, or gone while $connect still ran), its function gets the close code and reason. Nobody is left
// to tell of a failure, so it goes to local-cloud's log only.
import type { ApiContext } from './api-context';
import type { CloseDescription, Connection } from './connection';
import { disconnectEvent } from './events';
import { DISCONNECT } from './routes';

export type Disconnect = (connection: Connection, close: CloseDescription) => Promise<void>;

export function createDisconnect(api: ApiContext): Disconnect {
  const { integration, log, now } = api;
  return async (connection, close) => {
    const route = api.routes.get(DISCONNECT);
    if (!route) return;
    const outcome = await integration.invoke(
      route.functionKey,
      disconnectEvent(connection, connection.host, close, now()),
    );
    if (outcome.kind !== 'result') {
      log(
        `WebSocket $disconnect (${route.functionKey}) on ${connection.connectionId}: ${integration.describeFailure(outcome)}`,
      );
    }
  };
}
