// Runs a definition in the interpreter alone: tasks are plain functions of their parameters (by Resource), waits
// are recorded instead of slept, and the execution's end is awaited. The unit tests need no platform.
import { StatesError } from '../../../src/services/stepfunctions/errors';
import {
  ExecutionRun,
  Interpreter,
  TaskTokens,
  type Definition,
  type TaskCall,
} from '../../../src/services/stepfunctions/interpreter';
import type { Json } from '../../../src/services/stepfunctions/paths';

export type FakeTask = (parameters: Json, call: TaskCall) => Promise<Json> | Json;

export interface Ran {
  run: ExecutionRun;
  /** Each wait asked for, ms (Wait states, retry back-offs). */
  waits: number[];
  /** The parameters each task got, in order, by resource. */
  calls: { resource: string; parameters: Json }[];
}

export async function runDefinition(
  definition: Record<string, unknown>,
  input: Json,
  tasks: Record<string, FakeTask> = {},
  options: { random?: () => number; tokens?: TaskTokens; onStart?: (run: ExecutionRun) => void } = {},
): Promise<Ran> {
  const waits: number[] = [];
  const calls: Ran['calls'] = [];
  const interpreter = new Interpreter({
    tokens: options.tokens ?? new TaskTokens(),
    random: options.random,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    tasks: {
      run: async (call) => {
        calls.push({ resource: call.resource, parameters: call.parameters });
        const task = tasks[call.resource.replace(/\.waitForTaskToken$/, '')];
        if (!task) throw new StatesError('States.Runtime', `no fake task for ${call.resource}`);
        return task(call.parameters, call);
      },
    },
  });
  const run = new ExecutionRun(
    {
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:unit:run-1',
      name: 'run-1',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:unit',
      stateMachineName: 'unit',
      roleArn: 'arn:aws:iam::123456789012:role/unit',
    },
    definition as unknown as Definition,
    input,
  );
  options.onStart?.(run);
  await interpreter.execute(run);
  return { run, waits, calls };
}

/** A task that fails with `error` the first `times` calls, then gives `result`. */
export function failing(times: number, error: string, result: Json = 'done'): FakeTask {
  let calls = 0;
  return () => {
    calls += 1;
    if (calls <= times) throw new StatesError(error, `attempt ${calls} failed`);
    return result;
  };
}

export const task = (resource: string, rest: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: resource,
  End: true,
  ...rest,
});
