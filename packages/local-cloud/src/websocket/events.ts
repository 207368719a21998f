// The events a WebSocket API sends its Lambda integrations, field for field as recorded from AWS: CONNECT
// carries the upgrade request's headers and query string, MESSAGE the frame's text, DISCONNECT the close code
// and reason. Every event of a connection carries the authorizer's output when $connect had an authorizer.
import { formatRequestTime } from '../api-gateway/request-time';
import { newEventId } from './ids';

export interface WebSocketIdentity {
  /** Absent when the client sent no User-Agent. */
  userAgent?: string;
  sourceIp: string;
}

export type WebSocketEventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

export interface WebSocketRequestContext {
  routeKey: string;
  /** DISCONNECT only: the WebSocket close code. */
  disconnectStatusCode?: number;
  /** MESSAGE only. */
  messageId?: string;
  /** `{ principalId, ...context }` from the $connect authorizer, on every event of the connection. */
  authorizer?: Record<string, unknown>;
  eventType: WebSocketEventType;
  extendedRequestId: string;
  /** `21/Nov/2026:10:53:32 +0000`. */
  requestTime: string;
  messageDirection: 'IN';
  /** DISCONNECT only: the close reason (`""` when none was given). */
  disconnectReason?: string;
  stage: string;
  /** Epoch ms. */
  connectedAt: number;
  requestTimeEpoch: number;
  identity: WebSocketIdentity;
  requestId: string;
  /** `127.0.0.1:<port>`: `https://${domainName}/${stage}` is the management API's endpoint. */
  domainName: string;
  connectionId: string;
  apiId: string;
}

export interface WebSocketConnectEvent {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  /** Present only when the upgrade request had a query string. */
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  requestContext: WebSocketRequestContext;
  isBase64Encoded: false;
}

export interface WebSocketMessageEvent {
  requestContext: WebSocketRequestContext;
  body: string;
  isBase64Encoded: false;
}

export interface WebSocketDisconnectEvent {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  requestContext: WebSocketRequestContext;
  isBase64Encoded: false;
}

/** What every event of one connection shares. */
export interface ConnectionContext {
  apiId: string;
  stage: string;
  domainName: string;
  connectionId: string;
  connectedAt: number;
  identity: WebSocketIdentity;
  authorizer?: Record<string, unknown>;
}

interface EventSpecifics {
  routeKey: string;
  eventType: WebSocketEventType;
  now: number;
  messageId?: string;
  disconnect?: { statusCode: number; reason: string };
}

export function requestContextFor(
  connection: ConnectionContext,
  event: EventSpecifics,
): WebSocketRequestContext {
  const requestId = newEventId();
  // Key order as AWS writes it, so logged events read the same.
  return {
    routeKey: event.routeKey,
    ...(event.disconnect ? { disconnectStatusCode: event.disconnect.statusCode } : {}),
    ...(event.messageId === undefined ? {} : { messageId: event.messageId }),
    ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
    eventType: event.eventType,
    extendedRequestId: requestId,
    requestTime: formatRequestTime(event.now),
    messageDirection: 'IN',
    ...(event.disconnect ? { disconnectReason: event.disconnect.reason } : {}),
    stage: connection.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: event.now,
    identity: connection.identity,
    requestId,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    apiId: connection.apiId,
  };
}

export interface UpgradeRequestParts {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  query: { single: Record<string, string>; multi: Record<string, string[]> } | null;
}

export function connectEvent(
  connection: ConnectionContext,
  request: UpgradeRequestParts,
  routeKey: string,
  now: number,
): WebSocketConnectEvent {
  return {
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    ...(request.query
      ? {
          queryStringParameters: request.query.single,
          multiValueQueryStringParameters: request.query.multi,
        }
      : {}),
    requestContext: requestContextFor(connection, { routeKey, eventType: 'CONNECT', now }),
    isBase64Encoded: false,
  };
}

export function messageEvent(
  connection: ConnectionContext,
  routeKey: string,
  body: string,
  now: number,
): WebSocketMessageEvent {
  return {
    requestContext: requestContextFor(connection, {
      routeKey,
      eventType: 'MESSAGE',
      now,
      messageId: newEventId(),
    }),
    body,
    isBase64Encoded: false,
  };
}

/**
 * AWS sends $disconnect a fixed set of headers, not the upgrade request's: Host, X-Forwarded-For and the
 * empty `x-api-key` and `x-restapi`.
 */
export function disconnectEvent(
  connection: ConnectionContext,
  host: string,
  disconnect: { statusCode: number; reason: string },
  now: number,
): WebSocketDisconnectEvent {
  const headers: Record<string, string> = {
    Host: host,
    'x-api-key': '',
    'X-Forwarded-For': connection.identity.sourceIp,
    'x-restapi': '',
  };
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    requestContext: requestContextFor(connection, {
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      now,
      disconnect,
    }),
    isBase64Encoded: false,
  };
}

/**
 * The message API Gateway sends a client when it cannot deliver a message: `Forbidden` (no route),
 * `Internal server error` (the integration failed). Spacing as AWS writes it.
 */
export function gatewayErrorMessage(message: string, connectionId: string, requestId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`;
}
