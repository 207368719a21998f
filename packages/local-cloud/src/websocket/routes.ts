// The WebSocket API's routes, from the functions' `websocket` events as the Serverless Framework v3 reads
// them (`websocket: $connect`, or `websocket: { route, routeResponseSelectionExpression, authorizer }`), and
// the route selection API Gateway applies to each message: the selection expression's value picks the route
// with that exact key, anything else (no match, no value, a message that is not JSON) goes to `$default`.
import type { ServiceDefinition } from '../config/service-definition';

export const CONNECT = '$connect';
export const DISCONNECT = '$disconnect';
export const DEFAULT = '$default';
/** The Serverless Framework's default for `provider.websocketsApiRouteSelectionExpression`. */
export const DEFAULT_ROUTE_SELECTION_EXPRESSION = '$request.body.action';

export interface WebSocketRoute {
  routeKey: string;
  functionKey: string;
  /**
   * A route response (`routeResponseSelectionExpression: $default`): the function's response body is sent
   * back to the client. Without one, the route is one-way and API Gateway discards the response.
   */
  twoWay: boolean;
  /** The raw `authorizer:` value; API Gateway allows one only on `$connect`. */
  authorizer?: unknown;
}

/** A `websocket` event or setting API Gateway would refuse: the message names the function, the field and the fix. */
export class WebSocketConfigError extends Error {
  override readonly name = 'WebSocketConfigError';
  readonly exitCode = 2;
}

export function webSocketRoutes(service: ServiceDefinition): Map<string, WebSocketRoute> {
  const routes = new Map<string, WebSocketRoute>();
  for (const fn of Object.values(service.functions)) {
    fn.events.forEach((event, index) => {
      if (!('websocket' in event)) return;
      const field = `${service.servicePath}/serverless.yml: functions.${fn.key}.events[${index}].websocket`;
      const route = parseWebSocketEvent(event.websocket, fn.key, field);
      const existing = routes.get(route.routeKey);
      if (existing) {
        throw new WebSocketConfigError(
          `${field}: route "${route.routeKey}" is already handled by function "${existing.functionKey}", and a route has one integration. Fix: keep the route on one function.`,
        );
      }
      routes.set(route.routeKey, route);
    });
  }
  return routes;
}

function parseWebSocketEvent(raw: unknown, functionKey: string, field: string): WebSocketRoute {
  if (typeof raw === 'string') return checkedRoute({ routeKey: raw, functionKey, twoWay: false }, field);
  if (typeof raw !== 'object' || raw === null) {
    throw new WebSocketConfigError(
      `${field} is ${JSON.stringify(raw)}. Fix: write \`websocket: $connect\` or \`websocket: { route: sendMessage }\`.`,
    );
  }
  const event = raw as Record<string, unknown>;
  if (typeof event.route !== 'string') {
    throw new WebSocketConfigError(
      `${field} has no route. Fix: add \`route:\` ($connect, $disconnect, $default or a custom key such as sendMessage).`,
    );
  }
  const expression = event.routeResponseSelectionExpression;
  if (expression !== undefined && expression !== DEFAULT) {
    throw new WebSocketConfigError(
      `${field}.routeResponseSelectionExpression is ${JSON.stringify(expression)}, but API Gateway supports only "$default" for WebSocket routes. Fix: write \`routeResponseSelectionExpression: $default\`, or remove it for a one-way route.`,
    );
  }
  return checkedRoute(
    {
      routeKey: event.route,
      functionKey,
      twoWay: expression === DEFAULT,
      ...(event.authorizer === undefined ? {} : { authorizer: event.authorizer }),
    },
    field,
  );
}

function checkedRoute(route: WebSocketRoute, field: string): WebSocketRoute {
  if (route.routeKey === '') {
    throw new WebSocketConfigError(`${field} has an empty route key. Fix: name the route, e.g. sendMessage.`);
  }
  if (route.authorizer !== undefined && route.routeKey !== CONNECT) {
    throw new WebSocketConfigError(
      `${field}: an authorizer on route "${route.routeKey}"; API Gateway WebSocket APIs run authorizers only on $connect. Fix: move the authorizer to the $connect route.`,
    );
  }
  if (route.twoWay && route.routeKey === DISCONNECT) {
    throw new WebSocketConfigError(
      `${field}: $disconnect cannot have a route response (the connection is already closed). Fix: remove routeResponseSelectionExpression.`,
    );
  }
  return route;
}

/**
 * Compiles `$request.body.<path>` (or `${request.body.<path>}`) into a function from a message to the
 * selected route key; undefined when the message is not JSON or the path holds no string, number or boolean.
 */
export function compileRouteSelection(expression: string): (message: string) => string | undefined {
  const match = /^\$(?:request\.body\.([^{}]+)|\{request\.body\.([^{}]+)\})$/.exec(expression.trim());
  const path = (match?.[1] ?? match?.[2])?.split('.');
  if (!path || path.some((segment) => segment === '')) {
    throw new WebSocketConfigError(
      `provider.websocketsApiRouteSelectionExpression is "${expression}", which local-cloud cannot evaluate. Fix: use a body property, e.g. "$request.body.action" or "$request.body.message.type".`,
    );
  }
  return (message) => {
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return undefined;
    }
    for (const segment of path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  };
}

/** The route a message goes to, or undefined when neither its key nor `$default` has a route. */
export function selectRoute(
  routes: ReadonlyMap<string, WebSocketRoute>,
  selectedKey: string | undefined,
): WebSocketRoute | undefined {
  const exact =
    selectedKey === undefined || selectedKey === CONNECT || selectedKey === DISCONNECT
      ? undefined
      : routes.get(selectedKey);
  return exact ?? routes.get(DEFAULT);
}
