/*
 * Why sandboxes are child processes (spawned Node processes with two pipes to talk over), not worker_threads
 * ---------------------------------------------------------------------------------------------
 * A Lambda execution environment is a whole process that Lambda can freeze, kill and replace, and the faults
 * the course teaches are whole-process faults. Only a process boundary reproduces them without touching the
 * emulator:
 * - A timeout must stop a synchronous busy loop (`while (true) {}`). A worker can be terminated too, but
 *   terminate() only takes effect when V8 reaches an interrupt check, leaves native code (a stuck addon, a
 *   blocking fs call) running, and shares the process's libuv thread pool meanwhile. SIGKILL always works.
 * - `process.exit(1)` in a worker ends only that worker, which hides the fault Lambda reports
 *   (Runtime.ExitError); a crash in a native module (a segfault) in a worker takes the whole emulator down.
 *   In a child process both stay contained and are reported as Lambda reports them.
 * - memorySize is enforced per sandbox with `--max-old-space-size` plus a resident-memory watchdog. Worker
 *   resourceLimits cap only the JS heap, and memory a worker leaks (buffers, native allocations) is the
 *   emulator's.
 * - Native modules (sharp) load exactly as in a normal Node process. Many addons are not context-aware and
 *   refuse to load a second time in a worker of the same process ("Module did not self-register").
 * - Each sandbox has its own process.env, cwd, globals, module cache and `process` object, as each Lambda
 *   execution environment has; in workers, process.env is shared by default and process.chdir() is disallowed.
 * The cost is a cold start of about 40-60 ms for Node itself (Lambda's own cold starts are slower) and
 * ~40 MB of memory per sandbox, which is why the pool caps sandboxes per function and reaps idle ones. A warm
 * invocation is one small message each way over a pipe (the protocol is in sandbox-runtime.js): tens of
 * microseconds.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { residentKbNow } from './memory-watchdog';
import { encodeFrame, FrameDecoder, type FrameField } from './sandbox-protocol';

const RUNTIME_BOOTSTRAP = path.join(__dirname, 'sandbox-runtime.js');

/** Lambda gives module initialisation 10 s before it retries it inside the invocation. */
export const INIT_TIMEOUT_MS = 10_000;

/**
 * On Linux, sandboxes run under the SCHED_BATCH scheduling policy (`chrt --batch 0`, util-linux), when chrt is
 * installed and allowed to. A batch process that wakes up (an invocation arrived) does not preempt the process
 * that woke it: the emulator goes on parsing requests and dispatching invocations, and the sandbox runs as soon
 * as a CPU is free. With more busy sandboxes than CPUs, the emulator was otherwise preempted about 0.4 times per
 * request in the middle of its work, which held up every other connection: SCHED_BATCH measured ~14% more
 * requests per second at 10 connections on 2 CPUs, and less CPU per request in every process. Nothing else
 * changes: same nice value and share of the CPU, same limits; processes a handler starts inherit the policy.
 * Elsewhere, or without chrt, sandboxes start as plain `node`.
 */
let launcher: string[] | undefined;

/**
 * The environment variable that marks a sandbox's processes, named like Lambda's own internal variables
 * (`_HANDLER`, `_X_AMZN_TRACE_ID`). A process that clears its environment loses it, and escapes the sweep.
 */
export const SANDBOX_MARK = '_LOCAL_CLOUD_SANDBOX';

