// One Markdown file, walked as its reader would: each shell block in a terminal of its own, in order, servers
// left running for the blocks after them, and everything stopped at the end of the file.
import { startBackground, waitForPort, type Background } from './background';
import { startBlockShell, type BlockShell } from './block-shell';
import type { DocumentedCommand, ShellBlock } from './extract-commands';
import { backgroundedPort, endsInBackground, longRunning } from './long-running';
import { listeningPorts, pollWhileAny, stopGroups, type RunningProcess } from './process-groups';
import { httpStatuses } from './reader-environment';

export interface WalkOptions {
  /** The repository (a throwaway copy) that every block starts in. */
  root: string;
  env: NodeJS.ProcessEnv;
  /** Longest a command may take. */
  commandTimeoutMs: number;
  /** Longest a server may take to say it is ready. */
  readyTimeoutMs: number;
  /** Longest what was started may take to exit once stopped. */
  stopTimeoutMs: number;
}

export interface Walk {
  /** The first command that did not work, then whatever would not stop; empty when all went well. */
  failures: string[];
  /** Commands run (or started), for the summary. */
  commands: number;
}

const OUTPUT_TAIL = 20;
/** A placeholder for the reader to fill in (`<groupId>`, `<websocket port>`): such a command cannot be pasted. */
const PLACEHOLDER = /<[A-Za-z][\w -]*>/;

export async function walkDocument(file: string, blocks: ShellBlock[], options: WalkOptions): Promise<Walk> {
  const walk = new DocumentWalk(file, options);
  const failures: string[] = [];
  try {
    for (const block of blocks) {
      if (block.skip !== undefined) continue;
      const failed = await walk.runBlock(block);
      if (failed) {
        // The reader is stuck here: the blocks after this one build on it.
        failures.push(failed);
        break;
      }
    }
  } finally {
    failures.push(...(await walk.stopEverything()));
  }
  return { failures, commands: walk.commands };
}

class DocumentWalk {
  commands = 0;
  /** Terminals of the blocks: what their commands put in the background (`... &`) lives in their groups. */
  private readonly shells = new Set<number>();
  /** Servers by kind: a reader runs one of each kind at a time. */
  private readonly servers = new Map<string, Background>();
  private readonly portsBefore = listeningPorts();
  /** Everything typed and printed, for the local ports it names. */
  private seen = '';

  constructor(
    private readonly file: string,
    private readonly options: WalkOptions,
  ) {}

  /** Runs a block's commands in order; the message of the first that fails, or undefined. */
  async runBlock(block: ShellBlock): Promise<string | undefined> {
    const shell = startBlockShell(this.options.root, this.options.env);
    this.shells.add(shell.group);
    try {
      for (const command of block.commands) {
        this.commands++;
        this.seen += `${command.text}\n`;
        const placeholder = PLACEHOLDER.exec(command.text);
        const failed = placeholder
          ? this.failure(command, `has a placeholder, ${placeholder[0]}, so it cannot be pasted as it is`)
          : longRunning(command.text)
            ? await this.startServer(command, shell)
            : await this.runCommand(command, shell);
        if (failed) return failed;
      }
      return undefined;
    } finally {
      shell.close();
    }
  }

  private async startServer(command: DocumentedCommand, shell: BlockShell): Promise<string | undefined> {
    const { kind, ready } = longRunning(command.text)!;
    const earlier = this.servers.get(kind);
    if (earlier) {
      // The reader presses Ctrl+C in that terminal before starting another of the same kind there.
      const left = await stopGroups(new Set([earlier.group]), 'SIGINT', this.options.stopTimeoutMs);
      if (left.length > 0)
        return this.failure(command, `could not start: the ${kind} before it ${survivors(left)}`);
    }
    const server = startBackground(command.text, {
      cwd: shell.cwd(),
      env: this.options.env,
      ready,
      timeoutMs: this.options.readyTimeoutMs,
    });
    this.servers.set(kind, server);
    try {
      await server.ready;
      return undefined;
    } catch (error) {
      return this.failure(command, (error as Error).message, server.output());
    } finally {
      this.seen += server.output();
    }
  }

