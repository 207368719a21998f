// One documented block is one terminal session: a bash that receives the block's commands one at a time, so
// `cd` and variables carry from one command to the next, and each command's exit status and output are known.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';

export interface CommandOutcome {
  /** Its exit status; undefined when it had not finished at the deadline. */
  status: number | undefined;
  /** What it printed, stdout and stderr interleaved as a terminal shows them, without colours. */
  output: string;
}

export interface BlockShell {
  /** The shell's process group, which holds whatever its commands leave running in the background. */
  group: number;
  /** The shell's working directory after the last command. */
  cwd(): string;
  run(command: string, timeoutMs: number): Promise<CommandOutcome>;
  /** Ends the session (end of input); what it put in the background keeps running in its group. */
  close(): void;
}

export function startBlockShell(cwd: string, env: NodeJS.ProcessEnv): BlockShell {
  // Its own process group, as a terminal gives each session, so Ctrl+C can later reach all it started.
  const shell = spawn('bash', ['--noprofile', '--norc'], { cwd, env, detached: true, stdio: 'pipe' });
  const marker = `walkthrough-done-${randomUUID()}`;
  const done = new RegExp(`\\n${marker} (\\d+) (.*)\\n`);
  let buffer = '';
  let current = cwd;
  let exited: number | undefined;
  let waiting: (() => void) | undefined;

  shell.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    waiting?.();
  });
  shell.on('exit', (code, signal) => {
    exited = code ?? (signal ? 128 : 1);
    waiting?.();
  });
  // One stream, in the order things happen, as in a terminal.
  shell.stdin.write('exec 2>&1\n');

  return {
    group: shell.pid!,
    cwd: () => current,
    run(command, timeoutMs) {
      buffer = '';
      // Commands read nothing: a reader's pasted block gives them no input. The status and the working
      // directory follow on a line of their own; the newline before it ends output that lacks one.
      shell.stdin.write(`{ ${command}\n} </dev/null; printf '\\n%s %s %s\\n' '${marker}' "$?" "$PWD"\n`);
      return new Promise((resolve) => {
        const timer = setTimeout(() => finish(undefined), timeoutMs);
        const finish = (status: number | undefined, output = buffer): void => {
          clearTimeout(timer);
          waiting = undefined;
          resolve({ status, output: stripVTControlCharacters(output) });
        };
        waiting = () => {
          const match = done.exec(buffer);
          if (match) {
            current = match[2]!;
            finish(Number(match[1]), buffer.slice(0, match.index));
          } else if (exited !== undefined) {
            finish(exited);
          }
        };
        waiting();
      });
    },
    close: () => shell.stdin.end(),
  };
}
