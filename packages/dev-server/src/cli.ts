// `npm start` (udagram-start): the app, its web client and the docs on this machine, until Ctrl+C.
//
//   udagram-start [--port 8080] [--api-port 3000] [--no-docs]
//
// State (groups, images, the sign-in key) persists under final-app/backend/.local-cloud/, so a restart
// finds everything as it was. A second start while one runs is refused with one line.
import path from 'node:path';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { acquireLock, LockHeldError, type Lock } from './lock-file';
import { BACKEND_PATH, REPOSITORY_ROOT, stateDir } from './paths';
import { startApp, type RunningApp, type StartAppOptions } from './start-app';

export const USAGE = [
  'Usage: npm start -- [--port 8080] [--api-port 3000] [--no-docs]',
  '',
  'Runs Udagram on local-cloud with its web client and the course docs, on 127.0.0.1.',
  '  --port      the web app and docs (default 8080)',
  "  --api-port  local-cloud's REST API (default 3000); the WebSocket API and sign-in take port + 2, + 3",
  '  --no-docs   do not build the docs site',
].join('\n');

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Resolves on Ctrl+C or SIGTERM. */
  stopSignal(): Promise<string>;
  colors: boolean;
  /** For tests: the lock file, and what starts the app. */
  lockFile?: string;
  startApp?: (options: StartAppOptions) => Promise<RunningApp>;
}

const processIo = (): CliIo => ({
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
  stopSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
  colors: pc.isColorSupported,
});

function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${flag} "${value}" is not a port: give a number from 1 to 65535`);
  }
  return port;
}

export async function main(args: string[], io: CliIo = processIo()): Promise<number> {
  const colors = pc.createColors(io.colors);
  let port: number;
  let apiPort: number;
  let docs: boolean;
  try {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        'api-port': { type: 'string' },
        'no-docs': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    port = parsePort(values.port, 8080, '--port');
    apiPort = parsePort(values['api-port'], 3000, '--api-port');
    docs = !values['no-docs'];
  } catch (error) {
    io.stderr(`udagram-start: ${(error as Error).message}. Run npm start -- --help for the options.`);
    return 2;
  }

  let lock: Lock;
  try {
    lock = acquireLock(io.lockFile ?? path.join(stateDir(BACKEND_PATH), 'lock.json'));
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    io.stderr(`udagram-start: ${error.message}`);
    return 1;
  }

  try {
    io.stdout(colors.dim('Starting Udagram: local-cloud, the web client and the docs (15 to 40 s)...'));
    const started = performance.now();
    let app: RunningApp;
    try {
      app = await (io.startApp ?? startApp)({
        port,
        apiPort,
        docs,
        watch: true,
        log: (line) => io.stdout(line),
        colors: io.colors,
      });
    } catch (error) {
      io.stderr(`udagram-start: ${(error as Error).message}`);
      return 2;
    }
    lock.update({ url: `${app.url}/` });
    const relative = (file: string) => path.relative(REPOSITORY_ROOT, file) || '.';
    const row = (name: string, value: string) => `  ${name.padEnd(10)} ${value}`;
    io.stdout(
      [
        '',
        colors.bold(`Udagram is running (ready in ${((performance.now() - started) / 1000).toFixed(1)} s):`),
        row('App', colors.cyan(`${app.url}/`)),
        ...(app.docsUrl
          ? [
              row(
                'Docs',
                // The whole reason (a list of broken links, say) is on the placeholder page itself.
                `${colors.cyan(app.docsUrl)}${app.docsProblem ? colors.yellow(` (not built: ${app.docsProblem.split('\n')[0] ?? ''})`) : ''}`,
              ),
            ]
          : []),
        row('API', app.apiUrl),
        ...(app.websocketUrl ? [row('WebSocket', app.websocketUrl)] : []),
        row('Sign-in', `${app.issuer} (local issuer: type any user name)`),
        '',
        `Data is kept in ${relative(path.join(BACKEND_PATH, '.local-cloud'))}/ across restarts. Press Ctrl+C to stop.`,
      ].join('\n'),
    );
    const signal = await io.stopSignal();
    io.stdout(colors.dim(`${signal}: stopping...`));
    await app.stop();
    io.stdout('Stopped. Run npm start to start again.');
    return 0;
  } finally {
    lock.release();
  }
}
