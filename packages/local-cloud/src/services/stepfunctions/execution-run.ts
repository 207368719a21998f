// One execution of a state machine as the service and the interpreter share it: the definition's types, the
// execution's status, output, AWS-shaped history and the trace the log prints, and the task tokens that
// `.waitForTaskToken` tasks wait on until SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat.
import { randomBytes } from 'node:crypto';
import { StatesError } from './errors';
import type { Json } from './paths';

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateDefinition = Record<string, unknown> & { Type: string };

export interface Definition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  QueryLanguage?: QueryLanguage;
  TimeoutSeconds?: number;
  Comment?: string;
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  /** `<detailsKey>`: `{...}`, e.g. `stateEnteredEventDetails`. */
  details?: { key: string; value: Record<string, unknown> };
}

/** What the log prints: one node per state run, with the branches and iterations it ran. */
export interface StateRecord {
  name: string;
  type: string;
  input: Json;
  output?: Json;
  error?: { error: string; cause: string };
  startedAt: number;
  endedAt?: number;
  retries: number;
  children: { label: string; records: StateRecord[] }[];
}

/** A task's work, handed to the integrations (integrations.ts). */
export interface TaskCall {
  resource: string;
  parameters: Json;
  stateName: string;
  execution: ExecutionRun;
  signal: AbortSignal;
  /** Adds an event to the history after the state's previous one; returns its id. */
  event(type: string, detailsKey: string, details: Record<string, unknown>): void;
  /** The TimeoutSeconds in effect, for the events. */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export interface TaskRunner {
  run(call: TaskCall): Promise<Json>;
}

/** Callback tokens waiting for SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat. */
export class TaskTokens {
  private readonly waiting = new Map<
    string,
    { resolve(output: Json): void; reject(error: StatesError): void; heartbeat(): void }
  >();

  create(): string {
    // AWS's tokens are long opaque strings; these are the same kind of thing.
    return randomBytes(96).toString('base64');
  }

  wait(token: string, heartbeat: () => void): Promise<Json> {
    return new Promise<Json>((resolve, reject) => {
      this.waiting.set(token, { resolve, reject, heartbeat });
    });
  }

  forget(token: string): void {
    this.waiting.delete(token);
  }

  /** False when the token is unknown or its task has finished. */
  succeed(token: string, output: Json): boolean {
    const waiter = this.waiting.get(token);
    if (!waiter) return false;
    this.waiting.delete(token);
    waiter.resolve(output);
    return true;
  }

  fail(token: string, error: string, cause: string): boolean {
    const waiter = this.waiting.get(token);
    if (!waiter) return false;
    this.waiting.delete(token);
    waiter.reject(new StatesError(error, cause));
    return true;
  }

  heartbeat(token: string): boolean {
    const waiter = this.waiting.get(token);
    waiter?.heartbeat();
    return waiter !== undefined;
  }
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionIdentity {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  /** When the execution was started by another one's task (states:startExecution). */
  parentTaskToken?: string;
}

/** One execution: its status, output, history and trace. */
export class ExecutionRun {
  status: ExecutionStatus = 'RUNNING';
  readonly startDate = new Date();
  stopDate?: Date;
  output?: Json;
  error?: string;
  cause?: string;
  readonly events: HistoryEvent[] = [];
  readonly trace: StateRecord[] = [];
  readonly done: Promise<void>;
  private readonly abort = new AbortController();
  private finish!: () => void;

  constructor(
    readonly identity: ExecutionIdentity,
    readonly definition: Definition,
    readonly input: Json,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  addEvent(
    type: string,
    previousEventId: number,
    detailsKey?: string,
    details?: Record<string, unknown>,
  ): number {
    const id = this.events.length + 1;
    this.events.push({
      id,
      previousEventId,
      timestamp: new Date(),
      type,
      ...(detailsKey ? { details: { key: detailsKey, value: details ?? {} } } : {}),
    });
    return id;
  }

  /** StopExecution: ends the execution ABORTED (a no-op once it ended). */
  stop(error?: string, cause?: string): boolean {
    if (this.status !== 'RUNNING') return false;
    this.end('ABORTED', { error, cause });
    this.addEvent('ExecutionAborted', this.events.length, 'executionAbortedEventDetails', {
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
    this.abort.abort(new StatesError('States.Aborted', 'The execution was stopped'));
    return true;
  }

  timeOut(): void {
    if (this.status !== 'RUNNING') return;
    this.end('TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
    this.addEvent('ExecutionTimedOut', this.events.length, 'executionTimedOutEventDetails', {
      error: 'States.Timeout',
      cause: 'The execution timed out',
    });
    this.abort.abort(new StatesError('States.Timeout', 'The execution timed out'));
  }

  end(status: ExecutionStatus, outcome: { output?: Json; error?: string; cause?: string }): void {
    this.status = status;
    this.stopDate = new Date();
    if ('output' in outcome) this.output = outcome.output;
    this.error = outcome.error;
    this.cause = outcome.cause;
    this.finish();
  }
}
