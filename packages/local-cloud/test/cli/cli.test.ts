import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadService } from '../../src/config/load-service';

jest.setTimeout(60_000);

const BIN = path.join(__dirname, '../../bin/local-cloud.js');
const FIXTURE = path.join(__dirname, '../fixtures/config/variables-service');
const temporaryFolders: string[] = [];

function copyOf(folder: string): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-cli-'));
  temporaryFolders.push(copy);
  cpSync(folder, copy, { recursive: true });
  return copy;
}

interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching, once it is printed. */
  waitForLine(pattern: RegExp): Promise<string>;
  exitCode: Promise<number | null>;
}

function runCli(args: string[]): RunningCli {
  const env = { ...process.env };
  delete env.NO_COLOR;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const line = stdout.split('\n').find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLine: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void exitCode.then((code) =>
          reject(new Error(`local-cloud exited (${code}) before printing ${pattern}:\n${stdout}\n${stderr}`)),
        );
      }),
    exitCode,
  };
}

let warmService: string;

beforeAll(async () => {
  // One framework run for the whole file: copies of this folder carry its cached resolution.
  warmService = copyOf(FIXTURE);
  await loadService(warmService);
});

afterAll(() => {
  temporaryFolders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

describe('local-cloud start', () => {
  it('prints the routes, serves them, logs each invocation, and exits 0 on Ctrl+C', async () => {
    const cli = runCli(['start', warmService, '--port', '0', '--no-watch']);
    const helloRow = await cli.waitForLine(
      /^GET +http:\/\/127\.0\.0\.1:\d+\/dev\/hello +hello +256 MB +6 s$/,
    );
    await cli.waitForLine(
      /^Ready in \d+ ms \(serverless\.yml resolution from cache\)\. Press Ctrl\+C to stop\.$/,
    );
    const helloUrl = helloRow.split(/ +/)[1]!;

    const response = await fetch(helloUrl);
    const logLine = await cli.waitForLine(/ hello success .* ms \(billed \d+ ms\) cold \d+\/256 MB /);
    cli.child.kill('SIGINT');

    expect(response.status).toBe(200);
    expect(logLine).toMatch(/^\d\d:\d\d:\d\d\.\d{3} hello success/);
    expect(cli.stdout()).toContain('POST    http://127.0.0.1:');
    expect(cli.stdout()).toMatch(/AWS endpoint +http:\/\/127\.0\.0\.1:\d+/);
    // Not a terminal: no colour codes.
    expect(cli.stdout()).not.toContain('\u001b[');
    expect(await cli.exitCode).toBe(0);
  });

  it('prints its usage with --help', async () => {
    const cli = runCli(['--help']);

    expect(await cli.exitCode).toBe(0);
    expect(cli.stdout()).toContain('Usage: local-cloud start [path] [options]');
  });
});

describe('local-cloud start on bad input', () => {
  /** Runs the CLI to its end and returns its one stderr line. */
  async function failureOf(args: string[]): Promise<{ code: number | null; line: string; lines: number }> {
    const cli = runCli(args);
    const code = await cli.exitCode;
    const lines = cli.stderr().trimEnd().split('\n');
    return { code, line: lines[0]!, lines: lines.length };
  }

  it('names serverless.yml and the fix when the framework rejects it', async () => {
    const service = copyOf(warmService);
    writeFileSync(
      path.join(service, 'serverless.yml'),
      'service: broken\nfunctions:\n  hello:\n   handler: [\n',
    );

    const failure = await failureOf(['start', service, '--port', '0']);

    expect(failure).toMatchObject({ code: 2, lines: 1 });
    expect(failure.line).toContain(
      `${path.join(service, 'serverless.yml')}: \`serverless print\` rejected it:`,
    );
    expect(failure.line).toContain('Fix: correct serverless.yml');
  });

  it('refuses a runtime Lambda no longer accepts, with the message a deploy gets and the fix', async () => {
    const service = copyOf(warmService);
    const config = path.join(service, 'serverless.yml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(/runtime: nodejs\d+\.x/, 'runtime: nodejs20.x'),
    );

    const failure = await failureOf(['start', service, '--port', '0']);

    expect(failure).toMatchObject({ code: 2, lines: 1 });
    expect(failure.line).toContain(
      'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions.',
    );
    expect(failure.line).toContain('--allow-deprecated-runtimes');
  });

  it('names the missing handler file and the fix', async () => {
    const service = copyOf(warmService);
    rmSync(path.join(service, 'src/handlers/echo.ts'));

    const failure = await failureOf(['start', service, '--port', '0']);

    expect(failure).toMatchObject({ code: 2, lines: 1 });
    expect(failure.line).toContain('"echo"');
    expect(failure.line).toContain('src/handlers/echo');
  });

  it('names the missing handler export and the fix', async () => {
    const service = copyOf(warmService);
    writeFileSync(path.join(service, 'src/handlers/echo.ts'), 'export const main = async () => ({});\n');

    const failure = await failureOf(['start', service, '--port', '0']);

    expect(failure).toMatchObject({ code: 2, lines: 1 });
    expect(failure.line).toContain('does not export "handler"');
  });

  it('names the port in use and the fix', async () => {
    const occupier = net.createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const port = (occupier.address() as net.AddressInfo).port;
    try {
      const failure = await failureOf(['start', warmService, '--port', String(port)]);

      expect(failure).toMatchObject({ code: 2, lines: 1 });
      expect(failure.line).toContain(`port ${port} on 127.0.0.1 (REST API) is already in use`);
      expect(failure.line).toContain('--port N');
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it('names a folder that does not exist', async () => {
    const missing = path.join(os.tmpdir(), 'local-cloud-cli-no-such-service');

    const failure = await failureOf(['start', missing]);

    expect(failure).toMatchObject({ code: 2, lines: 1 });
    expect(failure.line).toContain(`${missing}: no such folder. Fix:`);
  });

  it('names an option it does not know', async () => {
    const failure = await failureOf(['start', '--prot', '3000']);

    expect(failure).toMatchObject({ code: 2, lines: 1 });
    expect(failure.line).toContain("Unknown option '--prot'");
  });
});
