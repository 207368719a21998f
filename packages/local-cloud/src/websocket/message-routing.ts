// A client's message to its route, as API Gateway routes it: the route selection expression's value picks the
// route with that exact key, else $default, else the client gets {"message": "Forbidden", ...}. A failed
// function sends the client "Internal server error" (a timeout "Endpoint request timed out") with the event's
// requestId, the reason going to local-cloud's log only; a route response ($default) sends the function's body
// back, and a one-way route sends nothing.
import { isRecord } from '../common/records';
import type { ApiContext } from './api-context';
import type { Connection } from './connection';
import { gatewayErrorMessage, messageEvent } from './events';
import { newEventId } from './ids';
import { selectRoute } from './routes';

/** Delivers one text message a client sent; resolves once it is answered (or has no answer). */
export type RouteMessage = (connection: Connection, body: string) => Promise<void>;

export function createMessageRouter(
  api: ApiContext,
  selectKey: (message: string) => string | undefined,
): RouteMessage {
  const { integration, log, now } = api;
  const sendToClient = (connection: Connection, text: string) => {
    connection.lastActiveAt = now();
    connection.send(Buffer.from(text)).catch(() => {});
  };
  return async (connection, body) => {
    const route = selectRoute(api.routes, selectKey(body));
    if (!route) {
      sendToClient(connection, gatewayErrorMessage('Forbidden', connection.connectionId, newEventId()));
      return;
    }
    const event = messageEvent(connection, route.routeKey, body, now());
    const outcome = await integration.invoke(route.functionKey, event);
    if (outcome.kind !== 'result') {
      const problem = outcome.kind === 'timeout' ? 'Endpoint request timed out' : 'Internal server error';
      log(
        `WebSocket ${route.routeKey} (${route.functionKey}) on ${connection.connectionId}: ${integration.describeFailure(outcome)}`,
      );
      sendToClient(
        connection,
        gatewayErrorMessage(problem, connection.connectionId, event.requestContext.requestId),
      );
      return;
    }
    if (!route.twoWay) return;
    const reply = responseBody(outcome.value);
    if (reply !== undefined) sendToClient(connection, reply);
  };
}

/** What a route response sends: the proxy response's body (a string as is, anything else as JSON). */
function responseBody(value: unknown): string | undefined {
  if (!isRecord(value) || value.body === undefined || value.body === null) return undefined;
  return typeof value.body === 'string' ? value.body : JSON.stringify(value.body);
}
