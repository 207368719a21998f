// The answers an HTTP API writes itself instead of the function's: a JSON body with a `message` in AWS's words
// (`{"message":"Not Found"}`), the request's id in `apigw-requestid`, and the configured CORS headers when the
// request's origin is allowed. Unlike a REST API's, these cannot be customised.
import type { ServerResponse } from 'node:http';

export interface HttpApiError {
  readonly status: number;
  readonly body: Buffer;
}

function error(status: number, message: string): HttpApiError {
  return { status, body: Buffer.from(JSON.stringify({ message })) };
}

export const httpApiErrors = {
  /** No route takes the request, and there is no `$default` route. */
  notFound: error(404, 'Not Found'),
  /** A missing or invalid token (JWT), a missing identity source (Lambda authorizer). */
  unauthorized: error(401, 'Unauthorized'),
  /** The token lacks the route's scopes; the Lambda authorizer said no. */
  forbidden: error(403, 'Forbidden'),
  /**
   * The function failed or timed out, answered something malformed, or Lambda refused the invocation; the
   * authorizer failed, timed out or answered something malformed.
   */
  internalServerError: error(500, 'Internal Server Error'),
  /** No answer within the integration timeout (30 seconds at most). */
  serviceUnavailable: error(503, 'Service Unavailable'),
  /** A body over the 10 MB payload quota. */
  requestTooLarge: error(413, 'Request Entity Too Large'),
  /** The request line and headers over 10,240 bytes. */
  headersTooLarge: error(431, 'Request Header Fields Too Large'),
} as const satisfies Record<string, HttpApiError>;

/** @param extraHeaders flat name, value list: CORS, `www-authenticate`. */
export function sendHttpApiError(
  res: ServerResponse,
  response: HttpApiError,
  requestId: string | undefined,
  extraHeaders: readonly string[] = [],
): void {
  const headers = ['content-type', 'application/json', 'content-length', String(response.body.length)];
  if (requestId !== undefined) headers.push('apigw-requestid', requestId);
  headers.push(...extraHeaders);
  res.writeHead(response.status, headers);
  res.end(response.body);
}
