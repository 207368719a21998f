// The Amazon States Language interpreter (https://states-language.net/spec.html and the Step Functions developer
// guide): runs one execution of a definition, state by state, keeping AWS's execution history and a trace of what
// each state received and gave for the log.
//
//   JSONPath states  InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath, with `.$` fields,
//                    the context object `$$`, intrinsic functions and `$variable` references.
//   JSONata states   Arguments → (work) → Output, `{% %}` expressions over `$states` and variables.
//   Both             Assign (workflow variables), Retry (IntervalSeconds, MaxAttempts, BackoffRate,
//                    MaxDelaySeconds, JitterStrategy) then Catch on Task, Parallel and Map; TimeoutSeconds and
//                    HeartbeatSeconds on Task; the execution's TimeoutSeconds.
//
// Waits go through `sleep` scaled by `timeScale`, so tests run Wait states and retry back-offs without real seconds.
import { isRecord } from '../../common/records';
import { runtimeError, StatesError, TERMINAL_ERRORS } from './errors';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics';
import { evaluateExpression, evaluateTemplate, isExpression, type StatesBinding } from './jsonata-query';
import { choiceMatches } from './choice-rules';
import type { ExecutionRun, TaskTokens } from './execution-run';
import {
  type Definition,
  type QueryLanguage,
  type StateDefinition,
  type StateRecord,
  type TaskCall,
  type TaskRunner,
} from './execution-run';
import { placeAtPath, selectPath, textOf, type Json, type PathRoots } from './paths';

export {
  ExecutionRun,
  TaskTokens,
  type Definition,
  type ExecutionIdentity,
  type ExecutionStatus,
  type HistoryEvent,
  type QueryLanguage,
  type StateDefinition,
  type StateRecord,
  type TaskCall,
  type TaskRunner,
} from './execution-run';

export interface InterpreterOptions {
  tasks: TaskRunner;
  tokens: TaskTokens;
  /** Seconds of the definition become `seconds * 1000 * timeScale` ms of waiting. Default 1. */
  timeScale?: number;
  /** Waits `ms`, rejecting when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

interface Scope {
  run: ExecutionRun;
  language: QueryLanguage;
  variables: Map<string, Json>;
  records: StateRecord[];
  /** The last history event of this thread of states (a branch, an iteration). */
  lastEventId: number;
  signal: AbortSignal;
  mapItem?: { Index: number; Value: Json };
}

interface StateOutcome {
  output: Json;
  next?: string;
}

const DEFAULT_RETRY = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