/** SIGKILLs every process of this user whose environment carries `mark` (Linux: read from /proc). */
function killMarked(mark: string): void {
  if (process.platform !== 'linux') return;
  const needle = Buffer.from(`\0${SANDBOX_MARK}=${mark}\0`);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      // A leading NUL makes the first variable match like the others.
      const environ = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${pid}/environ`)]);
      if (environ.includes(needle)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone, or another user's: not ours to read or kill.
    }
  }
}

function sandboxLauncher(): string[] {
  if (launcher !== undefined) return launcher;
  launcher = [];
  if (process.platform !== 'linux') return launcher;
  const chrt = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, 'chrt'))
    .find((candidate) => path.isAbsolute(candidate) && existsSync(candidate));
  if (chrt === undefined) return launcher;
  try {
    // chrt exits non-zero if the policy cannot be set (a container forbidding it, say): then no chrt.
    execFileSync(chrt, ['--batch', '0', process.execPath, '--version'], { stdio: 'ignore', timeout: 5000 });
    launcher = [chrt, '--batch', '0'];
  } catch {
    // Plain node, as everywhere else.
  }
  return launcher;
}

export interface SandboxSpec {
  functionKey: string;
  /** The compiled module to require. */
  bundleFile: string;
  /** `handler:` as written, for the runtime's error messages. */
  handler: string;
  exportPath: string;
  invokedFunctionArn: string;
  memorySizeMb: number;
  environment: Record<string, string>;
  cwd: string;
  /** How long module initialisation may take before the sandbox is killed. */
  initTimeoutMs: number;
}

export interface SandboxHooks {
  /** Every line the sandbox writes: console calls (already formatted by the runtime) and raw stdout/stderr. */
  onLine(sandbox: Sandbox, text: string): void;
  onExit(sandbox: Sandbox, exit: ExitInfo): void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed for exceeding memorySize: V8's heap limit or the resident-memory watchdog. */
  outOfMemory: boolean;
}

export type InitOutcome =
  | { kind: 'ready'; initDurationMs: number }
  /** The handler module threw, or the export is missing: the runtime's error payload (JSON). */
  | { kind: 'error'; initDurationMs: number; errorPayload: string }
  | { kind: 'timeout'; initDurationMs: number }
  | { kind: 'exit'; initDurationMs: number; exit: ExitInfo };

export type InvocationOutcome =
  | { kind: 'response'; isError: boolean; payload: string; maxRssKb: number; exiting: boolean }
  | { kind: 'timeout' }
  | { kind: 'exit'; exit: ExitInfo };

type SandboxState = 'starting' | 'idle' | 'busy' | 'dead';

interface PendingInvocation {
  requestId: string;
  resolve(outcome: InvocationOutcome): void;
  timer: NodeJS.Timeout;
}

// The message V8 prints before it aborts a process whose heap hit --max-old-space-size.
const HEAP_OUT_OF_MEMORY = 'JavaScript heap out of memory';

/** One execution environment: a child process that loads one handler module once and serves invocations. */
export class Sandbox {
  readonly id = randomUUID();
  /** When the process was spawned (performance.now()). */
  readonly startedAt = performance.now();
  /** Resolves once the handler module is loaded, or failed to load. */
  readonly ready: Promise<InitOutcome>;
  /** Resolves once the process has exited (and been reaped). */
  readonly exited: Promise<ExitInfo>;
  state: SandboxState = 'starting';
  /** performance.now() when the sandbox last became idle. */
  idleSince = 0;
  /** Peak resident memory the process reported, KB. */
  maxRssKb = 0;
  /** Set by recycle(): discard instead of reuse once the current invocation ends. */
  stale = false;
  /** The request the sandbox is serving, for tagging raw output. */
  requestId: string | undefined;
  /** performance.now() when the current invocation started. */
  busySince = 0;
  private readonly child: ChildProcess;
  /** fd 3 of the sandbox: invocations go out on it. */
  private readonly toSandbox: Writable;
  private settleInit: ((outcome: InitOutcome) => void) | undefined;
  private pending: PendingInvocation | undefined;
  private memoryExceeded = false;
  private heapExhausted = false;
  private killedByUs = false;
  private readonly mark = randomBytes(8).toString('hex');

  constructor(
    readonly spec: SandboxSpec,
    private readonly hooks: SandboxHooks,
  ) {
    const [command = process.execPath, ...launcherArgs] = [...sandboxLauncher(), process.execPath];
    this.child = spawn(
      command,
      [
        ...launcherArgs,
        '--enable-source-maps',
        `--max-old-space-size=${spec.memorySizeMb}`,
        RUNTIME_BOOTSTRAP,
        JSON.stringify({
          bundle: spec.bundleFile,
          handler: spec.handler,
          exportPath: spec.exportPath,
          invokedFunctionArn: spec.invokedFunctionArn,
        }),
      ],
      {
        cwd: spec.cwd,
        // The mark every process the handler starts inherits: kill() finds the ones that left its group.
        env: { ...spec.environment, [SANDBOX_MARK]: this.mark },
        // stdout and stderr (native code's output), then the two pipes of the protocol: fd 3 to the sandbox,
        // fd 4 back. No IPC channel: a Lambda function has no process.send either.
        stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
        // Its own process group: Ctrl+C in a terminal reaches the emulator, which stops sandboxes in order, and
        // kill() can take down whatever the handler spawned along with it.
        detached: process.platform !== 'win32',
      },
    );
    this.toSandbox = this.child.stdio[3] as Writable;
    const fromSandbox = this.child.stdio[4] as Readable;
    // A write to a sandbox that just died fails (EPIPE); its 'exit' settles whatever was in flight.
    this.toSandbox.on('error', () => {});
    fromSandbox.on('error', () => {});
    const frames = new FrameDecoder((fields, body) => this.onFrame(fields, body));
    fromSandbox.on('data', (chunk: Buffer) => frames.push(chunk));
    this.exited = new Promise((resolve) => {
      let reported = false;
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (reported) return;
        reported = true;
        const exit: ExitInfo = {
          code,
          signal,
          outOfMemory:
            this.memoryExceeded || this.heapExhausted || (signal === 'SIGABRT' && !this.killedByUs),
        };
        this.onExit(exit);
        resolve(exit);
      };
      this.child.once('exit', onExit);
      // A process that never started (too many processes, say) emits no 'exit'.
      this.child.on('error', () => {
        if (this.child.pid === undefined) onExit(null, null);
        else void this.kill();
      });
    });
    this.ready = new Promise((resolve) => {
      const initTimer = setTimeout(() => {
        void this.kill();
        resolve({ kind: 'timeout', initDurationMs: this.sinceStart() });
      }, spec.initTimeoutMs);
      const settle = (outcome: InitOutcome) => {
        clearTimeout(initTimer);
        this.settleInit = undefined;
        resolve(outcome);
      };
      this.settleInit = settle;
      void this.exited.then((exit) => settle({ kind: 'exit', initDurationMs: this.sinceStart(), exit }));
    });
    this.readLines(this.child.stdout!, false);
    this.readLines(this.child.stderr!, true);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Runs one invocation. Resolves with the handler's response, or with the fault that ended it: the
   * deadline passing (the process is killed then), or the process exiting.
   */
  invoke(
    requestId: string,
    payload: string,
    timeoutMs: number,
    clientContext?: string,
    traceHeader?: string,
  ): Promise<InvocationOutcome> {
    // It may have died since it was last idle (an error thrown from a timer, say): that is this invocation's fault.
    if (this.state === 'dead') return this.exited.then((exit) => ({ kind: 'exit', exit }));
    if (this.state !== 'idle') {
      throw new Error(`Sandbox ${this.id} is ${this.state}, not idle: it cannot take an invocation.`);
    }
    this.state = 'busy';
    this.requestId = requestId;
    this.busySince = performance.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.onTimeout(), timeoutMs);
      this.pending = { requestId, resolve, timer };
      this.toSandbox.write(
        encodeFrame(
          ['invoke', requestId, Date.now() + timeoutMs, clientContext ?? null, traceHeader ?? null],
          payload,
        ),
      );
    });
  }

  /** Marks the sandbox idle after its init, or after an invocation that left it healthy. */
  release(): void {
    if (this.state === 'dead') return;
    this.state = 'idle';
    this.idleSince = performance.now();
  }

  /**
   * Kills the process and anything it spawned at once: its process group, then (on Linux) every process that
   * still carries its mark, such as one the handler detached into a session of its own. Resolves when the
   * sandbox has exited.
   */
  kill(): Promise<ExitInfo> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.killedByUs = true;
    this.killProcesses();
    if (this.state !== 'dead') this.state = 'dead';
    return this.exited;
  }

  /** SIGKILLs the sandbox's process group (what is left of it, once it exited) and every marked process. */
  private killProcesses(): void {
    try {
      if (this.child.pid !== undefined && process.platform !== 'win32')
        process.kill(-this.child.pid, 'SIGKILL');
      else this.child.kill('SIGKILL');
    } catch {
      // No group left (ESRCH): the process itself, if it is still there.
      this.child.kill('SIGKILL');
    }
    killMarked(this.mark);
  }

  /** Called by the memory watchdog when resident memory passed memorySize. */
  killForMemory(): void {
    this.memoryExceeded = true;
    void this.kill();
  }

  /** A frame from fd 4, in the order the sandbox wrote them (see sandbox-runtime.js for the kinds). */
  private onFrame(fields: FrameField[], body: string): void {
    const kind = fields[0];
    if (kind === 'log') {
      this.hooks.onLine(this, body);
    } else if (kind === 'done') {
      const pending = this.pending;
      if (!pending || pending.requestId !== fields[1]) return;
      this.pending = undefined;
      clearTimeout(pending.timer);
      this.maxRssKb = Math.max(this.maxRssKb, Number(fields[3]) || 0);
      pending.resolve({
        kind: 'response',
        isError: fields[2] === 1,
        payload: body,
        maxRssKb: this.maxRssKb,
        exiting: fields[4] === 1,
      });
    } else if (kind === 'ready') {
      this.settleInit?.({ kind: 'ready', initDurationMs: this.sinceStart() });
    } else if (kind === 'init-error') {
      this.settleInit?.({ kind: 'error', initDurationMs: this.sinceStart(), errorPayload: body });
    }
  }

  private onTimeout(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    // A sandbox stuck past its deadline never reports its memory: read it before killing it, for REPORT.
    this.maxRssKb = Math.max(this.maxRssKb, residentKbNow(this.child.pid) ?? 0);
    void this.kill();
    pending.resolve({ kind: 'timeout' });
  }

  private onExit(exit: ExitInfo): void {
    // The execution environment ends with its process: whatever the handler left running goes with it.
    this.killProcesses();
    this.state = 'dead';
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      clearTimeout(pending.timer);
      pending.resolve({ kind: 'exit', exit });
    }
    this.hooks.onExit(this, exit);
  }

  private readLines(stream: NodeJS.ReadableStream, isStderr: boolean): void {
    let carry = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (carry + chunk).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (isStderr && line.includes(HEAP_OUT_OF_MEMORY)) this.heapExhausted = true;
        this.hooks.onLine(this, line);
      }
    });
    stream.on('end', () => {
      if (carry) this.hooks.onLine(this, carry);
    });
  }

  private sinceStart(): number {
    return performance.now() - this.startedAt;
  }
}
