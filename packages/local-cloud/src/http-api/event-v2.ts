// The Lambda proxy integration's event in payload format 2.0, the HTTP API's default, field for field as
// http-api-develop-integrations-lambda shows it: lower-case header names, repeated headers and query
// parameters joined with commas, cookies in their own list, raw path and query string beside the parsed ones,
// the stage `$default`. Maps with nothing in them are left out, not `{}` or null, as AWS leaves them out.
import { requestDomain } from '../api-gateway/proxy-event';
import { formatRequestTime } from '../api-gateway/request-time';
import type { HttpApiRequest } from './request';
import type { RouteMatch } from './route-table';

/** What a route's authorizer says about an allowed request. */
export type Authorization =
  | { kind: 'jwt'; claims: Record<string, string>; scopes: string[] | null }
  | { kind: 'lambda'; context: Record<string, unknown>; principalId?: string; integrationLatency: number };

/** What API Gateway knows about the API a request reached. */
export interface HttpApiIdentity {
  accountId: string;
  apiId: string;
  region: string;
}

/** The stage local-cloud serves HTTP APIs at: the framework deploys the `$default` stage, at the root. */
export const HTTP_API_STAGE = '$default';

export interface HttpApiRequestContextV2 {
  accountId: string;
  apiId: string;
  authorizer?: Record<string, unknown>;
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

/** Assignable to @types/aws-lambda's APIGatewayProxyEventV2. */
export interface HttpApiEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: HttpApiRequestContextV2;
  body?: string;
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
}

export function requestContextV2(
  api: HttpApiIdentity,
  request: HttpApiRequest,
  routeKey: string,
): HttpApiRequestContextV2 {
  return {
    accountId: api.accountId,
    apiId: api.apiId,
    ...requestDomain(api, request.host),
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
    },
    requestId: request.requestId,
    routeKey,
    stage: HTTP_API_STAGE,
    time: formatRequestTime(request.receivedAt),
    timeEpoch: request.receivedAt,
  };
}

export function buildEventV2(
  api: HttpApiIdentity,
  request: HttpApiRequest,
  match: RouteMatch,
  authorization?: Authorization,
): HttpApiEventV2 {
  const requestContext = requestContextV2(api, request, match.route.routeKey);
  if (authorization) {
    requestContext.authorizer =
      authorization.kind === 'jwt'
        ? { jwt: { claims: authorization.claims, scopes: authorization.scopes } }
        : { lambda: authorization.context };
  }
  const event: HttpApiEventV2 = {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(request.cookies.length > 0 && { cookies: request.cookies }),
    headers: request.headers,
    ...(request.queryStringParameters && { queryStringParameters: request.queryStringParameters }),
    requestContext,
    ...(request.body.length > 0 && { body: request.body.toString(request.bodyIsBinary ? 'base64' : 'utf8') }),
    ...(match.pathParameters && { pathParameters: match.pathParameters }),
    isBase64Encoded: request.bodyIsBinary,
  };
  return event;
}
