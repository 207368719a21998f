// The HTTP servers local-cloud runs (REST API, the AWS endpoint, the identity issuer, ...). Each listens before
// the application behind it exists, because functions must know the AWS endpoint's URL (random port in tests) before
// their sandboxes are created; until the application is attached, requests get 503.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The port is taken by another program (or another local-cloud). */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly exitCode = 2;

  constructor(
    readonly port: number,
    readonly host: string,
    readonly purpose: string,
    fix: string,
  ) {
    super(
      `port ${port} on ${host} (${purpose}) is already in use. Fix: stop the program using it, or ${fix}`,
    );
  }
}

/** The operating system refuses the port (below 1024 without privileges) or the address. */
export class PortNotAllowedError extends Error {
  override readonly name = 'PortNotAllowedError';
  readonly exitCode = 2;

  constructor(port: number, host: string, purpose: string, code: string, fix: string) {
    super(`cannot listen on ${host}:${port} (${purpose}): ${code}. Fix: ${fix}`);
  }
}

export interface Listener {
  server: http.Server;
  port: number;
  /** Routes requests to this handler from now on. */
  attach(handler: http.RequestListener): void;
  /** Stops accepting, drops open connections (keep-alive ones included) and resolves once closed. */
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  /** Named in errors: "REST API", "AWS endpoint". */
  purpose: string;
  /** How to choose another port, for the error: "pass --port N". */
  fix: string;
}

export async function listen(options: ListenOptions): Promise<Listener> {
  let handler: http.RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"local-cloud is starting"}');
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(options.port, options.host, options.purpose, options.fix));
      } else if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
        reject(new PortNotAllowedError(options.port, options.host, options.purpose, error.code, options.fix));
      } else {
        reject(error);
      }
    });
    server.listen(options.port, options.host, () => resolve());
  });
  let closed: Promise<void> | undefined;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    attach: (next) => {
      handler = next;
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** The host to put in URLs: a wildcard address is reachable on loopback. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
