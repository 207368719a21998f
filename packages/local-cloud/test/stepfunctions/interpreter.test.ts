// The interpreter state by state, with the examples of the Step Functions developer guide where it gives them
// (each case names its page): paths and payload templates, Choice rules, Wait, Parallel, Map, Retry and Catch,
// task timeouts and heartbeats, Fail. Tasks are fakes (support/run-definition.ts); waits are recorded, not slept.
import { StatesError } from '../../src/services/stepfunctions/errors';
import { TaskTokens } from '../../src/services/stepfunctions/interpreter';
import { failing, runDefinition, task } from './support/run-definition';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:unit-fn';
const single = (state: Record<string, unknown>) => ({
  StartAt: 'Only',
  States: { Only: { End: true, ...state } },
});

describe('Pass and the JSONPath processing of input and output', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html (InputPath example)
  it('InputPath selects part of the input', async () => {
    const { run } = await runDefinition(single({ Type: 'Pass', InputPath: '$.dataset2' }), {
      comment: 'Example for InputPath.',
      dataset1: { val1: 1, val2: 2, val3: 3 },
      dataset2: { val1: 'a', val2: 'b', val3: 'c' },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ val1: 'a', val2: 'b', val3: 'c' });
  });

  // Same page, Parameters example.
  it('Parameters builds a new input from `.$` paths and static values', async () => {
    const { run } = await runDefinition(
      single({
        Type: 'Pass',
        Parameters: {
          comment: 'Selecting what I care about.',
          MyDetails: {
            'size.$': '$.product.details.size',
            'exists.$': '$.product.availability',
            StaticValue: 'foo',
          },
        },
      }),
      {
        comment: 'Example for Parameters.',
        product: {
          details: { color: 'blue', size: 'small', material: 'cotton' },
          availability: 'in stock',
          sku: '2317',
          cost: '$23',
        },
      },
    );
    expect(run.output).toEqual({
      comment: 'Selecting what I care about.',
      MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
    });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
  it('ResultPath places the result in the input; null discards it; $ replaces the input', async () => {
    const input = {
      comment: 'This is a test of the input and output of a Task state.',
      details: 'Default example',
      who: 'AWS Step Functions',
    };
    const hello = () => 'Hello, AWS Step Functions!';
    const placed = await runDefinition(single(task(FN, { ResultPath: '$.taskresult' })), input, {
      [FN]: hello,
    });
    expect(placed.run.output).toEqual({ ...input, taskresult: 'Hello, AWS Step Functions!' });
    const discarded = await runDefinition(single(task(FN, { ResultPath: null })), input, { [FN]: hello });
    expect(discarded.run.output).toEqual(input);
    const replaced = await runDefinition(single(task(FN)), input, { [FN]: hello });
    expect(replaced.run.output).toBe('Hello, AWS Step Functions!');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html (ResultSelector example)
  it('ResultSelector picks from the result before ResultPath places it', async () => {
    const result = {
      resourceType: 'elasticmapreduce',
      resource: 'createCluster.sync',
      output: {
        SdkHttpMetadata: { HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: 'r' },
        ClusterId: 'AKIAIOSFODNN7EXAMPLE',
      },
    };
    const { run } = await runDefinition(
      single(
        task(FN, {
          ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType' },
          ResultPath: '$.EMROutput',
        }),
      ),
      { Name: 'cluster' },
      { [FN]: () => result },
    );
    expect(run.output).toEqual({
      Name: 'cluster',
      EMROutput: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' },
    });
  });

  it('OutputPath selects from the state output, and Result replaces a Pass state’s input', async () => {
    const { run } = await runDefinition(
      single({ Type: 'Pass', Result: { x: { y: 1 } }, ResultPath: '$.r', OutputPath: '$.r.x' }),
      { a: 1 },
    );
    expect(run.output).toEqual({ y: 1 });
  });

  it('the context object ($$) and array paths are readable in Parameters', async () => {
    const { run } = await runDefinition(
      single({
        Type: 'Pass',
        Parameters: {
          'execution.$': '$$.Execution.Name',
          'state.$': '$$.State.Name',
          'first.$': '$.items[0].id',
          'ids.$': '$.items[*].id',
        },
      }),
      { items: [{ id: 'a' }, { id: 'b' }] },
    );
    expect(run.output).toEqual({ execution: 'run-1', state: 'Only', first: 'a', ids: ['a', 'b'] });
  });

  it('a path that names nothing fails the execution with States.Runtime, which States.ALL does not catch', async () => {
    const { run } = await runDefinition(
      single(
        task(FN, {
          Parameters: { 'missing.$': '$.nowhere' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: undefined,
          Next: 'Caught',
        }),
      ),
      { here: 1 },
      { [FN]: () => 'unused' },
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain(
      "The JSONPath '$.nowhere' specified for the field 'missing.$' could not be found in the input",
    );
  });
});

describe('Choice', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html (the example with Not, NumericEquals and And)
  const definition = {
    StartAt: 'ChoiceStateX',
    States: {
      ChoiceStateX: {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
          { Variable: '$.value', NumericEquals: 0, Next: 'ValueIsZero' },
          {
            And: [
              { Variable: '$.value', NumericGreaterThanEquals: 20 },
              { Variable: '$.value', NumericLessThan: 30 },
            ],
            Next: 'ValueInTwenties',
          },
        ],
        Default: 'DefaultState',
      },
      Public: { Type: 'Pass', Result: 'Public', End: true },
      ValueIsZero: { Type: 'Pass', Result: 'ValueIsZero', End: true },
      ValueInTwenties: { Type: 'Pass', Result: 'ValueInTwenties', End: true },
      DefaultState: { Type: 'Fail', Error: 'DefaultStateError', Cause: 'No Matches!' },
    },
  };

  it.each([
    [{ type: 'Public', value: 0 }, 'Public'],
    [{ type: 'Private', value: 0 }, 'ValueIsZero'],
    [{ type: 'Private', value: 25 }, 'ValueInTwenties'],
  ])('routes %j to %s', async (input, expected) => {
    const { run } = await runDefinition(definition, input);
    expect(run.output).toBe(expected);
  });

  it('takes the Default, here a Fail state, when no rule matches', async () => {
    const { run } = await runDefinition(definition, { type: 'Private', value: 50 });
    expect(run.status).toBe('FAILED');
    expect([run.error, run.cause]).toEqual(['DefaultStateError', 'No Matches!']);
  });

  it('fails with States.NoChoiceMatched without a Default', async () => {
    const { run } = await runDefinition(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'D' }] },
          D: { Type: 'Succeed' },
        },
      },
      { b: 1 },
    );
    expect(run.error).toBe('States.NoChoiceMatched');
  });

  it.each([
    [{ Variable: '$.s', StringMatches: 'log-*.txt' }, { s: 'log-2026.txt' }, true],
    [{ Variable: '$.s', StringMatches: 'log-\\*' }, { s: 'log-x' }, false],
    [{ Variable: '$.t', TimestampLessThan: '2030-01-01T00:00:00Z' }, { t: '2026-12-08T01:00:00Z' }, true],
    [{ Variable: '$.a', NumericGreaterThanPath: '$.b' }, { a: 3, b: 2 }, true],
    [{ Variable: '$.a', IsNumeric: true }, { a: '3' }, false],
    [{ Variable: '$.a', IsNull: true }, { a: null }, true],
    [{ Variable: '$.a', BooleanEquals: true }, { a: true }, true],
    [{ Variable: '$.a', StringEquals: 'x' }, { a: 1 }, false],
  ])('rule %j on %j is %s', async (rule, input, expected) => {
    const { run } = await runDefinition(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
          Yes: { Type: 'Pass', Result: true, End: true },
          No: { Type: 'Pass', Result: false, End: true },
        },
      },
      input,
    );
    expect(run.output).toBe(expected);
  });
});

