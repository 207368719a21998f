// Why a port cannot be listened on, each with the fix; the CLI exits with code 2 and the message alone.
import type net from 'node:net';
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

/** Listens, and turns the two errors a user can fix into PortInUseError and PortNotAllowedError. */
export function listenExplained(
  server: net.Server,
  options: { port: number; host: string; purpose: string; fix: string },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
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
}
