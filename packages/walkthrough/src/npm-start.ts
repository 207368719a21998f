// `npm start` as a newcomer runs it: from the repository root, default options, default state folder. Read
// its printed URLs, and stop it the way a terminal's Ctrl+C does: SIGINT to its whole process group.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

/** npm passes Ctrl+C on as a terminal expects: it ends by the same signal once its script has stopped. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartedApp {
  /** `http://127.0.0.1:8080` (no trailing slash). */
  url: string;
  /** The local sign-in issuer, with its trailing slash, as printed. */
  issuer: string;
  /** Everything npm start printed so far, without colours. */
  output(): string;
  /** Ctrl+C: SIGINT to the process group; resolves with how npm ended once it has exited. */
  interrupt(timeoutMs: number): Promise<Exit>;
  pid: number;
}

/** Starts `npm start`; resolves once it prints where the app is, rejects with its output if it fails first. */
export function npmStart(options: { readyTimeoutMs: number }): Promise<StartedApp> {
  const child = spawn('npm', ['start'], {
    cwd: REPOSITORY_ROOT,
    // Its own process group, as a shell gives a foreground job, so SIGINT reaches npm and its children alike.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const append = (chunk: Buffer) => (output += stripVTControlCharacters(chunk.toString()));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  return new Promise((resolve, reject) => {
    let ready = false;
    const fail = (why: string) => {
      // Once ready, an exit is the interrupt's business: killing the group here would hide what survived.
      if (ready) return;
      clearInterval(poll);
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      reject(new Error(`npm start ${why}. It printed:\n${output.split('\n').slice(-40).join('\n')}`));
    };
    const timer = setTimeout(
      () => fail(`was not ready within ${options.readyTimeoutMs / 1000} s`),
      options.readyTimeoutMs,
    );
    void exited.then(({ code, signal }) => fail(`exited (${signal ?? `code ${code}`}) before it was ready`));
    // The summary is printed in one write; checking on each chunk would race the chunking, so poll the text.
    const poll = setInterval(() => {
      const app = /^\s*App\s+(http:\/\/\S+?)\/?\s*$/m.exec(output)?.[1];
      const issuer = /^\s*Sign-in\s+(http:\/\/\S+)/m.exec(output)?.[1];
      if (!app || !issuer) return;
      ready = true;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        url: app,
        issuer,
        pid: child.pid!,
        output: () => output,
        interrupt: async (timeoutMs) => {
          killGroup(child, 'SIGINT');
          const outcome = await Promise.race([
            exited,
            new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), timeoutMs).unref()),
          ]);
          if (outcome !== 'timeout') return outcome;
          killGroup(child, 'SIGKILL');
          throw new Error(`npm start did not stop within ${timeoutMs / 1000} s of Ctrl+C`);
        },
      });
    }, 100);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}