describe('Wait', () => {
  it('waits Seconds, SecondsPath, and nothing for a past Timestamp', async () => {
    const { waits, run } = await runDefinition(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Wait', Seconds: 10, Next: 'B' },
          B: { Type: 'Wait', SecondsPath: '$.delay', Next: 'C' },
          C: { Type: 'Wait', Timestamp: '2016-03-14T01:59:00Z', End: true },
        },
      },
      { delay: 3 },
    );
    expect(run.output).toEqual({ delay: 3 });
    expect(waits).toEqual([10_000, 3_000, 0]);
  });
});

describe('Fail and Succeed', () => {
  it('Fail gives its Error and Cause, from paths and intrinsic functions too', async () => {
    const { run } = await runDefinition(
      single({ Type: 'Fail', ErrorPath: '$.code', CausePath: "States.Format('order {} failed', $.id)" }),
      { code: 'OrderFailed', id: 7 },
    );
    expect(run.status).toBe('FAILED');
    expect([run.error, run.cause]).toEqual(['OrderFailed', 'order 7 failed']);
    expect(run.events.at(-2)?.type).toBe('FailStateEntered');
    expect(run.events.at(-1)?.type).toBe('ExecutionFailed');
  });
});

describe('Retry and Catch', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
  it('retries with IntervalSeconds × BackoffRate^n, then succeeds', async () => {
    const { run, waits, calls } = await runDefinition(
      single(
        task(FN, {
          Retry: [
            { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5 },
          ],
        }),
      ),
      {},
      { [FN]: failing(2, 'CustomError') },
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([3_000, 4_500]);
  });

  it('caps the wait at MaxDelaySeconds and applies FULL jitter', async () => {
    const { waits } = await runDefinition(
      single(
        task(FN, {
          Retry: [
            {
              ErrorEquals: ['States.ALL'],
              IntervalSeconds: 1,
              MaxAttempts: 4,
              BackoffRate: 10,
              MaxDelaySeconds: 20,
              JitterStrategy: 'FULL',
            },
          ],
        }),
      ),
      {},
      { [FN]: failing(4, 'Boom') },
      { random: () => 0.5 },
    );
    expect(waits).toEqual([500, 5_000, 10_000, 10_000]);
  });

  it('MaxAttempts 0 never retries; the first matching retrier is the one used', async () => {
    const { run, calls } = await runDefinition(
      single(
        task(FN, {
          Retry: [
            { ErrorEquals: ['Boom'], MaxAttempts: 0 },
            { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
          ],
        }),
      ),
      {},
      { [FN]: failing(9, 'Boom') },
    );
    expect(calls).toHaveLength(1);
    expect(run.error).toBe('Boom');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html (ResultPath in a Catch)
  it('Catch keeps the input and adds the error output where ResultPath says', async () => {
    const { run } = await runDefinition(
      {
        StartAt: 'Work',
        States: {
          Work: task(FN, {
            End: undefined,
            Next: 'Done',
            Catch: [
              { ErrorEquals: ['java.lang.Exception'], ResultPath: '$.error-info', Next: 'RecoveryState' },
              { ErrorEquals: ['States.ALL'], Next: 'EndState' },
            ],
          }),
          RecoveryState: { Type: 'Pass', End: true },
          EndState: { Type: 'Pass', Result: 'end', End: true },
          Done: { Type: 'Succeed' },
        },
      },
      { foo: 'bar' },
      { [FN]: failing(1, 'java.lang.Exception') },
    );
    expect(run.output).toEqual({
      foo: 'bar',
      'error-info': { Error: 'java.lang.Exception', Cause: 'attempt 1 failed' },
    });
  });

  it('States.TaskFailed matches a task’s error but not States.Timeout', async () => {
    const never = () => new Promise<never>(() => undefined);
    const { run } = await runDefinition(
      {
        StartAt: 'Slow',
        States: {
          Slow: task(FN, {
            TimeoutSeconds: 0.001,
            End: undefined,
            Next: 'Unreached',
            Catch: [
              { ErrorEquals: ['States.TaskFailed'], Next: 'Unreached' },
              { ErrorEquals: ['States.Timeout'], Next: 'TimedOut' },
            ],
          }),
          Unreached: { Type: 'Fail', Error: 'Wrong' },
          TimedOut: { Type: 'Pass', End: true },
        },
      },
      {},
      { [FN]: never },
    );
    expect(run.status).toBe('SUCCEEDED');
    const output = run.output as { Error: string; Cause: string };
    expect(output.Error).toBe('States.Timeout');
    expect(output.Cause).toContain('TimeoutSeconds');
    expect(run.events.map((event) => event.type)).toContain('TaskStateExited');
  });
});

describe('Parallel', () => {
  it('runs every branch on the input and gives their outputs in order', async () => {
    const { run } = await runDefinition(
      single({
        Type: 'Parallel',
        ResultSelector: { 'sum.$': 'States.MathAdd($[0], $[1])' },
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', InputPath: '$.a', End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 1, OutputPath: '$.b', End: true } } },
        ],
      }),
      { a: 2, b: 3 },
    );
    expect(run.output).toEqual({ sum: 5 });
    const types = run.events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateSucceeded',
        'ParallelStateExited',
      ]),
    );
  });

  it('fails with a branch’s error, which its Catch handles', async () => {
    const { run } = await runDefinition(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
              { StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'BranchFailed', Cause: 'no' } } },
            ],
            Catch: [{ ErrorEquals: ['BranchFailed'], ResultPath: '$.failure', Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      { x: 1 },
    );
    expect(run.output).toEqual({ x: 1, failure: { Error: 'BranchFailed', Cause: 'no' } });
  });
});

