// The sandboxes of one function, as Lambda keeps execution environments: one invocation at a time per
// sandbox, a warm idle sandbox reused before a new one starts (cold), idle ones reaped after a while.
//
// Concurrency. With reservedConcurrency set, invocations beyond it are throttled (TooManyRequestsError, 429),
// as on AWS. Without it AWS would scale out to the account's 1,000 concurrent executions; a laptop cannot run
// a thousand Node processes, so at most `maxSandboxes` run at once and further invocations wait in a queue
// for the next free sandbox (first come, first served). With reservedConcurrency above maxSandboxes, the
// difference waits in the queue too, and only invocations beyond reservedConcurrency are throttled.
import type { FunctionDefinition } from '../config/service-definition';
import type { ModuleBundle } from './bundler';
import { LambdaServiceStoppedError } from './errors';
import {
  resultOfBrokenBuild,
  resultOfFailedInit,
  resultOfInvocation,
  type InvocationFacts,
} from './invocation-result';
import { TooManyRequestsError, type InvokeRequest, type InvokeResult } from './lambda-service';
import type { MemoryWatchdog } from './memory-watchdog';
import { Sandbox, type ExitInfo, type SandboxHooks, type SandboxSpec } from './sandbox';
import { newTraceHeader } from './trace-header';

export type SandboxEvent =
  | { type: 'started'; functionKey: string; sandboxId: string; pid: number | undefined }
  /** Idle longer than idleTimeoutMs. */
  | { type: 'reaped'; functionKey: string; sandboxId: string }
  /** Thrown away: its invocation timed out, it crashed or ran out of memory, its code changed, or the service stopped. */
  | { type: 'discarded'; functionKey: string; sandboxId: string; reason: DiscardReason }
  /** The process is gone (after any of the above, or on its own). */
  | { type: 'exited'; functionKey: string; sandboxId: string; pid: number | undefined; exit: ExitInfo };

export type DiscardReason = 'timeout' | 'crashed' | 'init-failed' | 'recycled' | 'stopped';

export interface FunctionLogLine {
  functionKey: string;
  /** The request being served when the line was written; empty for lines outside any invocation. */
  requestId: string;
  text: string;
}

export interface FunctionPoolOptions {
  fn: FunctionDefinition;
  bundle: ModuleBundle;
  maxSandboxes: number;
  idleTimeoutMs: number;
  /** Everything about a new sandbox but its log stream, which the pool names. */
  sandboxSpec(): SandboxSpec;
  watchdog: MemoryWatchdog;
  onSandboxEvent(event: SandboxEvent): void;
  onLog?(line: FunctionLogLine): void;
}

export class FunctionPool {
  private readonly sandboxes = new Set<Sandbox>();
  /** Most recently used last: reuse takes the warmest, and the others age towards reaping. */
  private readonly idle: Sandbox[] = [];
  private readonly reapTimers = new Map<Sandbox, NodeJS.Timeout>();
  /** Lines each sandbox writes during its current init or invocation. */
  private readonly buffers = new Map<Sandbox, string[]>();
  private readonly waiting: Array<(granted: boolean) => void> = [];
  private readonly discarded = new WeakSet<Sandbox>();
  /** Invocations holding one of the `capacity` slots. */
  private active = 0;
  private readonly capacity: number;
  private stopped = false;
  private readonly hooks: SandboxHooks = {
    onLine: (sandbox, text) => this.onLine(sandbox, text),
    onExit: (sandbox, exit) => this.onSandboxExit(sandbox, exit),
  };

  constructor(private readonly options: FunctionPoolOptions) {
    this.capacity = Math.min(options.fn.reservedConcurrency ?? Infinity, options.maxSandboxes);
  }

  get key(): string {
    return this.options.fn.key;
  }

  /** Live sandboxes: starting, busy or idle. */
  get size(): number {
    return this.sandboxes.size;
  }

  /** Invocations running or waiting for a sandbox. */
  get inFlight(): number {
    return this.active + this.waiting.length;
  }

  async invoke(request: InvokeRequest, requestId: string): Promise<InvokeResult> {
    if (this.stopped) throw new LambdaServiceStoppedError();
    const { reservedConcurrency } = this.options.fn;
    if (reservedConcurrency !== undefined && this.inFlight >= reservedConcurrency) {
      throw new TooManyRequestsError(this.options.fn.name);
    }
    await this.takeSlot();
    try {
      if (this.stopped) throw new LambdaServiceStoppedError();
      return await this.run(request, requestId);
    } finally {
      this.giveSlot();
    }
  }

