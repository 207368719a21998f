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
//
// This file puts the API together from its parts, one job a file: the connections (connection-registry.ts),
// the Lambda integration (integration.ts), the upgrade request (handshake.ts, upgrade.ts) and its $connect
// decision (connect-decision.ts), an open connection (open-connection.ts), its messages (message-routing.ts)
// and its $disconnect (disconnect.ts), and the management API (management-api.ts).
import type { Authorizer } from '../iam/authorizer';
import http from 'node:http';
import { generateApiId } from '../api-gateway/ids';
import type { AccessKeyPair } from '../protocol/sigv4';
import type { AuthorizerRunner } from '../authorizers/authorizer-runner';
import type { ServiceDefinition } from '../config/service-definition';
import { urlHost } from '../http-listener';
import { loadOrCreateCertificates, localTlsDir } from '../tls/local-certificates';
import { listenPlainAndTls } from '../tls/plain-and-tls';
import type { LambdaService } from '../lambda/lambda-service';
import type { ApiContext } from './api-context';
import { createConnectDecider } from './connect-decision';
import { ConnectionRegistry } from './connection-registry';
import { createDisconnect } from './disconnect';
import { Integration } from './integration';
import { createManagementApi } from './management-api';
import { createMessageRouter } from './message-routing';
import { createConnectionOpener } from './open-connection';
import {
  DEFAULT_ROUTE_SELECTION_EXPRESSION,
  compileRouteSelection,
  webSocketRoutes,
  type WebSocketRoute,
} from './routes';
import { createUpgradeHandler } from './upgrade';

export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** API Gateway's integration timeout (50 ms to 29 s). */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

export interface WebSocketApiOptions {
  lambda: LambdaService;
  service: ServiceDefinition;
  /** Checks a function's call against its role (src/iam); absent, every signed call may. */
  authorizer?: Authorizer;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  stage: string;
  region: string;
  /** The key pair whose signatures the management API accepts. */
  credentials: AccessKeyPair;
  /** Where the local certificate authority is kept. Default `<service>/.local-cloud/tls` (localTlsDir). */
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
  /**
   * The @connections management API's handler: the AWS endpoint serves it too, for handlers that call the API
   * at its AWS hostname (`https://<apiId>.execute-api.<region>.amazonaws.com/<stage>`).
   */
  managementApi: http.RequestListener;
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

export async function createWebSocketApi(options: WebSocketApiOptions): Promise<WebSocketApi> {
  const { lambda, service, stage } = options;
  const host = options.host ?? '127.0.0.1';
  const routes = webSocketRoutes(service);
  const selectKey = compileRouteSelection(
    options.routeSelectionExpression ??
      providerRouteSelectionExpression(service) ??
      DEFAULT_ROUTE_SELECTION_EXPRESSION,
  );
  const api: ApiContext = {
    apiId: generateApiId(),
    stage,
    region: options.region,
    routes,
    integration: new Integration(lambda, options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS),
    connections: new ConnectionRegistry(),
    now: options.now ?? Date.now,
    log: options.log ?? (() => {}),
  };
  const decideConnect = createConnectDecider(api, { lambda, service, authorizers: options.authorizers });
  const certificates = await loadOrCreateCertificates(
    options.dataDir ?? localTlsDir(service.servicePath),
    host,
  );
  const disconnect = createDisconnect(api);
  const open = createConnectionOpener(api, {
    timeouts: {
      idleMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      lifetimeMs: options.maxLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS,
    },
    routeMessage: createMessageRouter(api, selectKey),
    disconnect,
  });
  let domainName = '';
  const upgrades = createUpgradeHandler(api, {
    domainName: () => domainName,
    decideConnect,
    disconnect,
    open,
  });
  const management = createManagementApi({
    apiId: api.apiId,
    stage,
    region: api.region,
    credentials: options.credentials,
    authorizer: options.authorizer,
    connections: api.connections.byId,
    now: api.now,
    log: api.log,
  });
  const plain = http.createServer(management);
  plain.on('upgrade', upgrades.onUpgrade);
  // A WebSocket may stay open for hours without a byte: Node's default request timeouts must not end it.
  plain.requestTimeout = 0;
  plain.headersTimeout = 60_000;
  const listener = await listenPlainAndTls({
    port: options.port ?? 0,
    host,
    plain,
    tls: { key: certificates.privateKey, cert: certificates.certificate },
    purpose: 'WebSocket API',
    fix: 'choose another port for the WebSocket API',
  });
  domainName = `${urlHost(host)}:${listener.port}`;

  let stopped: Promise<void> | undefined;
  return {
    url: `ws://${domainName}/${stage}`,
    domainName,
    callbackUrl: `https://${domainName}/${stage}`,
    managementApi: management,
    caCertificateFile: certificates.caCertificateFile,
    caCertificate: certificates.caCertificate,
    apiId: api.apiId,
    routes: [...routes.values()],
    connectionCount: () => api.connections.openCount(),
    stop: () => {
      stopped ??= (async () => {
        api.connections.stop();
        upgrades.close();
        await listener.close();
      })();
      return stopped;
    },
  };
}

/** `provider.websocketsApiRouteSelectionExpression`, when the service definition carries it. */
function providerRouteSelectionExpression(service: ServiceDefinition): string | undefined {
  const provider = service.provider as unknown as Record<string, unknown>;
  const value = provider.websocketsApiRouteSelectionExpression;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