describe('Map', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html (the shipping example)
  const input = {
    'ship-date': '2016-03-14T01:59:00Z',
    detail: {
      'delivery-partner': 'UQS',
      shipped: [
        { prod: 'R31', 'dest-code': 9511, quantity: 1344 },
        { prod: 'S39', 'dest-code': 9511, quantity: 40 },
        { prod: 'R31', 'dest-code': 9833, quantity: 12 },
      ],
    },
  };

  it('runs the ItemProcessor for each item of ItemsPath, with ItemSelector and $$.Map.Item', async () => {
    const { run } = await runDefinition(
      single({
        Type: 'Map',
        ItemsPath: '$.detail.shipped',
        MaxConcurrency: 0,
        ItemSelector: {
          'parcel.$': '$$.Map.Item.Value',
          'courier.$': '$.detail.delivery-partner',
          'index.$': '$$.Map.Item.Index',
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Validate',
          States: { Validate: { Type: 'Pass', End: true } },
        },
        ResultPath: '$.detail.shipped',
      }),
      input,
    );
    expect(run.output).toEqual({
      ...input,
      detail: {
        ...input.detail,
        shipped: input.detail.shipped.map((parcel, index) => ({ parcel, courier: 'UQS', index })),
      },
    });
    expect(run.events.filter((event) => event.type === 'MapIterationSucceeded')).toHaveLength(3);
  });

  it('runs no more than MaxConcurrency items at once, and keeps the results in item order', async () => {
    let running = 0;
    let most = 0;
    const slow = async (parameters: unknown) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return parameters as number;
    };
    const { run } = await runDefinition(
      single({
        Type: 'Map',
        MaxConcurrency: 2,
        ItemProcessor: { StartAt: 'T', States: { T: task(FN) } },
      }),
      [1, 2, 3, 4, 5],
      { [FN]: slow },
    );
    expect(run.output).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('a distributed Map tolerates failures up to ToleratedFailureCount, and fails beyond it', async () => {
    const definition = (tolerated: number) =>
      single({
        Type: 'Map',
        ToleratedFailureCount: tolerated,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Check',
          States: {
            Check: {
              Type: 'Choice',
              Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'Bad' }],
              Default: 'Good',
            },
            Bad: { Type: 'Fail', Error: 'TooBig' },
            Good: { Type: 'Pass', End: true },
          },
        },
      });
    const tolerant = await runDefinition(definition(2), [1, 2, 3, 4]);
    expect(tolerant.run.status).toBe('SUCCEEDED');
    expect(tolerant.run.output).toEqual([
      1,
      2,
      { Error: 'TooBig', Cause: '' },
      { Error: 'TooBig', Cause: '' },
    ]);
    const strict = await runDefinition(definition(1), [1, 2, 3, 4]);
    expect(strict.run.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('fails with States.Runtime when ItemsPath is not an array', async () => {
    const { run } = await runDefinition(
      single({
        Type: 'Map',
        ItemsPath: '$.x',
        ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      }),
      { x: 1 },
    );
    expect(run.error).toBe('States.Runtime');
  });
});

