// The HTTP servers local-cloud runs (REST API, the AWS endpoint, the identity issuer, ...). Each listens before
// the application behind it exists, because functions must know the AWS endpoint's URL (random port in tests) before
// their sandboxes are created; until the application is attached, requests get 503.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenExplained } from './http/port-errors';
import { listenPlainAndTls } from './tls/plain-and-tls';

export { PortInUseError, PortNotAllowedError } from './http/port-errors';

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
  /** Also answer TLS on the same port, with this certificate (see tls/plain-and-tls.ts). */
  tls?: { key: string; cert: string };
}

export async function listen(options: ListenOptions): Promise<Listener> {
  let handler: http.RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"local-cloud is starting"}');
  };
  const server = http.createServer((req, res) => handler(req, res));
  if (options.tls) {
    const both = await listenPlainAndTls({ ...options, plain: server, tls: options.tls });
    return {
      server,
      port: both.port,
      attach: (next) => {
        handler = next;
      },
      close: () => both.close(),
    };
  }
  await listenExplained(server, options);
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

/**
 * A service's listener: the one it was given (its APIs mounted on the AWS endpoint), else a port of its own
 * (a service started alone, as tests do).
 */
export async function serviceListener(
  options: { listener?: Listener; port?: number },
  host: string,
  purpose: string,
): Promise<Listener> {
  return (
    options.listener ??
    listen({ port: options.port ?? 0, host, purpose, fix: `choose another port for ${purpose}` })
  );
}

/** What `create` makes; when it throws (damaged saved state, say), the listener is closed first: no port left open. */
export async function closingOnFailure<T>(listener: Listener, create: () => T): Promise<T> {
  try {
    return create();
  } catch (error) {
    await listener.close();
    throw error;
  }
}

/** The host to put in URLs: a wildcard address is reachable on loopback. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
