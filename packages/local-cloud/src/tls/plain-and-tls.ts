// One port, two protocols: plain HTTP (`http://`, `ws://`: what browsers, tests and AWS_ENDPOINT_URL use) and
// TLS (`https://`, `wss://`: a WebSocket management endpoint as handlers build it, an AWS hostname a sandbox
// called). The first byte of a connection tells them apart: 0x16 opens a TLS handshake record, an HTTP request
// starts with a method name. The byte is put back and the socket handed to the matching server, so each server
// sees an untouched connection.
import type http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { listenExplained } from '../http/port-errors';

const TLS_HANDSHAKE_RECORD = 0x16;

export interface PlainAndTlsOptions {
  port: number;
  host: string;
  /** The server for plain connections; a twin for TLS is made with the same request and upgrade listeners. */
  plain: http.Server;
  tls: { key: string; cert: string };
  /** Named in errors: "WebSocket API", "AWS endpoint". */
  purpose: string;
  /** How to choose another port, for the error. */
  fix: string;
}

export interface PlainAndTlsListener {
  port: number;
  /** The TLS twin of the plain server. */
  secure: https.Server;
  /** Stops accepting and destroys every open connection (upgraded WebSockets included). */
  close(): Promise<void>;
}

export async function listenPlainAndTls(options: PlainAndTlsOptions): Promise<PlainAndTlsListener> {
  const { plain } = options;
  const secure = https.createServer({ key: options.tls.key, cert: options.tls.cert });
  for (const listener of plain.listeners('request')) secure.on('request', listener as http.RequestListener);
  for (const listener of plain.listeners('upgrade')) secure.on('upgrade', listener as never);
  secure.requestTimeout = plain.requestTimeout;
  secure.headersTimeout = plain.headersTimeout;
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
      (chunk[0] === TLS_HANDSHAKE_RECORD ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await listenExplained(front, options);
  let closed: Promise<void> | undefined;
  return {
    port: (front.address() as AddressInfo).port,
    secure,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
