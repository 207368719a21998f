// The Lambda proxy integration's event in payload format 1.0 (`provider.httpApi.payload: '1.0'`): a REST
// API's event, built by the REST API's own builder, with what an HTTP API changes (http-api-develop-
// integrations-lambda): `version: "1.0"`, header names in lower case, the stage `$default` and no stage in
// the path, no deployment, `resourceId` null, decoded path parameters, `&` alone separating query parameters.
import { buildProxyEvent, type RestProxyEvent } from '../api-gateway/proxy-event';
import { parseQueryString } from '../api-gateway/query-string';
import { formatRequestTime } from '../api-gateway/request-time';
import { HTTP_API_STAGE, type Authorization, type HttpApiIdentity } from './event-v2';
import type { HttpApiRequest } from './request';
import type { RouteMatch } from './route-table';

export type HttpApiRequestContextV1 = Omit<
  RestProxyEvent['requestContext'],
  'deploymentId' | 'resourceId' | 'authorizer'
> & {
  resourceId: null;
  authorizer?: Record<string, unknown>;
};

export interface HttpApiEventV1 extends Omit<RestProxyEvent, 'requestContext'> {
  version: '1.0';
  requestContext: HttpApiRequestContextV1;
}

export function buildEventV1(
  api: HttpApiIdentity,
  request: HttpApiRequest,
  match: RouteMatch,
  authorization?: Authorization,
): HttpApiEventV1 {
  const resource = match.route.path ?? request.rawPath;
  const rest = buildProxyEvent(
    { ...api, deploymentId: '', stage: HTTP_API_STAGE },
    {
      httpMethod: request.method,
      path: request.rawPath,
      rawQuery: undefined,
      rawHeaders: request.rawHeaders,
      host: request.host,
      userAgent: request.userAgent,
      httpVersion: request.protocol.slice('HTTP/'.length),
      sourceIp: request.sourceIp,
      localPort: request.localPort,
      encrypted: request.encrypted,
      body: request.body,
      bodyIsBinary: request.bodyIsBinary,
      resourcePath: resource,
      resourceId: '',
      pathParameters: match.pathParameters ?? null,
      requestId: request.requestId,
      extendedRequestId: request.requestId,
      traceId: request.traceId,
      receivedAt: request.receivedAt,
      requestTime: formatRequestTime(request.receivedAt),
    },
  );
  const { accountId, apiId, ...context } = rest.requestContext;
  const query = parseQueryString(request.rawQueryString, '&');
  // In the documented order: the authorizer after the API, resourceId before resourcePath.
  const requestContext: HttpApiRequestContextV1 = {
    accountId,
    apiId,
    ...(authorization && { authorizer: authorizerV1(authorization) }),
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
    extendedRequestId: context.extendedRequestId,
    httpMethod: context.httpMethod,
    identity: context.identity,
    path: request.rawPath,
    protocol: context.protocol,
    requestId: context.requestId,
    requestTime: context.requestTime,
    requestTimeEpoch: context.requestTimeEpoch,
    resourceId: null,
    resourcePath: context.resourcePath,
    stage: HTTP_API_STAGE,
  };
  return {
    version: '1.0',
    resource,
    path: rest.path,
    httpMethod: rest.httpMethod,
    headers: lowerCaseNames(rest.headers),
    multiValueHeaders: lowerCaseNames(rest.multiValueHeaders),
    queryStringParameters: query?.single ?? null,
    multiValueQueryStringParameters: query?.multi ?? null,
    requestContext,
    pathParameters: rest.pathParameters,
    stageVariables: null,
    body: rest.body,
    isBase64Encoded: rest.isBase64Encoded,
  };
}

/** A JWT's claims and scopes; a Lambda authorizer's context, principal and latency, as REST APIs pass them. */
function authorizerV1(authorization: Authorization): Record<string, unknown> {
  if (authorization.kind === 'jwt') return { claims: authorization.claims, scopes: authorization.scopes };
  return {
    ...authorization.context,
    ...(authorization.principalId !== undefined && { principalId: authorization.principalId }),
    integrationLatency: authorization.integrationLatency,
  };
}

function lowerCaseNames<T>(map: Record<string, T>): Record<string, T> {
  const lower = Object.create(null) as Record<string, T>;
  for (const [name, value] of Object.entries(map)) lower[name.toLowerCase()] = value;
  return lower;
}