  private async runCommand(command: DocumentedCommand, shell: BlockShell): Promise<string | undefined> {
    const outcome = await shell.run(command.text, this.options.commandTimeoutMs);
    const { statuses, output } = httpStatuses(outcome.output);
    this.seen += output;
    if (outcome.status === undefined) {
      return this.failure(command, `did not finish within ${this.options.commandTimeoutMs / 1000} s`, output);
    }
    if (outcome.status !== 0) return this.failure(command, `exited ${outcome.status}`, output);
    const status = statuses.at(-1);
    if (command.expectedStatus !== undefined && status !== command.expectedStatus) {
      return this.failure(
        command,
        `answered HTTP ${status}, but the lesson shows ${command.expectedStatus}`,
        output,
      );
    }
    if (command.expectedStatus === undefined && status !== undefined && status >= 400) {
      return this.failure(command, `answered HTTP ${status}, and the lesson shows no error`, output);
    }
    if (endsInBackground(command.text)) {
      const port = backgroundedPort(command.text);
      if (port === undefined) {
        return this.failure(
          command,
          'runs in the background, and the walkthrough cannot tell when it is ready: give it an entry in long-running.ts',
        );
      }
      if (!(await waitForPort(port, this.options.readyTimeoutMs))) {
        return this.failure(
          command,
          `did not listen on port ${port} within ${this.options.readyTimeoutMs / 1000} s`,
          output,
        );
      }
    }
    return undefined;
  }

  /**
   * Ctrl+C to the servers, `kill` to the jobs the blocks put in the background, as the reader would stop
   * them; then nothing may be left running, and no port the file used may still be listening.
   */
  async stopEverything(): Promise<string[]> {
    const servers = new Set([...this.servers.values()].map((server) => server.group));
    const left = (
      await Promise.all([
        stopGroups(servers, 'SIGINT', this.options.stopTimeoutMs),
        stopGroups(this.shells, 'SIGTERM', this.options.stopTimeoutMs),
      ])
    ).flat();
    const failures = left.length > 0 ? [`${this.file}: what its commands started ${survivors(left)}`] : [];
    const ours = [...localPorts(this.seen)].filter((port) => !this.portsBefore.has(port));
    for (const port of await stillListening(ours, this.options.stopTimeoutMs)) {
      failures.push(
        `${this.file}: port ${port} is still listening after everything the file started has stopped`,
      );
    }
    return failures;
  }

  private failure(command: DocumentedCommand, problem: string, output?: string): string {
    const tail = output
      ?.trimEnd()
      .split('\n')
      .slice(-OUTPUT_TAIL)
      .map((line) => `    ${line}`)
      .join('\n');
    return `${this.file}:${command.line}: \`${command.text}\` ${problem}${tail ? `\n${tail}` : ''}`;
  }
}

function survivors(left: RunningProcess[]): string {
  const list = left.map((process) => `    ${process.pid} ${process.command}`).join('\n');
  return `left these running, so they were killed:\n${list}`;
}

/**
 * The ports of `ports` still listening once `timeoutMs` has passed: a process that has just exited may
 * still be closing its sockets (a many-threaded one shows as exited before its last thread has gone).
 */
function stillListening(ports: number[], timeoutMs: number): Promise<number[]> {
  const listeningOf = (candidates: number[]) => {
    const listening = listeningPorts();
    return candidates.filter((port) => listening.has(port));
  };
  return pollWhileAny(listeningOf(ports), listeningOf, timeoutMs);
}

/** Ports of the local addresses that the commands name or the servers print. */
function localPorts(text: string): Set<number> {
  return new Set(
    [...text.matchAll(/(?:127\.0\.0\.1|localhost):(\d{2,5})\b/g)].map((match) => Number(match[1])),
  );
}
