// `local-cloud start [path]`: serves a service until Ctrl+C. Every failure the user can fix is one line
// naming the file or port and the fix, with exit code 2.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidRestApiOptionsError } from './api-gateway/rest-api';
import { InvalidRouteError } from './api-gateway/routes';
import { InvalidModelError } from './api-gateway/request-validation';
import { FunctionConfigurationError } from './lambda/errors';
import { colorsFor, formatStartup, type Colors } from './logging';
import { runFireCommand, runTokenCli } from './cli-commands';
import { formatPlatformSummary } from './platform';
import { start, type LocalCloud } from './start';
import { IAM_MODES, type IamMode } from './iam/authorizer';

export const USAGE = [
  'Usage: local-cloud start [path] [options]',
  '       local-cloud token --sub USER [--aud AUDIENCE] [--expires-in 1h]   a JWT from the local issuer',
  '       local-cloud fire <function-or-rule> [path]                        run a schedule now',
  '',
  'Serves the Serverless Framework v3 service in [path] (default: the current folder) as AWS would:',
  'its http events through API Gateway REST (under /<stage>), its httpApi events through an HTTP API (at the',
  'root of the same port); Lambda, S3, SNS, DynamoDB, Secrets Manager and SSM at one AWS endpoint',
  "(AWS_ENDPOINT_URL, or the AWS CLI's --endpoint-url).",
  '',
  'Options:',
  '  --port N              REST API port (default 3000; 0 picks a free one)',
  "  --lambda-port N       the AWS endpoint's port (default: the REST API port + 1)",
  '  --host H              address to listen on (default 127.0.0.1)',
  '  --stage S             stage, as `serverless --stage` (default: the one serverless.yml gives)',
  '  --region R            region, as `serverless --region` (default: provider.region)',
  '  --no-watch            do not reload functions when their source files change',
  '  --retry-delays A,B    delays in ms before the 2 retries of a failed async invocation (default 1000,2000)',
  '  --in-memory           keep DynamoDB, S3, SNS and other data in memory instead of under .local-cloud/',
  '  --allow-deprecated-runtimes  run functions on runtimes Lambda no longer accepts (nodejs20.x, ...)',
  "  --iam MODE            check functions' AWS calls against their roles: enforce (default), warn, off",
  '  -h, --help            show this help',
  '',
  'Ports (N is --port): the REST API N, the AWS endpoint N+1, the WebSocket API N+2, the identity issuer N+3.',
  '',
  'Example: npx local-cloud start labs/01-hello-lambda --port 4000',
];

export const DEFAULT_PORT = 3000;

