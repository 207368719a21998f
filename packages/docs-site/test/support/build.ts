// Builds a site the way `npm run docs:build` does, in a child process: shiki and its dependencies are ES
// modules that Node loads natively but Jest's module loader cannot.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'bin', 'docs-build.js');

export interface BuildRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runDocsBuild(args: string[]): BuildRun {
  const child = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}
