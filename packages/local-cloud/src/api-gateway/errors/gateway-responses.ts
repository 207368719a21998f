// The responses API Gateway writes itself instead of the function's: the defaults of an API that configures
// no gateway responses. They carry no CORS headers, so a browser reports them as CORS errors, as on AWS.
import type { ServerResponse } from 'node:http';

export interface GatewayResponse {
  readonly status: number;
  /** x-amzn-ErrorType. Rejections at AWS's front door (request too large) carry none. */
  readonly errorType?: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The ids API Gateway stamps on every response it sends after accepting the request. */
export interface ResponseIds {
  requestId: string;
  extendedRequestId: string;
}

function json(status: number, errorType: string, body: string): GatewayResponse {
  return { status, errorType, contentType: 'application/json', body: Buffer.from(body) };
}

function plainText(status: number, body: string): GatewayResponse {
  return { status, contentType: 'text/plain', body: Buffer.from(body) };
}

/** 10 MB: API Gateway's request payload quota for REST APIs. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's quota on the request line and header values together. */
export const MAX_HEADER_BYTES = 10_240;

// Bodies keep AWS's exact text, spacing included: clients that compare strings see what they see on AWS.
export const gatewayResponses = {
  /** No resource, no method on it, or the wrong stage: API Gateway cannot tell these apart from a missing key. */
  missingAuthenticationToken: json(
    403,
    'MissingAuthenticationTokenException',
    '{"message":"Missing Authentication Token"}',
  ),
  /** The body does not match the method's request model. */
  invalidRequestBody: json(400, 'BadRequestException', '{"message": "Invalid request body"}'),
  /** Lambda refused the invocation (throttled, unknown function, event too large): 500, not the 429. */
  invocationRejected: json(500, 'InternalServerErrorException', '{"message": "Internal server error"}'),
  /** API_CONFIGURATION_ERROR: for a proxy integration, a binary body that is not valid base64. */
  apiConfigurationError: json(500, 'InternalServerErrorException', '{"message": "Internal server error"}'),
  /** The function ran but threw, or returned something that is not a proxy response. */
  integrationFailed: json(502, 'InternalServerErrorException', '{"message": "Internal server error"}'),
  /** The integration did not answer within its timeout (29 s unless configured lower). */
  integrationTimeout: json(504, 'InternalServerErrorException', '{"message": "Endpoint request timed out"}'),
  /** Observed on AWS for an 11 MB body: plain text, no request id. */
  requestTooLarge: plainText(413, `HTTP content length exceeded ${MAX_REQUEST_BODY_BYTES} bytes.`),
  /** AWS's text for headers over the quota. AWS documents no status for it; 431 is what Node itself sends. */
  headersTooLarge: plainText(431, `HTTP header is larger than ${MAX_HEADER_BYTES} bytes.`),
} as const satisfies Record<string, GatewayResponse>;

export function sendGatewayResponse(
  res: ServerResponse,
  response: GatewayResponse,
  ids?: ResponseIds,
  /** The service's gateway response headers (CORS), from GatewayResponses.customize(). */
  extraHeaders: Record<string, string> = {},
): void {
  const headers: string[] = [
    'Content-Type',
    response.contentType,
    'Content-Length',
    String(response.body.length),
  ];
  if (ids) headers.push('x-amzn-RequestId', ids.requestId, 'x-amz-apigw-id', ids.extendedRequestId);
  if (response.errorType) headers.push('x-amzn-ErrorType', response.errorType);
  for (const [name, value] of Object.entries(extraHeaders)) headers.push(name, value);
  res.writeHead(response.status, headers);
  res.end(response.body);
}