/** A command line local-cloud cannot act on. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly exitCode = 2;
}

export interface StartCommand {
  command: 'start';
  servicePath: string;
  port: number;
  lambdaPort: number;
  host: string;
  stage?: string;
  region?: string;
  watch: boolean;
  inMemory: boolean;
  allowDeprecatedRuntimes: boolean;
  retryDelaysMs?: [number, number];
  iam: IamMode;
}

export type CliCommand = StartCommand | { command: 'help' };

export function parseCliArguments(argv: string[], cwd = process.cwd()): CliCommand {
  let parsed: ReturnType<typeof parseStartArguments>;
  try {
    parsed = parseStartArguments(argv);
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}. Fix: run \`local-cloud --help\` for the options`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const [command, servicePath, ...extra] = positionals;
  if (command !== 'start') {
    throw new CliUsageError(
      `${command === undefined ? 'no command given' : `unknown command "${command}"`}. Fix: run \`local-cloud start [path]\``,
    );
  }
  if (extra.length > 0) {
    throw new CliUsageError(
      `unexpected argument "${extra[0]}". Fix: pass one service folder, then the options`,
    );
  }
  const port = values.port === undefined ? DEFAULT_PORT : portNumber('--port', values.port);
  const startCommand: StartCommand = {
    command: 'start',
    servicePath: path.resolve(cwd, servicePath ?? '.'),
    port,
    lambdaPort:
      values['lambda-port'] === undefined
        ? port === 0
          ? 0
          : port + 1
        : portNumber('--lambda-port', values['lambda-port']),
    host: values.host ?? '127.0.0.1',
    watch: !values['no-watch'],
    inMemory: values['in-memory'] === true,
    allowDeprecatedRuntimes: values['allow-deprecated-runtimes'] === true,
    iam: iamMode(values.iam),
  };
  if (values.stage !== undefined) {
    if (!/^[-_a-zA-Z0-9]+$/.test(values.stage)) {
      throw new CliUsageError(
        `--stage "${values.stage}" is not a valid API Gateway stage name. Fix: use letters, digits, - and _`,
      );
    }
    startCommand.stage = values.stage;
  }
  if (values.region !== undefined) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region)) {
      throw new CliUsageError(
        `--region "${values.region}" is not an AWS region name. Fix: pass one such as eu-west-1 or us-east-1`,
      );
    }
    startCommand.region = values.region;
  }
  if (values['retry-delays'] !== undefined) startCommand.retryDelaysMs = retryDelays(values['retry-delays']);
  if (startCommand.lambdaPort !== 0 && startCommand.lambdaPort === startCommand.port) {
    throw new CliUsageError(
      `--lambda-port ${startCommand.lambdaPort} is also the REST API port. Fix: choose another`,
    );
  }
  return startCommand;
}

function iamMode(value: string | undefined): IamMode {
  if (value === undefined) return 'enforce';
  if ((IAM_MODES as readonly string[]).includes(value)) return value as IamMode;
  throw new CliUsageError(`--iam "${value}" is not a mode. Fix: pass --iam enforce, --iam warn or --iam off`);
}

function parseStartArguments(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      'lambda-port': { type: 'string' },
      host: { type: 'string' },
      stage: { type: 'string' },
      region: { type: 'string' },
      'no-watch': { type: 'boolean' },
      'in-memory': { type: 'boolean' },
      iam: { type: 'string' },
      'allow-deprecated-runtimes': { type: 'boolean' },
      'retry-delays': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function portNumber(flag: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new CliUsageError(
      `${flag} "${text}" is not a port. Fix: give a number from 1 to 65535, e.g. ${flag} 4000`,
    );
  }
  return port;
}

function retryDelays(text: string): [number, number] {
  const delays = text.split(',').map((part) => part.trim());
  if (delays.length !== 2 || delays.some((delay) => !/^\d+$/.test(delay))) {
    throw new CliUsageError(
      `--retry-delays "${text}" is not two delays in milliseconds (Lambda retries a failed event twice). Fix: give them comma-separated, e.g. --retry-delays 1000,2000`,
    );
  }
  return [Number(delays[0]), Number(delays[1])];
}

/** Where the CLI writes and how it learns it must stop; process-backed in bin/, replaced in tests. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  colors: Colors;
  /** Calls `stop` once on SIGINT or SIGTERM. */
  onStopSignal(stop: () => void): void;
}

/** How often the CLI checks that the process that started it is still there. */
const PARENT_CHECK_MS = 250;

export function processIo(): CliIo {
  const out = lineWriter(process.stdout);
  process.on('exit', out.flush);
  return {
    out: out.write,
    err: (line) => {
      // What was printed before an error is shown before it, as when every line was written at once.
      out.flush();
      process.stderr.write(`${line}\n`);
    },
    colors: colorsFor(process.stdout, process.env),
    onStopSignal: (stop) => {
      let stopped = false;
      const stopOnce = () => {
        if (stopped) return;
        stopped = true;
        clearInterval(watch);
        stop();
      };
      process.once('SIGINT', stopOnce);
      process.once('SIGTERM', stopOnce);
      // `npx local-cloud` runs this process under a shell that npm starts: a SIGTERM or SIGINT sent to npm
      // (by a process manager, CI, `kill`) ends npm and that shell, not this process, which would run on,
      // orphaned, with its Java and sandboxes. Losing the parent is treated as the signal it stands for.
      const parent = process.ppid;
      const watch = setInterval(() => {
        if (process.ppid !== parent) stopOnce();
      }, PARENT_CHECK_MS);
      // Only while something else runs (the servers): a start that failed must exit at once.
      watch.unref();
    },
  };
}

