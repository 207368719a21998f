// The $connect decision, made while the upgrade request waits for its answer: the route's authorizer (if any)
// first, then the $connect function. A denial, a function error (502), a timeout (504) or a non-2xx statusCode
// refuses the upgrade with that status; an accepted connection keeps the authorizer's principal and context for
// its later events, and gets the subprotocol the function named in Sec-WebSocket-Protocol, if it named one.
import {
  AuthorizerRunner,
  authorizerConfigFor,
  requestContextAuthorizer,
  type AuthorizationOutcome,
} from '../authorizers/authorizer-runner';
import { ACCOUNT_ID } from '../common/account';
import { isRecord } from '../common/records';
import type { ServiceDefinition } from '../config/service-definition';
import type { LambdaService } from '../lambda/lambda-service';
import type { ApiContext } from './api-context';
import type { Connection } from './connection';
import { connectEvent, requestContextFor, type ConnectionContext, type UpgradeRequestParts } from './events';
import { CONNECT, type WebSocketRoute } from './routes';

/** API Gateway's body for a failed $connect or its own failure; the reason goes to local-cloud's log only. */
export const INTERNAL_SERVER_ERROR = '{"message": "Internal server error"}';

export type ConnectDecision =
  | { accept: true; protocol?: string }
  | { accept: false; statusCode: number; body: string; errorType?: string };

export type DecideConnect = (
  connection: Connection,
  request: UpgradeRequestParts,
) => Promise<ConnectDecision>;

export interface ConnectDeciderOptions {
  lambda: LambdaService;
  service: ServiceDefinition;
  /** Runs the $connect authorizer; one is created when the service has one and none is given. */
  authorizers?: AuthorizerRunner;
}

type Authorize = (context: ConnectionContext, request: UpgradeRequestParts) => Promise<AuthorizationOutcome>;

export function createConnectDecider(api: ApiContext, options: ConnectDeciderOptions): DecideConnect {
  const route = api.routes.get(CONNECT);
  const authorize = route ? connectAuthorizer(api, route, options) : undefined;
  return async (connection, request) => {
    const context = contextOf(connection);
    let authorizer: Record<string, unknown> | undefined;
    if (authorize) {
      const outcome = await authorize(context, request);
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
    if (!route) return { accept: true };
    return runConnectFunction(api, route, authorizer ? { ...context, authorizer } : context, request);
  };
}

/** Calls the $connect route's authorizer with the upgrade request; none when the route has no authorizer. */
function connectAuthorizer(
  api: ApiContext,
  route: WebSocketRoute,
  options: ConnectDeciderOptions,
): Authorize | undefined {
  const config = authorizerConfigFor(route.authorizer, {
    functionKey: route.functionKey,
    kind: 'websocket',
    service: options.service,
  });
  if (!config) return undefined;
  const authorizers = options.authorizers ?? new AuthorizerRunner({ lambda: options.lambda, log: api.log });
  return (context, request) =>
    authorizers.authorize(config, {
      methodArn: `arn:aws:execute-api:${api.region}:${ACCOUNT_ID}:${api.apiId}/${api.stage}/${CONNECT}`,
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
        ...requestContextFor(context, { routeKey: CONNECT, eventType: 'CONNECT', now: api.now() }),
      },
    });
}

async function runConnectFunction(
  api: ApiContext,
  route: WebSocketRoute,
  context: ConnectionContext,
  request: UpgradeRequestParts,
): Promise<ConnectDecision> {
  const { integration, log } = api;
  const outcome = await integration.invoke(
    route.functionKey,
    connectEvent(context, request, CONNECT, api.now()),
  );
  if (outcome.kind === 'timeout') {
    log(`WebSocket $connect (${route.functionKey}): ${integration.describeFailure(outcome)}`);
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
}

/**
 * The connection's identity as a plain record: the authorizer's request spreads it, and $connect's event carries
 * the authorizer's whole output (integrationLatency too), not what the connection keeps for its later events.
 */
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

function headerOf(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}
