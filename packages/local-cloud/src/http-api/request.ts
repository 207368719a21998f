// One request to the HTTP API as every event built from it needs it (the integration's payload 2.0 or 1.0,
// a Lambda authorizer's), read once: the raw path and query string as sent, the headers in HTTP API form
// (names in lower case, a repeated header's values joined with commas, cookies apart), and whether the body
// goes to the function as text or base64.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { compileBinaryMediaTypes, mediaTypeOf } from '../api-gateway/media-types';
import { parseQueryString } from '../api-gateway/query-string';
import { sourceIpOf } from '../api-gateway/request-headers';

export interface HttpApiRequest {
  method: string;
  /** As sent, percent-encoded, without the query string: `/users/42`. */
  rawPath: string;
  /** After `?`, as sent; empty when there is none. */
  rawQueryString: string;
  rawHeaders: readonly string[];
  /** Lower-case names, repeated values joined with `,`, without Cookie (see `cookies`). */
  headers: Record<string, string>;
  /** Each cookie of the Cookie headers: `["session=1", "theme=dark"]`. */
  cookies: string[];
  /** Decoded, repeated values joined with `,`; undefined when there are none. */
  queryStringParameters?: Record<string, string>;
  host?: string;
  userAgent: string;
  /** `HTTP/1.1`. */
  protocol: string;
  sourceIp: string;
  localPort: number;
  encrypted: boolean;
  body: Buffer;
  /** The body reaches the function as base64: its content type is not text. */
  bodyIsBinary: boolean;
  /** `apigw-requestid` and `requestContext.requestId`: `JKJaXmPLvHcESHA=`. */
  requestId: string;
  traceId: string;
  receivedAt: number;
}

/** Hop-by-hop headers no integration sees. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The content types whose bodies reach the function as text; every other body, one without a Content-Type
 * included, arrives base64-encoded (observed on AWS, see docs/reference/aws-behaviour.md#http-api-event).
 */
const TEXT_TYPES = compileBinaryMediaTypes([
  'text/*',
  'application/json',
  'application/xml',
  'application/javascript',
]);

export function readHttpApiRequest(
  req: IncomingMessage,
  body: Buffer,
  ids: { requestId: string; traceId: string; receivedAt: number },
): HttpApiRequest {
  const url = req.url ?? '/';
  const questionMark = url.indexOf('?');
  const rawQueryString = questionMark === -1 ? '' : url.slice(questionMark + 1);
  const sourceIp = sourceIpOf(req);
  const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
  const headers = Object.create(null) as Record<string, string>;
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const value = req.rawHeaders[i + 1] as string;
    if (DROPPED.has(name)) continue;
    if (name === 'cookie') {
      for (const cookie of value.split(';')) if (cookie.trim() !== '') cookies.push(cookie.trim());
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  // Added by API Gateway's front end before the integration sees the request.
  headers['x-amzn-trace-id'] ??= ids.traceId;
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? 0);
  headers['x-forwarded-proto'] ??= encrypted ? 'https' : 'http';

  const request: HttpApiRequest = {
    method: req.method ?? 'GET',
    rawPath: questionMark === -1 ? url : url.slice(0, questionMark),
    rawQueryString,
    rawHeaders: req.rawHeaders,
    headers,
    cookies,
    userAgent: req.headers['user-agent'] ?? '',
    protocol: `HTTP/${req.httpVersion}`,
    sourceIp,
    localPort: req.socket.localPort ?? 0,
    encrypted,
    body,
    bodyIsBinary: body.length > 0 && !TEXT_TYPES.matches(mediaTypeOf(headers['content-type'])),
    requestId: ids.requestId,
    traceId: ids.traceId,
    receivedAt: ids.receivedAt,
  };
  if (req.headers.host !== undefined) request.host = req.headers.host;
  const query = parseQueryString(rawQueryString, '&');
  if (query) {
    request.queryStringParameters = Object.create(null) as Record<string, string>;
    for (const [name, values] of Object.entries(query.multi))
      request.queryStringParameters[name] = values.join(',');
  }
  return request;
}
