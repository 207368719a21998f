// An API Gateway WebSocket API for the service's `websocket` events, on one port: clients connect with
// `ws://` (or `wss://`) to the stage, and handlers call the management API at the callback URL they build as
// on AWS, `https://${requestContext.domainName}/${requestContext.stage}`, over TLS on that same port.
//
//   upgrade request   the $connect authorizer (if any), then the $connect function; a denial, a function
//                     error (502) or a non-2xx statusCode refuses the upgrade with that status
//   message           routed by the route selection expression (exact key, else $default, else the client
//                     gets {"message": "Forbidden", ...}); a failed function sends "Internal server error";
//                     a route response ($default) sends the function's body back
//   close             $disconnect, best effort, with the close code and reason
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { generateApiId, newTraceId } from '../api-gateway/ids';
import { parseQueryString } from '../api-gateway/query-string';
import { addHeader, parseRequestHeaders } from '../api-gateway/request-headers';
import type { AccessKeyPair } from '../protocol/sigv4';
import {
  AuthorizerRunner,
  authorizerConfigFor,
  requestContextAuthorizer,
  type AuthorizerConfig,
} from '../authorizers/authorizer-runner';
import type { ServiceDefinition } from '../config/service-definition';
import { urlHost } from '../http-listener';
import { errorDetail, logInternalError } from '../http/internal-errors';
import type { LambdaService } from '../lambda/lambda-service';
import { ACCOUNT_ID } from '../common/account';
import { loadOrCreateCertificates } from './certificates';
import { Connection, type CloseDescription } from './connection';
import { listenDual } from './dual-listener';
import {
  connectEvent,
  disconnectEvent,
  gatewayErrorMessage,
  messageEvent,
  requestContextFor,
  type ConnectionContext,
  type UpgradeRequestParts,
} from './events';
import { InboundFrameWatcher, MESSAGE_LIMIT_BYTES } from './frame-limits';
import { newConnectionId, newEventId } from './ids';
import { createManagementApi } from './management-api';
import {
  CONNECT,
  DEFAULT_ROUTE_SELECTION_EXPRESSION,
  DISCONNECT,
  compileRouteSelection,
  selectRoute,
  webSocketRoutes,
  type WebSocketRoute,
} from './routes';
import { isRecord } from '../common/records';

/** API Gateway's body for a failed $connect or its own failure; the reason goes to local-cloud's log only. */
const INTERNAL_SERVER_ERROR = '{"message": "Internal server error"}';

export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** API Gateway's integration timeout (50 ms to 29 s). */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

export interface WebSocketApiOptions {
  lambda: LambdaService;
  service: ServiceDefinition;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  stage: string;
  region: string;
  /** The key pair whose signatures the management API accepts. */
  credentials: AccessKeyPair;
  /** Where the local certificate authority is kept. Default `<service>/.local-cloud/websocket`. */
  dataDir?: string;
  /** Runs the $connect authorizer; one is created when the service has one and none is given. */
  authorizers?: AuthorizerRunner;
  /**
   * `provider.websocketsApiRouteSelectionExpression`. Default: the service's provider setting if present,
   * else `$request.body.action`.
   */
  routeSelectionExpression?: string;
  /** Default 10 minutes. */
  idleTimeoutMs?: number;
  /** Default 2 hours. */
  maxLifetimeMs?: number;
  /** Default 29 s. */
  integrationTimeoutMs?: number;
  /** Function failures, refused connections, undeliverable $disconnect events, the API's own failures. */
  log?: (line: string) => void;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
}

export interface WebSocketApi {
  /** `ws://127.0.0.1:<port>/<stage>`: what clients connect to (`wss://` works on the same port). */
  url: string;
  /** `127.0.0.1:<port>`: requestContext.domainName. */
  domainName: string;
  /** `https://127.0.0.1:<port>/<stage>`: the management API's endpoint, as handlers build it. */
  callbackUrl: string;
  /** The local authority's certificate: give it to functions as NODE_EXTRA_CA_CERTS. */
  caCertificateFile: string;
  /** The same certificate, PEM, for clients in this process (Node reads NODE_EXTRA_CA_CERTS only at start). */
  caCertificate: string;
  apiId: string;
  routes: WebSocketRoute[];
  /** Connections that are open now. */
  connectionCount(): number;
  /** Ends every connection (without $disconnect) and closes the port. */
  stop(): Promise<void>;
}

