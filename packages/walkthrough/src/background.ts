// A server started "in another terminal": its own bash and process group, its output kept for messages, and
// a bounded wait until it says it is ready.
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { listeningPorts } from './process-groups';

export interface Background {
  group: number;
  /** Everything it printed so far, without colours. */
  output(): string;
  /** Resolves once its output matches `ready`; rejects with the reason when it exits or the deadline passes. */
  ready: Promise<void>;
}

export function startBackground(
  command: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs: number },
): Background {
  const child = spawn('bash', ['--noprofile', '--norc', '-c', command], {
    cwd: options.cwd,
    env: options.env,
    // Its own process group, as a terminal gives each session, so Ctrl+C later reaches all it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const text = (): string => stripVTControlCharacters(output);
  // Before the readiness check's listeners, so each check sees its chunk already appended.
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  // Waits on its output rather than on time: each chunk may bring the ready line.
  const ready = new Promise<void>((resolve, reject) => {
    const settle = (why?: string): void => {
      clearTimeout(timer);
      child.stdout.off('data', append);
      child.stderr.off('data', append);
      child.off('exit', exited);
      if (why === undefined) resolve();
      else reject(new Error(why));
    };
    const append = (): void => {
      if (options.ready.test(text())) settle();
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(`exited (${signal ?? `code ${code}`}) before it was ready`);
    const timer = setTimeout(
      () => settle(`was not ready within ${options.timeoutMs / 1000} s (it never printed ${options.ready})`),
      options.timeoutMs,
    );
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.on('exit', exited);
  });

  return { group: child.pid!, output: text, ready };
}

/** Waits, bounded, for a port that a command put in the background (`... &`) is about to listen on. */
export async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // A port has no event to await, so it is polled.
  while (!listeningPorts().has(port)) {
    if (Date.now() >= deadline) return false;
    await delay(100);
  }
  return true;
}