  /** Hot reload: idle sandboxes go now, busy ones once their invocation ends; the next invocation is cold. */
  async recycle(): Promise<void> {
    for (const sandbox of this.sandboxes) sandbox.stale = true;
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((sandbox) => this.discard(sandbox, 'recycled')));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const grant of this.waiting.splice(0)) grant(false);
    this.idle.length = 0;
    await Promise.all([...this.sandboxes].map((sandbox) => this.discard(sandbox, 'stopped')));
  }

  private async run(request: InvokeRequest, requestId: string): Promise<InvokeResult> {
    const { fn, bundle } = this.options;
    const facts: InvocationFacts = {
      fn,
      requestId,
      durationMs: 0,
      maxRssKb: 0,
      initLines: [],
      lines: [],
      trace: newTraceHeader(),
    };
    if (bundle.failure) return resultOfBrokenBuild(facts, bundle.failure);

    let sandbox = this.idle.pop();
    if (!sandbox) {
      sandbox = this.start();
      sandbox.requestId = requestId;
      const init = await sandbox.ready;
      facts.initDurationMs = init.initDurationMs;
      facts.initLines = this.takeLines(sandbox);
      if (init.kind !== 'ready') {
        facts.durationMs = init.initDurationMs;
        facts.maxRssKb = sandbox.maxRssKb;
        await this.discard(sandbox, 'init-failed');
        return resultOfFailedInit(facts, init);
      }
      sandbox.release();
    }

    this.buffers.set(sandbox, facts.lines);
    this.options.watchdog.watch(sandbox);
    const started = performance.now();
    const outcome = await sandbox.invoke(
      requestId,
      request.payload,
      this.options.fn.timeout * 1000,
      request.clientContext,
      facts.trace?.header,
    );
    facts.durationMs = performance.now() - started;
    this.options.watchdog.unwatch(sandbox);
    this.buffers.delete(sandbox);
    facts.maxRssKb = sandbox.maxRssKb;

    if (outcome.kind === 'response' && !outcome.exiting && !sandbox.stale && !this.stopped) {
      this.makeIdle(sandbox);
    } else {
      // Awaited, so that when invoke() resolves a timed-out or crashed sandbox is gone, not still dying.
      await this.discard(
        sandbox,
        sandbox.stale ? 'recycled' : outcome.kind === 'timeout' ? 'timeout' : 'crashed',
      );
    }
    return resultOfInvocation(facts, outcome);
  }

  private start(): Sandbox {
    const sandbox = new Sandbox(this.options.sandboxSpec(), this.hooks);
    this.sandboxes.add(sandbox);
    this.buffers.set(sandbox, []);
    this.options.onSandboxEvent({
      type: 'started',
      functionKey: this.key,
      sandboxId: sandbox.id,
      pid: sandbox.pid,
    });
    return sandbox;
  }

  private makeIdle(sandbox: Sandbox): void {
    sandbox.release();
    sandbox.requestId = undefined;
    this.idle.push(sandbox);
    const timer = this.reapTimers.get(sandbox);
    if (timer) {
      timer.refresh();
    } else {
      const created = setTimeout(() => this.reapIfIdle(sandbox), this.options.idleTimeoutMs);
      created.unref();
      this.reapTimers.set(sandbox, created);
    }
  }

  private reapIfIdle(sandbox: Sandbox): void {
    // The timer is re-armed (refresh) each time the sandbox goes idle, and fires unheeded while it is busy.
    if (sandbox.state !== 'idle' || performance.now() - sandbox.idleSince < this.options.idleTimeoutMs - 1)
      return;
    const index = this.idle.indexOf(sandbox);
    if (index === -1) return;
    this.idle.splice(index, 1);
    this.options.onSandboxEvent({ type: 'reaped', functionKey: this.key, sandboxId: sandbox.id });
    void this.discard(sandbox);
  }

  private async discard(sandbox: Sandbox, reason?: DiscardReason): Promise<void> {
    if (reason && !this.discarded.has(sandbox)) {
      this.discarded.add(sandbox);
      this.options.onSandboxEvent({
        type: 'discarded',
        functionKey: this.key,
        sandboxId: sandbox.id,
        reason,
      });
    }
    this.forget(sandbox);
    await sandbox.kill();
  }

  private forget(sandbox: Sandbox): void {
    this.sandboxes.delete(sandbox);
    this.buffers.delete(sandbox);
    this.options.watchdog.unwatch(sandbox);
    const index = this.idle.indexOf(sandbox);
    if (index !== -1) this.idle.splice(index, 1);
    clearTimeout(this.reapTimers.get(sandbox));
    this.reapTimers.delete(sandbox);
  }

  private onSandboxExit(sandbox: Sandbox, exit: ExitInfo): void {
    this.forget(sandbox);
    this.options.onSandboxEvent({
      type: 'exited',
      functionKey: this.key,
      sandboxId: sandbox.id,
      pid: sandbox.pid,
      exit,
    });
  }

  private onLine(sandbox: Sandbox, text: string): void {
    this.buffers.get(sandbox)?.push(text);
    this.options.onLog?.({ functionKey: this.key, requestId: sandbox.requestId ?? '', text });
  }

  private takeLines(sandbox: Sandbox): string[] {
    const lines = this.buffers.get(sandbox) ?? [];
    this.buffers.delete(sandbox);
    return lines;
  }

  private takeSlot(): Promise<void> {
    if (this.active < this.capacity) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting.push((granted) => (granted ? resolve() : reject(new LambdaServiceStoppedError())));
    });
  }

  /** Hands the slot straight to the next waiting invocation, if any. */
  private giveSlot(): void {
    const next = this.waiting.shift();
    if (next) next(true);
    else this.active -= 1;
  }
}
