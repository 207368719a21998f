import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalCloud } from '@serverless-course/local-cloud';
import { eventually } from '@serverless-course/test-kit';
import { main, type CliIo } from '../src/cli';
import type { RunningApp, StartAppOptions } from '../src/start-app';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'udagram-cli-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeApp(): RunningApp & { stop: jest.Mock } {
  return {
    url: 'http://127.0.0.1:8080',
    docsUrl: 'http://127.0.0.1:8080/docs/',
    apiUrl: 'http://127.0.0.1:3000/dev',
    websocketUrl: 'ws://127.0.0.1:3002/dev',
    issuer: 'http://127.0.0.1:3003/',
    cloud: {} as LocalCloud,
    stop: jest.fn(() => Promise.resolve()),
  };
}

function cli(overrides: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let stop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    stopSignal: () => stopped,
    colors: false,
    lockFile: path.join(dir, 'lock.json'),
    ...overrides,
  };
  return { io, out, err, stop: (signal: string) => stop(signal) };
}

describe('npm start', () => {
  it('starts the app with persistent state and hot reload, prints its URLs, and stops on Ctrl+C', async () => {
    const app = fakeApp();
    const startApp = jest.fn((_options: StartAppOptions) => Promise.resolve(app));
    const { io, out, stop } = cli({ startApp });

    const running = main([], io);
    await eventually(() => out.some((line) => line.includes('Press Ctrl+C to stop')), {
      description: 'the line "Press Ctrl+C to stop"',
    });
    expect(JSON.parse(readFileSync(path.join(dir, 'lock.json'), 'utf8'))).toMatchObject({
      pid: process.pid,
      url: 'http://127.0.0.1:8080/',
    });
    stop('SIGINT');

    await expect(running).resolves.toBe(0);
    expect(startApp).toHaveBeenCalledWith(
      expect.objectContaining({ port: 8080, apiPort: 3000, docs: true, watch: true }),
    );
    expect(startApp.mock.calls[0]?.[0]).not.toHaveProperty('inMemory');
    const printed = out.join('\n');
    for (const line of [
      '  App        http://127.0.0.1:8080/',
      '  Docs       http://127.0.0.1:8080/docs/',
      '  API        http://127.0.0.1:3000/dev',
      '  WebSocket  ws://127.0.0.1:3002/dev',
      '  Sign-in    http://127.0.0.1:3003/ (local issuer: type any user name)',
      'SIGINT: stopping...',
      'Stopped. Run npm start to start again.',
    ]) {
      expect(printed).toContain(line);
    }
    expect(app.stop).toHaveBeenCalledTimes(1);
    expect(existsSync(path.join(dir, 'lock.json'))).toBe(false);
  });

  it('names in one line why the docs site is a placeholder', async () => {
    const app = {
      ...fakeApp(),
      docsProblem: 'the docs site failed to build: 2 broken link(s):\n  a.html: b.md',
    };
    const { io, out, stop } = cli({ startApp: () => Promise.resolve(app) });

    const running = main([], io);
    await eventually(() => out.some((line) => line.includes('Press Ctrl+C to stop')), {
      description: 'the line "Press Ctrl+C to stop"',
    });
    stop('SIGINT');
    await running;

    expect(out.join('\n')).toContain(
      '  Docs       http://127.0.0.1:8080/docs/ (not built: the docs site failed to build: 2 broken link(s):)\n',
    );
  });

  it('takes --port, --api-port and --no-docs', async () => {
    const startApp = jest.fn((_options: StartAppOptions) => Promise.resolve(fakeApp()));
    const { io, stop } = cli({ startApp });

    const running = main(['--port', '9090', '--api-port=4000', '--no-docs'], io);
    await eventually(() => startApp.mock.calls.length > 0, { description: 'the app to start' });
    stop('SIGTERM');

    await expect(running).resolves.toBe(0);
    expect(startApp).toHaveBeenCalledWith(
      expect.objectContaining({ port: 9090, apiPort: 4000, docs: false }),
    );
  });

  it('refuses a second start while one runs, in one line, without starting anything', async () => {
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(
      path.join(dir, 'lock.json'),
      JSON.stringify({ pid: process.ppid, url: 'http://127.0.0.1:8080/' }),
    );
    const startApp = jest.fn();
    const { io, err } = cli({ startApp });

    await expect(main([], io)).resolves.toBe(1);

    expect(err).toEqual([
      `udagram-start: Udagram is already running (pid ${process.ppid}, http://127.0.0.1:8080/). Open that, or stop it with Ctrl+C in its terminal and run npm start again.`,
    ]);
    expect(startApp).not.toHaveBeenCalled();
  });

  it('reports a start that fails (a port in use) in one line, and releases the lock', async () => {
    const startApp = jest.fn(() =>
      Promise.reject(
        new Error('port 8080 on 127.0.0.1 (web app) is already in use. Fix: choose another with --port N'),
      ),
    );
    const { io, err } = cli({ startApp });

    await expect(main([], io)).resolves.toBe(2);

    expect(err).toEqual([
      'udagram-start: port 8080 on 127.0.0.1 (web app) is already in use. Fix: choose another with --port N',
    ]);
    expect(existsSync(path.join(dir, 'lock.json'))).toBe(false);
  });

  it.each([
    [['--port', 'eighty'], '--port "eighty" is not a port: give a number from 1 to 65535'],
    [['--api-port', '70000'], '--api-port "70000" is not a port'],
    [['--verbose'], "Unknown option '--verbose'"],
  ])('refuses bad arguments %p with the fix', async (args, message) => {
    const { io, err } = cli({ startApp: jest.fn() });

    await expect(main(args, io)).resolves.toBe(2);

    expect(err).toHaveLength(1);
    expect(err[0]).toContain(message);
    expect(err[0]).toMatch(/Run npm start -- --help for the options\.$/);
  });

  it('prints its usage with --help', async () => {
    const { io, out } = cli();

    await expect(main(['--help'], io)).resolves.toBe(0);

    expect(out.join('\n')).toContain('Usage: npm start -- [--port 8080] [--api-port 3000] [--no-docs]');
  });
});