type InvokeOutcome =
  { kind: 'result'; value: unknown } | { kind: 'error'; reason: string } | { kind: 'timeout' };

type ConnectDecision =
  | { accept: true; protocol?: string }
  | { accept: false; statusCode: number; body: string; errorType?: string };

export async function createWebSocketApi(options: WebSocketApiOptions): Promise<WebSocketApi> {
  const { lambda, service, stage, region } = options;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const timeouts = {
    idleMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    lifetimeMs: options.maxLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS,
  };
  const integrationTimeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;

  const routes = webSocketRoutes(service);
  const selectKey = compileRouteSelection(
    options.routeSelectionExpression ??
      providerRouteSelectionExpression(service) ??
      DEFAULT_ROUTE_SELECTION_EXPRESSION,
  );
  const connectRoute = routes.get(CONNECT);
  const authorizerConfig: AuthorizerConfig | undefined = connectRoute
    ? authorizerConfigFor(connectRoute.authorizer, {
        functionKey: connectRoute.functionKey,
        kind: 'websocket',
        service,
      })
    : undefined;
  const authorizers = authorizerConfig
    ? (options.authorizers ?? new AuthorizerRunner({ lambda, log }))
    : undefined;

  const certificates = await loadOrCreateCertificates(
    options.dataDir ?? path.join(service.servicePath, '.local-cloud', 'websocket'),
    host,
  );
  const apiId = generateApiId();
  const connections = new Map<string, Connection>();
  let stopping = false;
  // The subprotocol $connect chose, per upgrade request: API Gateway selects none unless the function does.
  const protocols = new WeakMap<http.IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // The frame watcher closes with AWS's code and reason first; this bounds what `ws` buffers regardless.
    maxPayload: MESSAGE_LIMIT_BYTES,
    handleProtocols: (_offered, request) => protocols.get(request) ?? false,
  });

  let domainName = '';
  const invoke = (functionKey: string, event: unknown): Promise<InvokeOutcome> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), integrationTimeoutMs);
      lambda.invoke({ functionName: functionKey, payload: JSON.stringify(event) }).then(
        (result) => {
          clearTimeout(timer);
          if (result.functionError) {
            resolve({ kind: 'error', reason: describeFunctionError(result.payload) });
            return;
          }
          resolve({ kind: 'result', value: parseJson(result.payload) });
        },
        (error: unknown) => {
          clearTimeout(timer);
          resolve({ kind: 'error', reason: errorDetail(error) });
        },
      );
    });

  const sendToClient = (connection: Connection, text: string) => {
    connection.lastActiveAt = now();
    connection.send(Buffer.from(text)).catch(() => {});
  };

  const dispatch = async (connection: Connection, body: string) => {
    const route = selectRoute(routes, selectKey(body));
    if (!route) {
      sendToClient(connection, gatewayErrorMessage('Forbidden', connection.connectionId, newEventId()));
      return;
    }
    const event = messageEvent(connection, route.routeKey, body, now());
    const outcome = await invoke(route.functionKey, event);
    if (outcome.kind !== 'result') {
      const problem = outcome.kind === 'timeout' ? 'Endpoint request timed out' : 'Internal server error';
      log(
        `WebSocket ${route.routeKey} (${route.functionKey}) on ${connection.connectionId}: ${
          outcome.kind === 'timeout' ? `no answer within ${integrationTimeoutMs} ms` : outcome.reason
        }`,
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

  const disconnect = async (connection: Connection, close: CloseDescription) => {
    const route = routes.get(DISCONNECT);
    if (!route) return;
    const outcome = await invoke(
      route.functionKey,
      disconnectEvent(connection, connection.host, close, now()),
    );
    if (outcome.kind !== 'result') {
      log(
        `WebSocket $disconnect (${route.functionKey}) on ${connection.connectionId}: ${
          outcome.kind === 'timeout' ? `no answer within ${integrationTimeoutMs} ms` : outcome.reason
        }`,
      );
    }
  };

  const decideConnect = async (
    context: ConnectionContext,
    connection: Connection,
    request: UpgradeRequestParts,
  ): Promise<ConnectDecision> => {
    let authorizer: Record<string, unknown> | undefined;
    if (authorizerConfig && authorizers) {
      const outcome = await authorizers.authorize(authorizerConfig, {
        methodArn: `arn:aws:execute-api:${region}:${ACCOUNT_ID}:${apiId}/${stage}/${CONNECT}`,
        resource: '',
        path: '',
        httpMethod: 'GET',
        headers: request.headers,
        multiValueHeaders: request.multiValueHeaders,
        queryStringParameters: request.query?.single ?? null,
        multiValueQueryStringParameters: request.query?.multi ?? null,
        pathParameters: null,
        stageVariables: null,
        // A plain copy: the runner takes any record, and `context.*` identity sources read it.
        requestContext: {
          ...requestContextFor(context, { routeKey: CONNECT, eventType: 'CONNECT', now: now() }),
        },
      });
      if (!outcome.allowed) {
        return {
          accept: false,
          statusCode: outcome.statusCode,
          body: outcome.body,
          errorType: outcome.errorType,
        };
      }
      authorizer = requestContextAuthorizer(outcome);
      // Later events carry the principal and context; the latency belongs to $connect's authorizer call.
      const { integrationLatency: _latency, ...lasting } = authorizer;
      connection.authorizer = lasting;
    }
    const route = connectRoute;
    if (!route) return { accept: true };
    const outcome = await invoke(
      route.functionKey,
      connectEvent(authorizer ? { ...context, authorizer } : context, request, CONNECT, now()),
    );
    if (outcome.kind === 'timeout') {
      log(`WebSocket $connect (${route.functionKey}): no answer within ${integrationTimeoutMs} ms`);
      return { accept: false, statusCode: 504, body: '{"message": "Endpoint request timed out"}' };
    }
    if (outcome.kind === 'error') {
      log(`WebSocket $connect (${route.functionKey}) refused the connection: ${outcome.reason}`);
      return { accept: false, statusCode: 502, body: INTERNAL_SERVER_ERROR };
    }
    const response = isRecord(outcome.value) ? outcome.value : {};
    const statusCode = response.statusCode;
    if (typeof statusCode === 'number' && (statusCode < 200 || statusCode > 299)) {
      log(`WebSocket $connect (${route.functionKey}) refused the connection with statusCode ${statusCode}`);
      return {
        accept: false,
        statusCode,
        body: typeof response.body === 'string' ? response.body : '',
      };
    }
    const protocol = headerOf(response.headers, 'sec-websocket-protocol');
    return protocol === undefined ? { accept: true } : { accept: true, protocol };
  };

  const established = (connection: Connection, socket: Duplex, ws: WebSocket) => {
    connection.open(ws, timeouts, now);
    const watcher = new InboundFrameWatcher();
    const watch = (chunk: Buffer) => {
      const violation = watcher.push(chunk);
      if (!violation) return;
      socket.removeListener('data', watch);
      connection.closeByGateway({ statusCode: violation.code, reason: violation.reason });
    };
    // Before `ws` reads the same bytes, so an oversized frame is refused before it is buffered or delivered.
    socket.prependListener('data', watch);
    ws.on('message', (data: Buffer) => {
      if (connection.state !== 'open') return;
      connection.lastActiveAt = now();
      void dispatch(connection, data.toString('utf8'));
    });
    ws.on('error', (error) => log(`WebSocket ${connection.connectionId}: ${error.message}`));
    ws.on('close', (code: number, reason: Buffer) => {
      socket.removeListener('data', watch);
      const previousState = connection.state;
      connection.closed();
      connections.delete(connection.connectionId);
      if (stopping || previousState === 'closed') return;
      void disconnect(connection, connection.gatewayClose ?? { statusCode: code, reason: reason.toString() });
    });
  };

  const upgrade = async (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
    if (pathname !== `/${stage}` && pathname !== `/${stage}/`) {
      refuse(socket, 403, '{"message":"Forbidden"}', 'ForbiddenException');
      return;
    }
    if (!isValidHandshake(req)) {
      refuse(socket, 400, '{"message":"Bad Request"}');
      return;
    }
    const connectedAt = now();
    const sourceIp = normalizeIp(req.socket.remoteAddress);
    const userAgent = req.headers['user-agent'];
    const connection = new Connection(
      apiId,
      stage,
      domainName,
      newConnectionId(),
      connectedAt,
      userAgent === undefined ? { sourceIp } : { userAgent, sourceIp },
      req.headers.host ?? domainName,
    );
    const headers = parseRequestHeaders(req.rawHeaders);
    addHeader(headers, 'X-Amzn-Trace-Id', newTraceId(connectedAt), 'keep');
    addHeader(headers, 'X-Forwarded-For', sourceIp, 'append');
    addHeader(headers, 'X-Forwarded-Port', String(req.socket.localPort ?? ''), 'keep');
    addHeader(headers, 'X-Forwarded-Proto', 'encrypted' in req.socket ? 'https' : 'http', 'keep');
    const request: UpgradeRequestParts = {
      headers: headers.single,
      multiValueHeaders: headers.multi,
      query: parseQueryString(queryAt === -1 ? undefined : target.slice(queryAt + 1)),
    };
    // Known but not yet connected: the management API answers 410 until the upgrade completes.
    connections.set(connection.connectionId, connection);
    let decision: ConnectDecision;
    try {
      decision = await decideConnect(contextOf(connection), connection, request);
    } catch (error) {
      connections.delete(connection.connectionId);
      logInternalError(log, req, error);
      refuse(socket, 500, INTERNAL_SERVER_ERROR);
      return;
    }
    if (!decision.accept) {
      connections.delete(connection.connectionId);
      refuse(socket, decision.statusCode, decision.body, decision.errorType);
      return;
    }
    if (stopping || socket.destroyed) {
      // The client left while $connect ran: the function saw a connection that never opened.
      connections.delete(connection.connectionId);
      if (!stopping) void disconnect(connection, { statusCode: 1006, reason: '' });
      return;
    }
    if (decision.protocol !== undefined) protocols.set(req, decision.protocol);
    let upgraded = false;
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      established(connection, socket, ws);
    });
    if (!upgraded) {
      connections.delete(connection.connectionId);
      void disconnect(connection, { statusCode: 1006, reason: '' });
    }
  };

  const listener = await listenDual({
    port: options.port ?? 0,
    host,
    tls: { key: certificates.privateKey, cert: certificates.certificate },
    onRequest: createManagementApi({
      stage,
      region,
      credentials: options.credentials,
      connections,
      now,
      log,
    }),
    onUpgrade: (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      upgrade(req, socket, head).catch((error: unknown) => {
        // The handshake may be answered already: dropping the connection is the one safe answer left.
        logInternalError(log, req, error);
        socket.destroy();
      });
    },
  });
  domainName = `${urlHost(host)}:${listener.port}`;

  let stopped: Promise<void> | undefined;
  return {
    url: `ws://${domainName}/${stage}`,
    domainName,
    callbackUrl: `https://${domainName}/${stage}`,
    caCertificateFile: certificates.caCertificateFile,
    caCertificate: certificates.caCertificate,
    apiId,
    routes: [...routes.values()],
    connectionCount: () => [...connections.values()].filter((c) => c.state === 'open').length,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        for (const connection of connections.values()) connection.terminate();
        connections.clear();
        wss.close();
        await listener.close();
      })();
      return stopped;
    },
  };
}

