// Runs build-worker.ts in a child process and reads its result: the last line of its output.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { BuildResult, BuildTask } from './build-worker';

export class BuildError extends Error {
  override readonly name = 'BuildError';
}

const WORKER = path.join(__dirname, 'build-worker.ts');

/** Builds take seconds; a hung one must not hang `npm start` or a test. */
export function runBuild(task: BuildTask, options: { timeoutMs?: number } = {}): Promise<BuildResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), WORKER, JSON.stringify(task)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) {
        try {
          resolve(JSON.parse(last) as BuildResult);
          return;
        } catch {
          // Falls through to the error below, with what the worker printed.
        }
      }
      const what = task.task === 'frontend' ? 'the web client' : 'the docs site';
      const why =
        signal === 'SIGKILL' ? `it took over ${timeoutMs / 1000} s` : stderr.trim() || stdout.trim();
      reject(new BuildError(`Building ${what} failed: ${why}`));
    });
  });
}