describe('Task timeouts, heartbeats and callback tokens', () => {
  it('a .waitForTaskToken task waits for its token and gives the output sent with it', async () => {
    const tokens = new TaskTokens();
    const { run, calls } = await runDefinition(
      single(
        task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', {
          Parameters: { 'token.$': '$$.Task.Token', QueueUrl: 'q' },
        }),
      ),
      {},
      {
        'arn:aws:states:::sqs:sendMessage': (parameters) => {
          const { token } = parameters as { token: string };
          setImmediate(() => tokens.succeed(token, { approved: true }));
          return { MessageId: 'm' };
        },
      },
      { tokens },
    );
    expect((calls[0]!.parameters as { token: string }).token).toMatch(/^[A-Za-z0-9+/]{128}$/);
    expect(run.output).toEqual({ approved: true });
    expect(run.events.map((event) => event.type)).toContain('TaskSucceeded');
  });

  it('SendTaskFailure’s error is the task’s error; a missing heartbeat is States.HeartbeatTimeout', async () => {
    const tokens = new TaskTokens();
    const failed = await runDefinition(
      single(
        task('arn:aws:states:::lambda:invoke.waitForTaskToken', {
          Parameters: { 'token.$': '$$.Task.Token' },
        }),
      ),
      {},
      {
        'arn:aws:states:::lambda:invoke': (parameters) => {
          setImmediate(() => tokens.fail((parameters as { token: string }).token, 'Rejected', 'by a human'));
          return {};
        },
      },
      { tokens },
    );
    expect([failed.run.error, failed.run.cause]).toEqual(['Rejected', 'by a human']);

    const silent = await runDefinition(
      single(task('arn:aws:states:::lambda:invoke.waitForTaskToken', { HeartbeatSeconds: 0.001 })),
      {},
      { 'arn:aws:states:::lambda:invoke': () => ({}) },
      { tokens },
    );
    expect(silent.run.error).toBe('States.HeartbeatTimeout');
  });
});