export class Interpreter {
  private readonly timeScale: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: InterpreterOptions) {
    this.timeScale = options.timeScale ?? 1;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
  }

  /** Runs the execution to its end; the run's status, output and history say how it ended. */
  async execute(run: ExecutionRun): Promise<void> {
    const started = run.addEvent('ExecutionStarted', 0, 'executionStartedEventDetails', {
      input: JSON.stringify(run.input),
      inputDetails: { truncated: false },
      roleArn: run.identity.roleArn,
    });
    const timeout = run.definition.TimeoutSeconds;
    const timer =
      typeof timeout === 'number' && timeout > 0
        ? setTimeout(() => run.timeOut(), timeout * 1000 * this.timeScale)
        : undefined;
    const scope: Scope = {
      run,
      language: run.definition.QueryLanguage ?? 'JSONPath',
      variables: new Map(),
      records: run.trace,
      lastEventId: started,
      signal: run.signal,
    };
    try {
      const output = await this.runStates(run.definition, run.input, scope);
      if (run.status !== 'RUNNING') return;
      run.end('SUCCEEDED', { output });
      run.addEvent('ExecutionSucceeded', scope.lastEventId, 'executionSucceededEventDetails', {
        output: JSON.stringify(output),
        outputDetails: { truncated: false },
      });
    } catch (error) {
      if (run.status !== 'RUNNING') return;
      const failure = asStatesError(error);
      run.end('FAILED', { error: failure.error, cause: failure.cause });
      run.addEvent('ExecutionFailed', scope.lastEventId, 'executionFailedEventDetails', {
        error: failure.error,
        cause: failure.cause,
      });
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private async runStates(
    definition: Pick<Definition, 'StartAt' | 'States' | 'QueryLanguage'>,
    input: Json,
    scope: Scope,
  ): Promise<Json> {
    if (typeof definition.StartAt !== 'string')
      throw runtimeError('The definition has no StartAt: it cannot run');
    let name: string | undefined = definition.StartAt;
    let value = input;
    while (name !== undefined) {
      if (scope.signal.aborted) throw asStatesError(scope.signal.reason);
      const state = definition.States[name];
      if (!state) throw runtimeError(`The state '${name}' does not exist in the definition`);
      const outcome = await this.runState(name, state, value, scope);
      value = outcome.output;
      name = outcome.next;
    }
    return value;
  }

  private async runState(
    name: string,
    state: StateDefinition,
    input: Json,
    outer: Scope,
  ): Promise<StateOutcome> {
    const scope: Scope = {
      ...outer,
      language: (state.QueryLanguage as QueryLanguage | undefined) ?? outer.language,
    };
    const record: StateRecord = {
      name,
      type: state.Type,
      input,
      startedAt: performance.now(),
      retries: 0,
      children: [],
    };
    outer.records.push(record);
    const entered = new Date().toISOString();
    scope.lastEventId = outer.run.addEvent(
      `${state.Type}StateEntered`,
      outer.lastEventId,
      'stateEnteredEventDetails',
      {
        name,
        input: JSON.stringify(input),
        inputDetails: { truncated: false },
      },
    );
    const context = (extra: Record<string, Json> = {}): Json =>
      this.contextObject(scope, name, entered, record.retries, extra);
    try {
      const outcome = await this.stateWork(name, state, input, scope, record, context);
      record.output = outcome.output;
      record.endedAt = performance.now();
      if (state.Type !== 'Fail') {
        scope.lastEventId = outer.run.addEvent(
          `${state.Type}StateExited`,
          scope.lastEventId,
          'stateExitedEventDetails',
          {
            name,
            output: JSON.stringify(outcome.output),
            outputDetails: { truncated: false },
          },
        );
      }
      outer.lastEventId = scope.lastEventId;
      // Assignments made in this thread are seen by the next state.
      for (const [key, value] of scope.variables) outer.variables.set(key, value);
      return outcome;
    } catch (error) {
      const failure = asStatesError(error);
      record.error = { error: failure.error, cause: failure.cause };
      record.endedAt = performance.now();
      outer.lastEventId = scope.lastEventId;
      throw failure;
    }
  }

  private contextObject(
    scope: Scope,
    name: string,
    entered: string,
    retryCount: number,
    extra: Record<string, Json>,
  ): Json {
    const { identity, input, startDate } = scope.run;
    return {
      Execution: {
        Id: identity.executionArn,
        Input: input,
        Name: identity.name,
        RoleArn: identity.roleArn,
        StartTime: startDate.toISOString(),
        RedriveCount: 0,
      },
      State: { EnteredTime: entered, Name: name, RetryCount: retryCount },
      StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
      ...(scope.mapItem ? { Map: { Item: scope.mapItem } } : {}),
      ...extra,
    };
  }

  private async stateWork(
    name: string,
    state: StateDefinition,
    input: Json,
    scope: Scope,
    record: StateRecord,
    context: (extra?: Record<string, Json>) => Json,
  ): Promise<StateOutcome> {
    const jsonata = scope.language === 'JSONata';
    const next = (): string | undefined => nextStateOf(state);
    switch (state.Type) {
      case 'Pass': {
        if (jsonata) {
          const states: StatesBinding = { input, context: context() };
          const output =
            state.Output === undefined ? input : await this.template(state.Output, states, scope, 'Output');
          await this.assign(state.Assign, states, scope);
          return { output, next: next() };
        }
        const effective = this.inputPath(state.InputPath, input, scope, context());
        const result =
          state.Result !== undefined
            ? (state.Result as Json)
            : state.Parameters !== undefined
              ? this.payload(
                  state.Parameters,
                  { input: effective, context: context(), variables: scope.variables },
                  'Parameters',
                )
              : effective;
        this.assignPath(state.Assign, { input: result, context: context(), variables: scope.variables });
        const output = this.outputPath(
          state.OutputPath,
          this.resultPath(state.ResultPath, input, result),
          scope,
          context(),
        );
        return { output, next: next() };
      }
      case 'Succeed': {
        if (jsonata) {
          const states: StatesBinding = { input, context: context() };
          return {
            output:
              state.Output === undefined ? input : await this.template(state.Output, states, scope, 'Output'),
          };
        }
        const effective = this.inputPath(state.InputPath, input, scope, context());
        return { output: this.outputPath(state.OutputPath, effective, scope, context()) };
      }
      case 'Fail': {
        let error = state.Error as string | undefined;
        let cause = state.Cause as string | undefined;
        if (jsonata) {
          const states: StatesBinding = { input, context: context() };
          if (isExpression(error))
            error = textOf(await evaluateExpression(error, states, scope.variables, 'Error'));
          if (isExpression(cause))
            cause = textOf(await evaluateExpression(cause, states, scope.variables, 'Cause'));
        } else {
          const roots: PathRoots = { input, context: context(), variables: scope.variables };
          if (typeof state.ErrorPath === 'string')
            error = textOf(this.pathOrIntrinsic(state.ErrorPath, roots, 'ErrorPath'));
          if (typeof state.CausePath === 'string')
            cause = textOf(this.pathOrIntrinsic(state.CausePath, roots, 'CausePath'));
        }
        throw new StatesError(error ?? '', cause ?? '');
      }
      case 'Wait':
        return this.waitState(state, input, scope, context, next);
      case 'Choice':
        return this.choiceState(name, state, input, scope, context);
      case 'Task':
      case 'Parallel':
      case 'Map':
        return this.withRetryAndCatch(name, state, input, scope, record, context);
      default:
        throw runtimeError(`The state '${name}' has the unknown type ${state.Type}`);
    }
  }

  private async waitState(
    state: StateDefinition,
    input: Json,
    scope: Scope,
    context: () => Json,
    next: () => string | undefined,
  ): Promise<StateOutcome> {
    let seconds: number | undefined;
    let timestamp: string | undefined;
    let output = input;
    if (scope.language === 'JSONata') {
      const states: StatesBinding = { input, context: context() };
      if (state.Seconds !== undefined)
        seconds = Number(
          isExpression(state.Seconds)
            ? await evaluateExpression(state.Seconds, states, scope.variables, 'Seconds')
            : state.Seconds,
        );
      if (state.Timestamp !== undefined)
        timestamp = textOf(
          isExpression(state.Timestamp)
            ? await evaluateExpression(state.Timestamp, states, scope.variables, 'Timestamp')
            : state.Timestamp,
        );
      if (state.Output !== undefined) output = await this.template(state.Output, states, scope, 'Output');
      await this.assign(state.Assign, states, scope);
    } else {
      const roots: PathRoots = {
        input: this.inputPath(state.InputPath, input, scope, context()),
        context: context(),
        variables: scope.variables,
      };
      if (typeof state.Seconds === 'number') seconds = state.Seconds;
      if (typeof state.Timestamp === 'string') timestamp = state.Timestamp;
      if (typeof state.SecondsPath === 'string') {
        const value = selectPath(state.SecondsPath, roots);
        if (typeof value !== 'number' || value < 0)
          throw runtimeError(
            `The SecondsPath parameter does not reference a valid non-negative integer: ${JSON.stringify(value)}`,
          );
        seconds = value;
      }
      if (typeof state.TimestampPath === 'string') {
        const value = selectPath(state.TimestampPath, roots);
        if (typeof value !== 'string')
          throw runtimeError(
            `The TimestampPath parameter does not reference a valid ISO-8601 timestamp: ${JSON.stringify(value)}`,
          );
        timestamp = value;
      }
      this.assignPath(state.Assign, roots);
      output = this.outputPath(state.OutputPath, roots.input, scope, context());
    }
    let ms = 0;
    if (seconds !== undefined) ms = seconds * 1000;
    if (timestamp !== undefined) {
      const at = Date.parse(timestamp);
      if (Number.isNaN(at))
        throw runtimeError(`The timestamp '${timestamp}' is not a valid ISO-8601 timestamp`);
      ms = Math.max(0, at - Date.now());
    }
    await this.sleep(ms * this.timeScale, scope.signal);
    return { output, next: next() };
  }

  private async choiceState(
    name: string,
    state: StateDefinition,
    input: Json,
    scope: Scope,
    context: () => Json,
  ): Promise<StateOutcome> {
    const rules = Array.isArray(state.Choices) ? (state.Choices as Record<string, unknown>[]) : [];
    if (scope.language === 'JSONata') {
      const states: StatesBinding = { input, context: context() };
      for (const rule of rules) {
        const condition = isExpression(rule.Condition)
          ? await evaluateExpression(rule.Condition, states, scope.variables, 'Condition')
          : rule.Condition;
        if (typeof condition !== 'boolean')
          throw new StatesError(
            'States.QueryEvaluationError',
            `The Condition of a choice rule of '${name}' must give a boolean, got ${JSON.stringify(condition)}`,
          );
        if (condition) {
          const output =
            rule.Output === undefined ? input : await this.template(rule.Output, states, scope, 'Output');
          await this.assign(rule.Assign, states, scope);
          return { output, next: rule.Next as string };
        }
      }
    } else {
      const effective = this.inputPath(state.InputPath, input, scope, context());
      const roots: PathRoots = { input: effective, context: context(), variables: scope.variables };
      for (const rule of rules) {
        if (choiceMatches(rule, roots)) {
          this.assignPath(rule.Assign, roots);
          return {
            output: this.outputPath(state.OutputPath, effective, scope, context()),
            next: rule.Next as string,
          };
        }
      }
      if (typeof state.Default === 'string') {
        this.assignPath(state.Assign, roots);
        return {
          output: this.outputPath(state.OutputPath, effective, scope, context()),
          next: state.Default,
        };
      }
    }
    if (typeof state.Default === 'string') {
      const states: StatesBinding = { input, context: context() };
      const output =
        state.Output === undefined ? input : await this.template(state.Output, states, scope, 'Output');
      await this.assign(state.Assign, states, scope);
      return { output, next: state.Default };
    }
    throw new StatesError(
      'States.NoChoiceMatched',
      `No Matches! The state '${name}' has no rule matching its input and no Default.`,
    );
  }

  /** Task, Parallel and Map: the work, then Retry, then Catch. */
  private async withRetryAndCatch(
    name: string,
    state: StateDefinition,
    input: Json,
    scope: Scope,
    record: StateRecord,
    context: (extra?: Record<string, Json>) => Json,
  ): Promise<StateOutcome> {
    const jsonata = scope.language === 'JSONata';
    const retriers = Array.isArray(state.Retry) ? (state.Retry as Record<string, unknown>[]) : [];
    const attempts = retriers.map(() => 0);
    const next = nextStateOf(state);
    for (;;) {
      try {
        if (jsonata) {
          const states: StatesBinding = { input, context: context() };
          const result = await this.work(name, state, input, states, scope, record, context);
          const withResult: StatesBinding = { ...states, context: context(), result };
          const output =
            state.Output === undefined
              ? result
              : await this.template(state.Output, withResult, scope, 'Output');
          await this.assign(state.Assign, withResult, scope);
          return { output, next };
        }
        const effective = this.inputPath(state.InputPath, input, scope, context());
        const result = await this.work(name, state, effective, undefined, scope, record, context);
        const selected =
          state.ResultSelector === undefined
            ? result
            : this.payload(
                state.ResultSelector,
                { input: result, context: context(), variables: scope.variables },
                'ResultSelector',
              );
        this.assignPath(state.Assign, { input: selected, context: context(), variables: scope.variables });
        const output = this.outputPath(
          state.OutputPath,
          this.resultPath(state.ResultPath, input, selected),
          scope,
          context(),
        );
        return { output, next };
      } catch (error) {
        const failure = asStatesError(error);
        if (scope.signal.aborted || TERMINAL_ERRORS.has(failure.error)) throw failure;
        const index = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, failure.error));
        if (index !== -1) {
          const retrier = { ...DEFAULT_RETRY, ...retriers[index] } as Record<string, unknown>;
          const maxAttempts = Number(retrier.MaxAttempts);
          if (attempts[index]! < maxAttempts) {
            let delay = Number(retrier.IntervalSeconds) * Number(retrier.BackoffRate) ** attempts[index]!;
            if (typeof retrier.MaxDelaySeconds === 'number') delay = Math.min(delay, retrier.MaxDelaySeconds);
            if (retrier.JitterStrategy === 'FULL') delay = this.random() * delay;
            attempts[index]! += 1;
            record.retries += 1;
            await this.sleep(delay * 1000 * this.timeScale, scope.signal);
            continue;
          }
        }
        const catchers = Array.isArray(state.Catch) ? (state.Catch as Record<string, unknown>[]) : [];
        const catcher = catchers.find((candidate) => errorMatches(candidate.ErrorEquals, failure.error));
        if (!catcher) throw failure;
        const errorOutput: Json = { Error: failure.error, Cause: failure.cause };
        record.error = { error: failure.error, cause: failure.cause };
        if (jsonata) {
          const states: StatesBinding = { input, context: context(), errorOutput };
          const output =
            catcher.Output === undefined
              ? errorOutput
              : await this.template(catcher.Output, states, scope, 'Output');
          await this.assign(catcher.Assign, states, scope);
          return { output, next: catcher.Next as string };
        }
        this.assignPath(catcher.Assign, {
          input: errorOutput,
          context: context(),
          variables: scope.variables,
        });
        return {
          output: this.resultPath(catcher.ResultPath, input, errorOutput),
          next: catcher.Next as string,
        };
      }
    }
  }

  /** The work of a Task, Parallel or Map: its result. */
  private async work(
    name: string,
    state: StateDefinition,
    effective: Json,
    states: StatesBinding | undefined,
    scope: Scope,
    record: StateRecord,
    context: (extra?: Record<string, Json>) => Json,
  ): Promise<Json> {
    switch (state.Type) {
      case 'Task':
        return this.task(name, state, effective, states, scope, context);
      case 'Parallel':
        return this.parallel(name, state, effective, states, scope, record, context);
      default:
        return this.map(name, state, effective, states, scope, record, context);
    }
  }

  private async task(
    name: string,
    state: StateDefinition,
    effective: Json,
    states: StatesBinding | undefined,
    scope: Scope,
    context: (extra?: Record<string, Json>) => Json,
  ): Promise<Json> {
    const resource = String(state.Resource);
    const waitsForToken = resource.endsWith('.waitForTaskToken');
    const token = waitsForToken ? this.options.tokens.create() : undefined;
    const taskContext = () => context(token ? { Task: { Token: token } } : {});
    let parameters: Json;
    let timeoutSeconds: number | undefined;
    let heartbeatSeconds: number | undefined;
    if (states) {
      const withToken: StatesBinding = { ...states, context: taskContext() };
      parameters =
        state.Arguments === undefined
          ? effective
          : await this.template(state.Arguments, withToken, scope, 'Arguments');
      timeoutSeconds = await this.numberField(state.TimeoutSeconds, withToken, scope, 'TimeoutSeconds');
      heartbeatSeconds = await this.numberField(state.HeartbeatSeconds, withToken, scope, 'HeartbeatSeconds');
    } else {
      const roots: PathRoots = { input: effective, context: taskContext(), variables: scope.variables };
      parameters =
        state.Parameters === undefined ? effective : this.payload(state.Parameters, roots, 'Parameters');
      timeoutSeconds =
        typeof state.TimeoutSeconds === 'number'
          ? state.TimeoutSeconds
          : this.pathNumber(state.TimeoutSecondsPath, roots);
      heartbeatSeconds =
        typeof state.HeartbeatSeconds === 'number'
          ? state.HeartbeatSeconds
          : this.pathNumber(state.HeartbeatSecondsPath, roots);
    }
    const abort = new AbortController();
    const onAbort = () => abort.abort(scope.signal.reason);
    scope.signal.addEventListener('abort', onAbort, { once: true });
    const timers: NodeJS.Timeout[] = [];
    const failWith = (error: StatesError) => abort.abort(error);
    const call: TaskCall = {
      resource,
      parameters,
      stateName: name,
      execution: scope.run,
      signal: abort.signal,
      event: (type, detailsKey, details) => {
        scope.lastEventId = scope.run.addEvent(type, scope.lastEventId, detailsKey, details);
      },
      timeoutSeconds,
      heartbeatSeconds,
    };
    const aborted = new Promise<never>((_, reject) => {
      abort.signal.addEventListener('abort', () => reject(asStatesError(abort.signal.reason)), {
        once: true,
      });
    });
    aborted.catch(() => undefined);
    if (timeoutSeconds !== undefined) {
      timers.push(
        setTimeout(
          () =>
            failWith(
              new StatesError(
                'States.Timeout',
                `The task '${name}' ran longer than its TimeoutSeconds (${timeoutSeconds})`,
              ),
            ),
          timeoutSeconds * 1000 * this.timeScale,
        ),
      );
    }
    try {
      const requested = Promise.race([this.options.tasks.run(call), aborted]);
      if (!token) return await requested;
      let heartbeatTimer: NodeJS.Timeout | undefined;
      const armHeartbeat = () => {
        if (heartbeatSeconds === undefined) return;
        if (heartbeatTimer) clearTimeout(heartbeatTimer);
        heartbeatTimer = setTimeout(
          () =>
            failWith(
              new StatesError(
                'States.HeartbeatTimeout',
                `The task '${name}' sent no heartbeat for ${heartbeatSeconds} seconds`,
              ),
            ),
          heartbeatSeconds * 1000 * this.timeScale,
        );
        timers.push(heartbeatTimer);
      };
      const completed = this.options.tokens.wait(token, armHeartbeat);
      armHeartbeat();
      try {
        await requested;
      } catch (error) {
        this.options.tokens.forget(token);
        if (heartbeatTimer) clearTimeout(heartbeatTimer);
        throw error;
      }
      try {
        const output = await Promise.race([completed, aborted]);
        const kind = taskKind(resource);
        if (kind)
          call.event('TaskSucceeded', 'taskSucceededEventDetails', {
            ...kind,
            output: JSON.stringify(output),
            outputDetails: { truncated: false },
          });
        return output;
      } catch (error) {
        const failure = asStatesError(error);
        const kind = taskKind(resource);
        if (
          kind &&
          failure.error !== 'States.Timeout' &&
          failure.error !== 'States.HeartbeatTimeout' &&
          !scope.signal.aborted
        )
          call.event('TaskFailed', 'taskFailedEventDetails', {
            ...kind,
            error: failure.error,
            cause: failure.cause,
          });
        throw failure;
      } finally {
        this.options.tokens.forget(token);
        if (heartbeatTimer) clearTimeout(heartbeatTimer);
      }
    } catch (error) {
      const failure = asStatesError(error);
      const kind = taskKind(resource);
      if (kind && (failure.error === 'States.Timeout' || failure.error === 'States.HeartbeatTimeout')) {
        call.event('TaskTimedOut', 'taskTimedOutEventDetails', {
          ...kind,
          error: failure.error,
          cause: failure.cause,
        });
      }
      throw failure;
    } finally {
      timers.forEach(clearTimeout);
      scope.signal.removeEventListener('abort', onAbort);
    }
  }

  private async parallel(
    name: string,
    state: StateDefinition,
    effective: Json,
    states: StatesBinding | undefined,
    scope: Scope,
    record: StateRecord,
    context: (extra?: Record<string, Json>) => Json,
  ): Promise<Json> {
    let input = effective;
    if (states) {
      if (state.Arguments !== undefined)
        input = await this.template(state.Arguments, states, scope, 'Arguments');
    } else if (state.Parameters !== undefined) {
      input = this.payload(
        state.Parameters,
        { input: effective, context: context(), variables: scope.variables },
        'Parameters',
      );
    }
    const branches = Array.isArray(state.Branches) ? (state.Branches as Definition[]) : [];
    scope.lastEventId = scope.run.addEvent('ParallelStateStarted', scope.lastEventId);
    const abort = childAbort(scope.signal);
    try {
      const results = await Promise.all(
        branches.map(async (branch, index) => {
          const records: StateRecord[] = [];
          record.children.push({ label: `branch ${index + 1}`, records });
          const child: Scope = {
            ...scope,
            language: branch.QueryLanguage ?? scope.language,
            variables: new Map(scope.variables),
            records,
            signal: abort.signal,
          };
          try {
            return await this.runStates(branch, input, child);
          } catch (error) {
            abort.abort(asStatesError(error));
            throw error;
          }
        }),
      );
      scope.lastEventId = scope.run.addEvent('ParallelStateSucceeded', scope.lastEventId);
      return results;
    } catch (error) {
      scope.lastEventId = scope.run.addEvent('ParallelStateFailed', scope.lastEventId);
      throw asStatesError(error);
    } finally {
      abort.release();
    }
  }

  private async map(
    name: string,
    state: StateDefinition,
    effective: Json,
    states: StatesBinding | undefined,
    scope: Scope,
    record: StateRecord,
    context: (extra?: Record<string, Json>) => Json,
  ): Promise<Json> {
    let items: Json | undefined;
    if (states) {
      items =
        state.Items === undefined ? effective : await this.template(state.Items, states, scope, 'Items');
    } else {
      const roots: PathRoots = { input: effective, context: context(), variables: scope.variables };
      items = Array.isArray(state.Items)
        ? (state.Items as Json)
        : selectPath(typeof state.ItemsPath === 'string' ? state.ItemsPath : '$', roots);
    }
    if (!Array.isArray(items)) {
      throw runtimeError(
        `The state '${name}' needs an array of items: ${state.ItemsPath === undefined ? 'its input' : `ItemsPath '${textOf(state.ItemsPath)}'`} gave ${JSON.stringify(items) ?? 'nothing'}`,
      );
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as
      (Definition & { ProcessorConfig?: Record<string, unknown> }) | undefined;
    if (!processor) throw runtimeError(`The Map state '${name}' has no ItemProcessor`);
    const distributed = processor.ProcessorConfig?.Mode === 'DISTRIBUTED';
    const selector = state.ItemSelector ?? state.Parameters;
    // ItemBatcher: items go in batches of MaxItemsPerBatch, `{ "Items": [...] }` with BatchInput.
    let work: Json[] = items;
    const batcher = isRecord(state.ItemBatcher) ? state.ItemBatcher : undefined;
    if (batcher && typeof batcher.MaxItemsPerBatch === 'number') {
      const batches: Json[] = [];
      for (let i = 0; i < items.length; i += batcher.MaxItemsPerBatch)
        batches.push({
          ...(isRecord(batcher.BatchInput) ? (batcher.BatchInput as Record<string, Json>) : {}),
          Items: items.slice(i, i + batcher.MaxItemsPerBatch),
        });
      work = batches;
    }
    const maxConcurrency =
      typeof state.MaxConcurrency === 'number' && state.MaxConcurrency > 0 ? state.MaxConcurrency : 40;
    const tolerated = distributed ? toleratedFailures(state, work.length) : 0;
    scope.lastEventId = scope.run.addEvent(
      'MapStateStarted',
      scope.lastEventId,
      'mapStateStartedEventDetails',
      { length: work.length },
    );
    const abort = childAbort(scope.signal);
    const results: Json[] = new Array<Json>(work.length).fill(null);
    let failures = 0;
    let nextIndex = 0;
    let firstFailure: StatesError | undefined;
    const worker = async () => {
      while (nextIndex < work.length && !abort.signal.aborted) {
        const index = nextIndex++;
        const value = work[index]!;
        const records: StateRecord[] = [];
        record.children.push({ label: `item ${index}`, records });
        const child: Scope = {
          ...scope,
          language: processor.QueryLanguage ?? scope.language,
          variables: new Map(scope.variables),
          records,
          signal: abort.signal,
          mapItem: { Index: index, Value: value },
        };
        child.lastEventId = scope.run.addEvent(
          'MapIterationStarted',
          scope.lastEventId,
          'mapIterationStartedEventDetails',
          { name, index },
        );
        try {
          let itemInput: Json = value;
          const itemContext = this.contextObject(child, name, new Date().toISOString(), 0, {});
          if (selector !== undefined) {
            itemInput = states
              ? await this.template(selector, { ...states, context: itemContext }, child, 'ItemSelector')
              : this.payload(
                  selector,
                  { input: effective, context: itemContext, variables: scope.variables },
                  'ItemSelector',
                );
          }
          results[index] = await this.runStates(processor, itemInput, child);
          child.lastEventId = scope.run.addEvent(
            'MapIterationSucceeded',
            child.lastEventId,
            'mapIterationSucceededEventDetails',
            { name, index },
          );
        } catch (error) {
          const failure = asStatesError(error);
          scope.run.addEvent('MapIterationFailed', child.lastEventId, 'mapIterationFailedEventDetails', {
            name,
            index,
          });
          failures += 1;
          results[index] = { Error: failure.error, Cause: failure.cause };
          if (TERMINAL_ERRORS.has(failure.error) || failures > tolerated) {
            firstFailure ??=
              distributed && !TERMINAL_ERRORS.has(failure.error)
                ? new StatesError(
                    'States.ExceedToleratedFailureThreshold',
                    `The Map Run failed: ${failures} of ${work.length} items failed, more than tolerated`,
                  )
                : failure;
            abort.abort(firstFailure);
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(maxConcurrency, work.length) }, worker));
      if (scope.signal.aborted) throw asStatesError(scope.signal.reason);
      if (firstFailure) throw firstFailure;
      scope.lastEventId = scope.run.addEvent('MapStateSucceeded', scope.lastEventId);
      return results;
    } catch (error) {
      scope.lastEventId = scope.run.addEvent('MapStateFailed', scope.lastEventId);
      throw asStatesError(error);
    } finally {
      abort.release();
    }
  }

  // --- JSONPath processing -------------------------------------------------------------------------------------

  private inputPath(path: unknown, input: Json, scope: Scope, context: Json): Json {
    if (path === null) return {};
    if (path === undefined || path === '$') return input;
    const value = selectPath(textOf(path), { input, context, variables: scope.variables });
    if (value === undefined)
      throw runtimeError(
        `Invalid path '${textOf(path)}' : The InputPath '${textOf(path)}' could not be found in the input '${JSON.stringify(input)}'`,
      );
    return value;
  }

  private outputPath(path: unknown, output: Json, scope: Scope, context: Json): Json {
    if (path === null) return {};
    if (path === undefined || path === '$') return output;
    const value = selectPath(textOf(path), { input: output, context, variables: scope.variables });
    if (value === undefined)
      throw runtimeError(
        `Invalid path '${textOf(path)}' : The OutputPath '${textOf(path)}' could not be found in the output '${JSON.stringify(output)}'`,
      );
    return value;
  }

  private resultPath(path: unknown, input: Json, result: Json): Json {
    if (path === null) return input;
    if (path === undefined || path === '$') return result;
    const placed = placeAtPath(input, textOf(path), result);
    if (placed === undefined)
      throw new StatesError(
        'States.ResultPathMatchFailure',
        `Unable to apply ResultPath '${textOf(path)}' to input '${JSON.stringify(input)}'`,
      );
    return placed;
  }

  /** A payload template (Parameters, ResultSelector, ItemSelector): `.$` fields evaluated. */
  private payload(template: unknown, roots: PathRoots, field: string): Json {
    if (Array.isArray(template)) return template.map((item) => this.payload(item, roots, field));
    if (!isRecord(template)) return template as Json;
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(template)) {
      if (key.endsWith('.$') && typeof value === 'string') {
        out[key.slice(0, -2)] = this.pathOrIntrinsic(value, roots, key);
      } else out[key] = this.payload(value, roots, key);
    }
    return out;
  }

  private pathOrIntrinsic(expression: string, roots: PathRoots, field: string): Json {
    if (isIntrinsic(expression)) return evaluateIntrinsic(expression, roots);
    const value = selectPath(expression, roots);
    if (value === undefined) {
      const where = expression.startsWith('$$') ? 'context object' : 'input';
      throw runtimeError(
        `The JSONPath '${expression}' specified for the field '${field}' could not be found in the ${where} '${JSON.stringify(expression.startsWith('$$') ? roots.context : roots.input)}'`,
      );
    }
    return value;
  }

  private pathNumber(path: unknown, roots: PathRoots): number | undefined {
    if (typeof path !== 'string') return undefined;
    const value = selectPath(path, roots);
    if (typeof value !== 'number' || value <= 0)
      throw runtimeError(`The path '${path}' must give a positive number, got ${JSON.stringify(value)}`);
    return value;
  }

  /** JSONPath's Assign: `.$` fields evaluated against the state's result, then all set at once. */
  private assignPath(assign: unknown, roots: PathRoots): void {
    if (!isRecord(assign)) return;
    const values = this.payload(assign, roots, 'Assign') as Record<string, Json>;
    for (const [key, value] of Object.entries(values)) (roots.variables as Map<string, Json>).set(key, value);
  }

  // --- JSONata processing --------------------------------------------------------------------------------------

  private template(template: unknown, states: StatesBinding, scope: Scope, field: string): Promise<Json> {
    return evaluateTemplate(template, states, scope.variables, field);
  }

  private async assign(assign: unknown, states: StatesBinding, scope: Scope): Promise<void> {
    if (!isRecord(assign)) return;
    const values = (await evaluateTemplate(assign, states, scope.variables, 'Assign')) as Record<
      string,
      Json
    >;
    for (const [key, value] of Object.entries(values)) scope.variables.set(key, value);
  }

  private async numberField(
    value: unknown,
    states: StatesBinding,
    scope: Scope,
    field: string,
  ): Promise<number | undefined> {
    if (value === undefined) return undefined;
    const evaluated = isExpression(value)
      ? await evaluateExpression(value, states, scope.variables, field)
      : value;
    if (typeof evaluated !== 'number' || evaluated <= 0)
      throw new StatesError(
        'States.QueryEvaluationError',
        `The field '${field}' must be a positive number, got ${JSON.stringify(evaluated)}`,
      );
    return evaluated;
  }
}

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` → `{ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' }`. */
/** The state that follows this one: none for an End state. */
function nextStateOf(state: StateDefinition): string | undefined {
  return state.End === true ? undefined : (state.Next as string | undefined);
}

export function taskKind(resource: string): { resourceType: string; resource: string } | undefined {
  const match = /^arn:aws:states:[^:]*:[^:]*:(.+):([^:]+)$/.exec(resource);
  if (!match) return undefined;
  return { resourceType: match[1]!, resource: match[2]! };
}

function errorMatches(names: unknown, error: string): boolean {
  if (!Array.isArray(names)) return false;
  return names.some(
    (name) =>
      name === error ||
      (name === 'States.ALL' && !TERMINAL_ERRORS.has(error)) ||
      (name === 'States.TaskFailed' &&
        !['States.Timeout', 'States.HeartbeatTimeout', 'States.Runtime'].includes(error) &&
        !TERMINAL_ERRORS.has(error)),
  );
}

function toleratedFailures(state: StateDefinition, count: number): number {
  let tolerated = 0;
  if (typeof state.ToleratedFailureCount === 'number') tolerated = state.ToleratedFailureCount;
  if (typeof state.ToleratedFailurePercentage === 'number')
    tolerated = Math.max(tolerated, Math.floor((state.ToleratedFailurePercentage / 100) * count));
  return tolerated;
}

export function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StatesError('States.Runtime', message);
}

/** An abort controller that follows its parent, and lets go of it after. */
function childAbort(parent: AbortSignal): AbortController & { release(): void } {
  const controller = new AbortController() as AbortController & { release(): void };
  const follow = () => controller.abort(parent.reason);
  if (parent.aborted) follow();
  else parent.addEventListener('abort', follow, { once: true });
  controller.release = () => parent.removeEventListener('abort', follow);
  return controller;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(asStatesError(signal.reason));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(asStatesError(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
