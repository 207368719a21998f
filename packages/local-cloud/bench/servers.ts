// Starting and stopping the emulators under test as child processes, the way a user runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const LOCAL_CLOUD_BIN = path.join(__dirname, '..', 'bin', 'local-cloud.js');
export const SERVERLESS_BIN = require.resolve('serverless/bin/serverless.js');
export const QUIET_SERVERLESS_ENV = {
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  SLS_DEPRECATION_DISABLE: '*',
};

export interface RunningServer {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Two consecutive free ports on 127.0.0.1 (local-cloud serves its AWS endpoint on the port after the API's). */
export function freePortPair(): Promise<number> {
  return freePorts(2);
}

/**
 * The ports local-cloud takes for `--port N`: N (REST API), N+1 (the AWS endpoint), N+2 (WebSocket API), N+3
 * (identity issuer). Eight: an older copy that bench/cpu.ts compares against may take up to N+7.
 */
export const LOCAL_CLOUD_PORTS = 8;

/** The first of `count` consecutive free ports on 127.0.0.1. */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let offset = 0; offset < count && free; offset += 1) free = await isFree(port + offset);
    if (free) return port;
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}

/**
 * Starts a server on `count` free ports, again on others if one was taken between the check and the server's
 * listen (other programs on the machine, a test suite say, pick ports too).
 */
export async function startOnFreePorts(
  count: number,
  start: (port: number) => Promise<RunningServer>,
): Promise<{ port: number; server: RunningServer }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePorts(count);
    try {
      return { port, server: await start(port) };
    } catch (error) {
      if (attempt === 3 || !/EADDRINUSE|already in use/.test(String(error))) throw error;
    }
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Spawns a server and resolves once `readyUrl` answers 200; rejects with its stderr if it exits first. */
export async function startServer(
  command: string[],
  cwd: string,
  readyUrl: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const [file, ...args] = command;
  const child = spawn(file!, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}: ${stderr}`))),
  );
  await Promise.race([waitUntilOk(readyUrl, 60_000), exited]);
  return { child, stop: () => stopChild(child) };
}

/** Polls until the URL answers 200; polling is the measurement here (time to first response). */
export async function waitUntilOk(
  url: string,
  timeoutMs: number,
  accept = (_body: string) => true,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url);
      const body = await response.text();
      if (response.status === 200 && accept(body)) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/** local-cloud's CLI serving a service on `port` (and the ports after it), without hot reload. */
export function startLocalCloud(service: string, port: number, readyUrl: string, bin = LOCAL_CLOUD_BIN) {
  return startServer(
    [process.execPath, bin, 'start', service, '--port', String(port), '--no-watch'],
    service,
    readyUrl,
  );
}

/** serverless-offline's CLI serving a service on `port`, its Lambda endpoint on `port + 1`. */
export function startServerlessOffline(service: string, port: number, readyUrl: string) {
  return startServer(
    [
      process.execPath,
      SERVERLESS_BIN,
      'offline',
      'start',
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(port),
      '--lambdaPort',
      String(port + 1),
    ],
    service,
    readyUrl,
    QUIET_SERVERLESS_ENV,
  );
}
