// The upgrade request as API Gateway reads it before $connect runs: a path other than the stage's is refused
// with 403 and a malformed handshake with 400, so a refused handshake invokes nothing; a valid one becomes a
// connecting Connection and the headers and query string of $connect's event, with the X-Amzn-Trace-Id and
// X-Forwarded-* headers API Gateway adds. A refusal is a plain HTTP response on the socket, as AWS sends it.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { newTraceId } from '../api-gateway/ids';
import { parseQueryString } from '../api-gateway/query-string';
import { addHeader, parseRequestHeaders } from '../api-gateway/request-headers';
import type { ApiContext } from './api-context';
import { Connection } from './connection';
import type { UpgradeRequestParts } from './events';
import { newConnectionId } from './ids';

export interface Refusal {
  statusCode: number;
  body: string;
  /** x-amzn-ErrorType. */
  errorType?: string;
}

/** A handshake to put to $connect: the connection it would open and what $connect's event carries of it. */
export interface ValidHandshake {
  connection: Connection;
  request: UpgradeRequestParts;
}

export type Handshake = ValidHandshake | { refusal: Refusal };

export function readHandshake(
  req: http.IncomingMessage,
  api: Pick<ApiContext, 'apiId' | 'stage' | 'now'>,
  domainName: string,
): Handshake {
  const { stage } = api;
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
  if (pathname !== `/${stage}` && pathname !== `/${stage}/`) {
    return { refusal: { statusCode: 403, body: '{"message":"Forbidden"}', errorType: 'ForbiddenException' } };
  }
  if (!isValidHandshake(req)) return { refusal: { statusCode: 400, body: '{"message":"Bad Request"}' } };
  const connectedAt = api.now();
  const sourceIp = normalizeIp(req.socket.remoteAddress);
  const userAgent = req.headers['user-agent'];
  const connection = new Connection(
    api.apiId,
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
  return { connection, request };
}

export function refuse(socket: Duplex, { statusCode, body, errorType }: Refusal): void {
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

function normalizeIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
