// One port, every protocol an AWS client speaks: plain HTTP/1.1 (`http://`, `ws://`: what browsers, tests and
// AWS_ENDPOINT_URL use), TLS (`https://`, `wss://`: a WebSocket management endpoint as handlers build it, an AWS
// hostname a sandbox called), and HTTP/2, which some SDK v3 clients use for every call (Kinesis, whose
// SubscribeToShard streams over HTTP/2): in the clear with prior knowledge (h2c, an `http://` endpoint) or
// negotiated in the TLS handshake (ALPN `h2`). The first bytes of a connection tell them apart: 0x16 opens a TLS
// handshake record, HTTP/2's connection preface starts `PRI * HTTP/2.0`, an HTTP/1 request with a method name.
// The bytes are put back and the socket handed to the matching server, so each server sees an untouched
// connection; one set of request and upgrade listeners (the plain server's) answers them all.
import type http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { listenExplained } from '../http/port-errors';

const TLS_HANDSHAKE_RECORD = 0x16;
/** The start of HTTP/2's connection preface (RFC 9113, section 3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

export interface PlainAndTlsOptions {
  port: number;
  host: string;
  /** The server for HTTP/1 connections, plain or decrypted; its request listeners answer HTTP/2 too. */
  plain: http.Server;
  tls: { key: string; cert: string };
  /** Named in errors: "WebSocket API", "AWS endpoint". */
  purpose: string;
  /** How to choose another port, for the error. */
  fix: string;
}

export interface PlainAndTlsListener {
  port: number;
  /** Stops accepting and destroys every open connection (upgraded WebSockets and HTTP/2 sessions included). */
  close(): Promise<void>;
}

export async function listenPlainAndTls(options: PlainAndTlsOptions): Promise<PlainAndTlsListener> {
  const { plain } = options;
  const h2 = http2.createServer();
  // The compatibility API's request and response have the members the handlers use (method, url, headers,
  // writeHead, end, the body as a stream). HTTP/2 names the host `:authority`; signatures and routing read
  // `host`, which an HTTP/1 request always has.
  const handlers = plain.listeners('request') as ((req: unknown, res: unknown) => void)[];
  h2.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const authority = req.headers[':authority'];
    if (req.headers.host === undefined && typeof authority === 'string') req.headers.host = authority;
    for (const handler of handlers) handler(req, res);
  });
  const secure = tls.createServer({
    key: options.tls.key,
    cert: options.tls.cert,
    ALPNProtocols: ['h2', 'http/1.1'],
  });
  secure.on('secureConnection', (socket: tls.TLSSocket) => {
    (socket.alpnProtocol === 'h2' ? h2 : plain).emit('connection', socket);
  });
  // A client that gives up mid-handshake (or does not trust the certificate): nothing to report.
  secure.on('tlsClientError', (_error, socket) => socket.destroy());
  const sockets = new Set<net.Socket>();
  // No Nagle delay: small request/response exchanges on kept-alive connections would wait for ACKs.
  const front = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A client that connects and goes away before a byte: nothing to report.
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      serverFor(chunk, { plain, h2, secure }).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await listenExplained(front, options);
  let closed: Promise<void> | undefined;
  return {
    port: (front.address() as AddressInfo).port,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

/**
 * Which server a connection belongs to, from its first chunk. A preface split across packets would be taken
 * for HTTP/1 and refused by it; clients send the 24-byte preface in one write.
 */
function serverFor(
  chunk: Buffer,
  servers: { plain: http.Server; h2: http2.Http2Server; secure: tls.Server },
): net.Server {
  if (chunk[0] === TLS_HANDSHAKE_RECORD) return servers.secure;
  if (chunk.subarray(0, HTTP2_PREFACE.length).equals(HTTP2_PREFACE)) return servers.h2;
  return servers.plain;
}
