// One port, two protocols: plain HTTP/WebSocket (`ws://`, what browsers and tests connect to) and TLS
// (`https://` for the management API as handlers call it, `wss://` too). The first byte of a connection tells
// them apart: 0x16 opens a TLS handshake record, an HTTP request starts with a method name. The byte is put
// back and the socket handed to the matching server, so each server sees an untouched connection.
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { PortInUseError, PortNotAllowedError } from '../http-listener';

const TLS_HANDSHAKE_RECORD = 0x16;

export interface DualListenerOptions {
  port: number;
  host: string;
  tls: { key: string; cert: string };
  onRequest: http.RequestListener;
  onUpgrade: (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface DualListener {
  port: number;
  /** Stops accepting and destroys every open connection (upgraded WebSockets included). */
  close(): Promise<void>;
}

export async function listenDual(options: DualListenerOptions): Promise<DualListener> {
  const plain = http.createServer(options.onRequest);
  const secure = https.createServer({ key: options.tls.key, cert: options.tls.cert }, options.onRequest);
  for (const server of [plain, secure]) {
    server.on('upgrade', options.onUpgrade);
    // A WebSocket may stay open for hours without a byte: Node's default request timeouts must not end it.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
  }
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
  await new Promise<void>((resolve, reject) => {
    front.once('error', (error: NodeJS.ErrnoException) => {
      const fix = 'choose another port for the WebSocket API';
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(options.port, options.host, 'WebSocket API', fix));
      } else if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
        reject(new PortNotAllowedError(options.port, options.host, 'WebSocket API', error.code, fix));
      } else {
        reject(error);
      }
    });
    front.listen(options.port, options.host, () => resolve());
  });
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
