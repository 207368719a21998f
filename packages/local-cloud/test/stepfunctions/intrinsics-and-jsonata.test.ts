// Intrinsic functions with the examples of https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html,
// and JSONata states (`QueryLanguage: JSONata`) with those of
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html and .../workflow-variables.html.
import { StatesError } from '../../src/services/stepfunctions/errors';
import { evaluateIntrinsic } from '../../src/services/stepfunctions/intrinsics';
import type { Json } from '../../src/services/stepfunctions/paths';
import { failing, runDefinition, task } from './support/run-definition';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:intrinsics-fn';
const evaluate = (expression: string, input: Json) =>
  evaluateIntrinsic(expression, { input, context: {}, variables: new Map() });

describe('intrinsic functions', () => {
  it.each<[string, Json, Json]>([
    ["States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' }, 'Hello, my name is Arnav.'],
    ["States.Format('{} \\{literal\\} {}', 1, true)", {}, '1 {literal} true'],
    ['States.StringToJson($.someString)', { someString: '{"number": 20}' }, { number: 20 }],
    [
      'States.JsonToString($.someJson)',
      { someJson: { name: 'Foo', year: 2020 } },
      '{"name":"Foo","year":2020}',
    ],
    [
      "States.Array('Foo', 2020, $.someJson, null)",
      { someJson: { random: 'abcdefg' } },
      ['Foo', 2020, { random: 'abcdefg' }, null],
    ],
    [
      'States.ArrayPartition($.inputArray,4)',
      { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
      [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
    ],
    [
      'States.ArrayContains($.inputArray, $.lookingFor)',
      { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 },
      true,
    ],
    ['States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]],
    ['States.ArrayRange(10, 0, -5)', {}, [10, 5, 0]],
    ['States.ArrayGetItem($.inputArray, $.index)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 }, 6],
    ['States.ArrayLength($.inputArray)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, 9],
    ['States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, [1, 2, 3, 4]],
    ['States.Base64Encode($.input)', { input: 'Data to encode' }, 'RGF0YSB0byBlbmNvZGU='],
    ['States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' }, 'Data to encode'],
    [
      'States.Hash($.Data, $.Algorithm)',
      { Data: 'input data', Algorithm: 'SHA-1' },
      'aaff4a450a104cd177d28d18d74485e8cae074b7',
    ],
    [
      'States.JsonMerge($.json1, $.json2, false)',
      { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } },
      { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
    ],
    ['States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }, 110],
    [
      'States.StringSplit($.inputString, $.splitter)',
      { inputString: '1,2,3,4,5', splitter: ',' },
      ['1', '2', '3', '4', '5'],
    ],
    [
      'States.StringSplit($.inputString, $.splitter)',
      { inputString: 'This.is+a,test=string', splitter: '.+,=' },
      ['This', 'is', 'a', 'test', 'string'],
    ],
    ['States.ArrayLength(States.Array(1, 2, 3))', {}, 3],
  ])('%s on %j gives %j', (expression, input, expected) => {
    expect(evaluate(expression, input)).toEqual(expected);
  });

  it('States.UUID and States.MathRandom give a v4 UUID and a number in range', () => {
    expect(evaluate('States.UUID()', {})).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const random = evaluate('States.MathRandom($.start, $.end)', { start: 1, end: 999 }) as number;
    expect(random).toBeGreaterThanOrEqual(1);
    expect(random).toBeLessThanOrEqual(999);
  });

  it.each([
    ['States.ArrayGetItem($.a, 5)', { a: [1] }, 'out of bounds'],
    ['States.JsonMerge($.a, $.b, true)', { a: {}, b: {} }, 'shallow'],
    ['States.Nope(1)', {}, 'not an intrinsic function'],
    ["States.Format('{} {}', 1)", {}, 'more {} than arguments'],
    ['States.ArrayLength($.missing)', {}, 'could not be found'],
  ])('%s fails with States.Runtime (%j)', (expression, input, reason) => {
    let failure: unknown;
    try {
      evaluate(expression, input);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(StatesError);
    expect((failure as StatesError).error).toBe('States.Runtime');
    expect((failure as StatesError).cause).toContain(reason);
  });

  it('work in any `.$` field of a state', async () => {
    const { run } = await runDefinition(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            Parameters: {
              'greeting.$': "States.Format('Hi {}', $.who)",
              'n.$': 'States.ArrayLength($.list)',
            },
            End: true,
          },
        },
      },
      { who: 'Ada', list: [1, 2] },
    );
    expect(run.output).toEqual({ greeting: 'Hi Ada', n: 2 });
  });
});

describe('JSONata states', () => {
  it('Output and Arguments are evaluated with $states.input and $states.result', async () => {
    const { run, calls } = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Greet',
        States: {
          Greet: task(FN, {
            Arguments: {
              name: '{% $states.input.customer.name %}',
              execution: '{% $states.context.Execution.Name %}',
              fixed: 1,
            },
            Output: {
              greeting: '{% "Hello, " & $states.result.name %}',
              total: '{% $sum($states.input.items.price) %}',
            },
          }),
        },
      },
      { customer: { name: 'Ada' }, items: [{ price: 2 }, { price: 3 }] },
      { [FN]: (parameters) => parameters },
    );
    expect(calls[0]!.parameters).toEqual({ name: 'Ada', execution: 'run-1', fixed: 1 });
    expect(run.output).toEqual({ greeting: 'Hello, Ada', total: 5 });
  });

  // workflow-variables.html: Assign in one state, read in a later one; values assigned together see the old ones.
  it('Assign sets variables that later states read, in JSONata and in JSONPath states', async () => {
    const { run } = await runDefinition(
      {
        StartAt: 'Init',
        States: {
          Init: {
            Type: 'Pass',
            QueryLanguage: 'JSONata',
            Assign: { productName: 'product1', count: 0, available: true },
            Next: 'Bump',
          },
          Bump: {
            Type: 'Pass',
            QueryLanguage: 'JSONata',
            Assign: { count: '{% $count + 1 %}', previous: '{% $count %}' },
            Next: 'Read',
          },
          Read: {
            Type: 'Pass',
            Parameters: { 'name.$': '$productName', 'count.$': '$count', 'previous.$': '$previous' },
            End: true,
          },
        },
      },
      {},
    );
    expect(run.output).toEqual({ name: 'product1', count: 1, previous: 0 });
  });

  it('Choice Conditions, with Output on the chosen rule', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            {
              Condition: "{% $states.input.type != 'Private' %}",
              Next: 'Public',
              Output: { kind: 'public' },
            },
          ],
          Default: 'Private',
        },
        Public: { Type: 'Succeed' },
        Private: { Type: 'Pass', Output: { kind: 'private' }, End: true },
      },
    };
    expect((await runDefinition(definition, { type: 'Public' })).run.output).toEqual({ kind: 'public' });
    expect((await runDefinition(definition, { type: 'Private' })).run.output).toEqual({ kind: 'private' });
  });

  it('Catch gives $states.errorOutput; Retry applies as in JSONPath', async () => {
    const { run } = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Work',
        States: {
          Work: task(FN, {
            Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 1 }],
            Catch: [
              {
                ErrorEquals: ['States.ALL'],
                Output: { failed: '{% $states.errorOutput.Error %}', input: '{% $states.input %}' },
                Next: 'Done',
              },
            ],
            End: undefined,
            Next: 'Done',
          }),
          Done: { Type: 'Succeed' },
        },
      },
      { id: 1 },
      { [FN]: failing(5, 'Flaky') },
    );
    expect(run.output).toEqual({ failed: 'Flaky', input: { id: 1 } });
  });

  it('Map Items and ItemSelector with $states.context.Map.Item', async () => {
    const { run } = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% $states.input.detail.shipped %}',
            ItemSelector: {
              parcel: '{% $states.context.Map.Item.Value.prod %}',
              index: '{% $states.context.Map.Item.Index %}',
            },
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { detail: { shipped: [{ prod: 'R31' }, { prod: 'S39' }] } },
    );
    expect(run.output).toEqual([
      { parcel: 'R31', index: 0 },
      { parcel: 'S39', index: 1 },
    ]);
  });

  it('Step Functions’ own JSONata functions ($partition, $range, $hash, $parse, $uuid)', async () => {
    const { run } = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            Output: {
              partition: '{% $partition([1,2,3,4,5], 2) %}',
              range: '{% $range(0, 10, 5) %}',
              hash: "{% $hash('input data', 'SHA-1') %}",
              parsed: '{% $parse(\'{"a":1}\').a %}',
              uuid: '{% $length($uuid()) %}',
            },
            End: true,
          },
        },
      },
      {},
    );
    expect(run.output).toEqual({
      partition: [[1, 2], [3, 4], [5]],
      range: [0, 5, 10],
      hash: 'aaff4a450a104cd177d28d18d74485e8cae074b7',
      parsed: 1,
      uuid: 36,
    });
  });

  it('an expression that fails or gives nothing is States.QueryEvaluationError', async () => {
    const { run } = await runDefinition(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: { P: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } },
      },
      {},
    );
    expect(run.error).toBe('States.QueryEvaluationError');
    expect(run.cause).toContain('$states.input.missing');
  });

  it('Fail, Wait and per-state QueryLanguage', async () => {
    const { run, waits } = await runDefinition(
      {
        StartAt: 'W',
        States: {
          W: { Type: 'Wait', QueryLanguage: 'JSONata', Seconds: '{% $states.input.delay * 2 %}', Next: 'F' },
          F: {
            Type: 'Fail',
            QueryLanguage: 'JSONata',
            Error: '{% $states.input.code %}',
            Cause: '{% "waited " & $states.input.delay %}',
          },
        },
      },
      { delay: 2, code: 'Stop' },
    );
    expect(waits).toEqual([4_000]);
    expect([run.error, run.cause]).toEqual(['Stop', 'waited 2']);
  });
});
