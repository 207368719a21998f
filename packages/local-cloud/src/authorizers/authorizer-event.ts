// The request an authorizer judges, its identity (the values of its identity sources, which also key the
// cache), and the event its function receives, in the shapes of api-gateway-lambda-authorizer-input (REST)
// and apigateway-websocket-api-lambda-auth (WebSocket `$connect`).
import type { AuthorizerConfig } from './authorizer-config';

export interface AuthorizationRequest {
  /**
   * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}` (path without its leading
   * slash; `.../dev/GET/` for the root); WebSocket: `.../{stage}/$connect`.
   */
  methodArn: string;
  /** The resource template, `/groups/{groupId}`. Ignored for WebSocket. */
  resource: string;
  /** The request path after the stage, `/groups/42`. Ignored for WebSocket. */
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  /** The proxy event's requestContext (without `authorizer`); `context.*` identity sources read it. */
  requestContext: Record<string, unknown>;
}

export interface TokenAuthorizerEvent {
  type: 'TOKEN';
  authorizationToken: string;
  methodArn: string;
}

export interface RequestAuthorizerEvent {
  type: 'REQUEST';
  methodArn: string;
  resource?: string;
  path?: string;
  httpMethod?: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters?: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown>;
}

export type AuthorizerEvent = TokenAuthorizerEvent | RequestAuthorizerEvent;

export type Identity = { ok: true; values: string[] } | { ok: false; missing: string };

/**
 * The values of the authorizer's identity sources, in order. Any source that is absent or empty makes the
 * request unauthorized before the function runs (API Gateway checks every one, "present, not null and
 * non-empty"). Header names match case-insensitively; query string names exactly.
 */
export function identityOf(config: AuthorizerConfig, request: AuthorizationRequest): Identity {
  const values: string[] = [];
  for (const source of config.identitySources) {
    const value = identityValue(source, request);
    if (value === undefined || value === '') return { ok: false, missing: source };
    values.push(value);
  }
  return { ok: true, values };
}

function identityValue(source: string, request: AuthorizationRequest): string | undefined {
  const [, where, name] = /^(?:method|route)\.request\.([a-z]+)\.(.+)$/.exec(source) ?? [];
  if (where !== undefined && name !== undefined) {
    switch (where) {
      case 'header':
        return lookupIgnoringCase(request.headers, name);
      case 'multivalueheader':
        return lookupIgnoringCase(request.multiValueHeaders, name)?.join(',');
      case 'querystring':
        return request.queryStringParameters?.[name];
      case 'multivaluequerystring':
        return request.multiValueQueryStringParameters?.[name]?.join(',');
      default:
        return undefined;
    }
  }
  if (source.startsWith('stageVariables.')) {
    return request.stageVariables?.[source.slice('stageVariables.'.length)];
  }
  if (source.startsWith('context.')) {
    let value: unknown = request.requestContext;
    for (const part of source.slice('context.'.length).split('.')) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    }
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
  }
  return undefined;
}

function lookupIgnoringCase<T>(map: Record<string, T>, name: string): T | undefined {
  if (Object.hasOwn(map, name)) return map[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(map)) if (key.toLowerCase() === lower) return map[key];
  return undefined;
}

export function tokenEvent(token: string, methodArn: string): TokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}

/** A WebSocket `$connect` authorizer gets no resource, path, method or path parameters: the path is fixed. */
export function requestEvent(
  config: AuthorizerConfig,
  request: AuthorizationRequest,
): RequestAuthorizerEvent {
  const common = {
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: request.queryStringParameters,
    multiValueQueryStringParameters: request.multiValueQueryStringParameters,
  };
  if (isWebSocket(config, request)) {
    return {
      type: 'REQUEST',
      methodArn: request.methodArn,
      ...common,
      stageVariables: request.stageVariables,
      requestContext: request.requestContext,
    };
  }
  return {
    type: 'REQUEST',
    methodArn: request.methodArn,
    resource: request.resource,
    path: request.path,
    httpMethod: request.httpMethod,
    ...common,
    pathParameters: request.pathParameters,
    stageVariables: request.stageVariables,
    requestContext: request.requestContext,
  };
}

function isWebSocket(config: AuthorizerConfig, request: AuthorizationRequest): boolean {
  return config.api === 'websocket' || (config.api === undefined && request.methodArn.endsWith('/$connect'));
}