describe('the execution', () => {
  it('keeps AWS’s history: event types in order, each pointing at the one before', async () => {
    const { run } = await runDefinition(
      { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } },
      { x: 1 },
    );
    expect(run.events.map((event) => [event.id, event.previousEventId, event.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 1, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'SucceedStateEntered'],
      [5, 4, 'SucceedStateExited'],
      [6, 5, 'ExecutionSucceeded'],
    ]);
    expect(run.events[1]!.details).toEqual({
      key: 'stateEnteredEventDetails',
      value: { name: 'A', input: '{"x":1}', inputDetails: { truncated: false } },
    });
  });

  it('ends TIMED_OUT when the definition’s TimeoutSeconds passes', async () => {
    const { run } = await runDefinition(
      { TimeoutSeconds: 0.001, ...single(task(FN)) },
      {},
      { [FN]: () => new Promise<never>(() => undefined) },
    );
    expect([run.status, run.error]).toEqual(['TIMED_OUT', 'States.Timeout']);
    expect(run.events.at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('stops ABORTED when stopped during a wait', async () => {
    const tokens = new TaskTokens();
    const { run } = await runDefinition(
      single(task('arn:aws:states:::sns:publish.waitForTaskToken')),
      {},
      {
        'arn:aws:states:::sns:publish': (_parameters, call) => (
          setImmediate(() => call.execution.stop('Manual', 'stopped')),
          {}
        ),
      },
      { tokens },
    );
    expect(run.status).toBe('ABORTED');
    expect(run.events.at(-1)?.type).toBe('ExecutionAborted');
  });

  it('fails with the error a task raised, named as the task named it', async () => {
    const { run } = await runDefinition(
      single(task(FN)),
      {},
      {
        [FN]: () => {
          throw new StatesError('Lambda.ServiceException', 'down');
        },
      },
    );
    expect([run.error, run.cause]).toEqual(['Lambda.ServiceException', 'down']);
  });
});
