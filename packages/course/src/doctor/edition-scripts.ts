import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What a student runs on the untouched edition besides the tests, and what must pass there from day one: a
 * stub that does not compile, or lint that fails on code the student has not touched yet, sends them looking
 * for their mistake where there is none.
 */
const SCRIPTS = ['lint', 'typecheck'];
const KEPT_BYTES = 64 * 1024;

export interface ScriptRun {
  script: string;
  passed: boolean;
  timedOut: boolean;
  /** What the script printed, paths relative to the edition. */
  output: string;
  seconds: number;
}

/** The edition's own `lint` and `typecheck` scripts, those its package.json defines. */
export function editionScripts(dir: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return SCRIPTS.filter((script) => pkg.scripts?.[script] !== undefined);
}

/** `npm run <script>` in the edition, in its own process group, stopped as a group at the time limit. */
export function runScript(
  dir: string,
  script: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ScriptRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: dir,
      env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      if (output.length < KEPT_BYTES) output += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        script,
        passed: code === 0 && !timedOut,
        timedOut,
        output: output.split(`${dir}${path.sep}`).join(''),
        seconds: (Date.now() - started) / 1000,
      });
    });
  });
}