function contextOf(connection: Connection): ConnectionContext {
  return {
    apiId: connection.apiId,
    stage: connection.stage,
    domainName: connection.domainName,
    connectionId: connection.connectionId,
    connectedAt: connection.connectedAt,
    identity: connection.identity,
  };
}

/** `provider.websocketsApiRouteSelectionExpression`, when the service definition carries it. */
function providerRouteSelectionExpression(service: ServiceDefinition): string | undefined {
  const provider = service.provider as unknown as Record<string, unknown>;
  const value = provider.websocketsApiRouteSelectionExpression;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The checks `ws` makes before upgrading, made before $connect runs so a refused handshake invokes nothing. */
function isValidHandshake(req: http.IncomingMessage): boolean {
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  return (
    req.method === 'GET' &&
    (req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    typeof key === 'string' &&
    /^[+/0-9A-Za-z]{22}==$/.test(key) &&
    (version === '13' || version === '8')
  );
}

function refuse(socket: Duplex, statusCode: number, body: string, errorType?: string): void {
  if (socket.destroyed) return;
  const lines = [
    `HTTP/1.1 ${statusCode} ${http.STATUS_CODES[statusCode] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  if (errorType) lines.push(`x-amzn-ErrorType: ${errorType}`);
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** What a route response sends: the proxy response's body (a string as is, anything else as JSON). */
function responseBody(value: unknown): string | undefined {
  if (!isRecord(value) || value.body === undefined || value.body === null) return undefined;
  return typeof value.body === 'string' ? value.body : JSON.stringify(value.body);
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function describeFunctionError(payload: string): string {
  const error = parseJson(payload);
  if (isRecord(error) && typeof error.errorMessage === 'string') {
    return `${typeof error.errorType === 'string' ? error.errorType : 'Error'}: ${error.errorMessage}`;
  }
  return payload;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function normalizeIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