export interface LineWriter {
  /** Queues a line (without its newline); it is written within this turn of the event loop. */
  write: (line: string) => void;
  /** Writes what is queued now. */
  flush: () => void;
}

/**
 * Lines to a stream, written together once per turn of the event loop (setImmediate), in order. Under load
 * local-cloud prints a line per invocation, and a write (a system call, synchronous for files, pipes and
 * terminals) per line cost measurable throughput; lines written in the same turn now share one write. Call
 * flush() before the process exits (processIo does, on 'exit'), so that no line is lost.
 */
export function lineWriter(stream: { write(text: string): unknown }): LineWriter {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  return {
    write: (line) => {
      pending += `${line}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** Resolves with the exit code: 0 after a clean stop, 2 for what the user can fix, 1 for a local-cloud bug. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // These take their own flags, so they are dispatched before the start command's strict parsing.
  if (argv[0] === 'token') return runTokenCli(argv.slice(1), io);
  if (argv[0] === 'fire') return runFireCommand(argv.slice(1), io);
  let command: CliCommand;
  try {
    command = parseCliArguments(argv);
  } catch (error) {
    return reportFailure(error, io);
  }
  if (command.command === 'help') {
    USAGE.forEach((line) => io.out(line));
    return 0;
  }

  let stopRequested!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stopRequested = resolve));
  io.onStopSignal(() => stopRequested());

  let cloud: LocalCloud;
  const started = performance.now();
  try {
    cloud = await start({
      servicePath: command.servicePath,
      port: command.port,
      lambdaPort: command.lambdaPort,
      host: command.host,
      stage: command.stage,
      region: command.region,
      watch: command.watch,
      inMemory: command.inMemory,
      allowDeprecatedRuntimes: command.allowDeprecatedRuntimes,
      iam: command.iam,
      asyncRetryDelaysMs: command.retryDelaysMs,
      log: (line) => io.out(line),
      colors: io.colors.isColorSupported,
    });
  } catch (error) {
    return reportFailure(error, io);
  }
  formatStartup(
    {
      service: cloud.service,
      apiUrl: cloud.apiUrl,
      ...(cloud.httpApiUrl && { httpApiUrl: cloud.httpApiUrl }),
      lambdaEndpoint: cloud.lambdaEndpoint,
      endpointsFile: cloud.endpointsFile,
    },
    io.colors,
  ).forEach((line) => io.out(line));
  formatPlatformSummary(cloud.platform, io.colors).forEach((line) => io.out(line));
  const readyMs = Math.round(performance.now() - started);
  const configSource = cloud.configFromCache
    ? 'serverless.yml resolution from cache'
    : 'serverless.yml resolved';
  io.out(io.colors.dim(`Ready in ${readyMs} ms (${configSource}). Press Ctrl+C to stop.`));

  await stopSignal;
  io.out('Stopping...');
  await cloud.stop();
  return 0;
}

/** Errors that mean the service (or the command line) needs fixing, not local-cloud. */
const USER_ERRORS = [
  FunctionConfigurationError,
  InvalidRouteError,
  InvalidModelError,
  InvalidRestApiOptionsError,
] as const;

/** Exit code 2 for what the user can fix: configuration, handlers, routes, models, ports, usage. */
export function isUserError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  return (
    USER_ERRORS.some((type) => error instanceof type) || (error as { exitCode?: unknown }).exitCode === 2
  );
}

/** One line for what the user can fix; the stack for anything else, which is a local-cloud bug to report. */
function reportFailure(error: unknown, io: CliIo): number {
  if (isUserError(error)) {
    io.err(`${io.colors.red('local-cloud:')} ${error.message.replace(/\s*\n\s*/g, ' ')}`);
    return 2;
  }
  io.err(
    `${io.colors.red('local-cloud: unexpected error')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return 1;
}
