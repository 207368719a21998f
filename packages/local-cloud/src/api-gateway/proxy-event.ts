// The Lambda proxy integration's event (payload format 1.0), field for field as a REST API sends it: the
// shape of events recorded from AWS (LocalStack's AWS-validated snapshots), absent maps as null.
import { addHeader, parseRequestHeaders } from './request-headers';
import { parseQueryString } from './query-string';

export interface RestProxyIdentity {
  accessKey: null;
  accountId: null;
  caller: null;
  cognitoAuthenticationProvider: null;
  cognitoAuthenticationType: null;
  cognitoIdentityId: null;
  cognitoIdentityPoolId: null;
  principalOrgId: null;
  sourceIp: string;
  user: null;
  userAgent: string | null;
  userArn: null;
}

export interface RestProxyRequestContext {
  accountId: string;
  apiId: string;
  deploymentId: string;
  domainName: string;
  domainPrefix: string;
  extendedRequestId: string;
  httpMethod: string;
  identity: RestProxyIdentity;
  /** With the stage: `/dev/groups/42`. */
  path: string;
  protocol: string;
  requestId: string;
  /** `21/Nov/2026:10:53:32 +0000`. */
  requestTime: string;
  requestTimeEpoch: number;
  resourceId: string;
  resourcePath: string;
  stage: string;
  /** From a Lambda authorizer: its context values (stringified), principalId, integrationLatency. */
  authorizer?: Record<string, string | number>;
}

/** Assignable to @types/aws-lambda's APIGatewayProxyEvent except that `authorizer` is absent, as on AWS. */
export interface RestProxyEvent {
  resource: string;
  /** Without the stage, still percent-encoded: `/groups/42`. */
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: null;
  requestContext: RestProxyRequestContext;
  body: string | null;
  isBase64Encoded: boolean;
}

/** What API Gateway knows about the API a request reached. */
export interface ApiIdentity {
  accountId: string;
  apiId: string;
  deploymentId: string;
  region: string;
  stage: string;
}

export interface ProxyRequest {
  httpMethod: string;
  /** After the stage, percent-encoded, at least `/`. */
  path: string;
  rawQuery: string | undefined;
  rawHeaders: readonly string[];
  host: string | undefined;
  userAgent: string | undefined;
  httpVersion: string;
  sourceIp: string;
  localPort: number;
  encrypted: boolean;
  body: Buffer;
  bodyIsBinary: boolean;
  resourcePath: string;
  resourceId: string;
  pathParameters: Record<string, string> | null;
  requestId: string;
  extendedRequestId: string;
  traceId: string;
  receivedAt: number;
  requestTime: string;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * `requestContext.domainName` and `domainPrefix`: the Host the client used, port included, so that
 * `https://${domainName}/${stage}` callback URLs and SDK clients built from the event reach this emulator, as
 * they reach API Gateway on AWS. An IP address has no prefix of its own: the API's id stands in.
 */
export function requestDomain(
  api: Pick<ApiIdentity, 'apiId' | 'region'>,
  host: string | undefined,
): { domainName: string; domainPrefix: string } {
  const domainName = host ?? `${api.apiId}.execute-api.${api.region}.amazonaws.com`;
  const hostname = domainName.replace(/:\d+$/, '');
  const domainPrefix =
    IPV4.test(hostname) || hostname.startsWith('[') ? api.apiId : (hostname.split('.')[0] ?? '');
  return { domainName, domainPrefix };
}

export function buildProxyEvent(api: ApiIdentity, request: ProxyRequest): RestProxyEvent {
  const headers = parseRequestHeaders(request.rawHeaders);
  // Added by API Gateway's front end before the integration sees the request.
  addHeader(headers, 'X-Amzn-Trace-Id', request.traceId, 'keep');
  addHeader(headers, 'X-Forwarded-For', request.sourceIp, 'append');
  addHeader(headers, 'X-Forwarded-Port', String(request.localPort), 'keep');
  addHeader(headers, 'X-Forwarded-Proto', request.encrypted ? 'https' : 'http', 'keep');
  const query = parseQueryString(request.rawQuery);
  const { domainName, domainPrefix } = requestDomain(api, request.host);
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query?.single ?? null,
    multiValueQueryStringParameters: query?.multi ?? null,
    pathParameters: request.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      deploymentId: api.deploymentId,
      domainName,
      domainPrefix,
      extendedRequestId: request.extendedRequestId,
      httpMethod: request.httpMethod,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: request.userAgent ?? null,
        userArn: null,
      },
      path: `/${api.stage}${request.path}`,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: request.requestId,
      requestTime: request.requestTime,
      requestTimeEpoch: request.receivedAt,
      resourceId: request.resourceId,
      resourcePath: request.resourcePath,
      stage: api.stage,
    },
    body: request.body.length === 0 ? null : request.body.toString(request.bodyIsBinary ? 'base64' : 'utf8'),
    isBase64Encoded: request.bodyIsBinary && request.body.length > 0,
  };
}
