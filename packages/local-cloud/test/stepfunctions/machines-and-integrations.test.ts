// State machines as serverless.yml declares them (the serverless-step-functions plugin's block and
// AWS::StepFunctions::StateMachine resources), checked with asl-validator; and the task integrations on an
// in-process Lambda and a recording deliver(): the lambda:invoke result shape, the short Lambda ARN form, Lambda's
// errors as Step Functions names them, SQS, SNS and EventBridge messages, and the execution tree in the log.
import { createHash } from 'node:crypto';
import type { ServiceDefinition } from '../../src/config/service-definition';
import { normalizeService } from '../../src/config/normalize';
import type { TargetMessage } from '../../src/platform/targets';
import {
  declaredStateMachines,
  stateMachineArnsByLogicalId,
} from '../../src/services/stepfunctions/declared-machines';
import type { ExecutionRun } from '../../src/services/stepfunctions/interpreter';
import { StateMachines } from '../../src/services/stepfunctions/state-machines';
import { definitionErrors } from '../../src/services/stepfunctions/validate';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { serviceDefinition } from '../support/function-definition';

const ACCOUNT = { region: 'us-east-1', accountId: '123456789012' };
const service = (
  stepFunctions: Record<string, unknown>,
  resources: Record<string, unknown> = {},
): ServiceDefinition => ({
  ...serviceDefinition({ service: 'machines', servicePath: __dirname, functions: { hello: {} }, resources }),
  stepFunctions,
});

describe('declared state machines', () => {
  it('follow the plugin: logical ids, names, types and function references', () => {
    const [named, unnamed] = declaredStateMachines(
      service({
        stateMachines: {
          checkout: {
            name: 'checkout-flow',
            type: 'EXPRESS',
            definition: {
              StartAt: 'A',
              States: {
                A: { Type: 'Task', Resource: { 'Fn::GetAtt': ['hello', 'Arn'] }, Next: 'B' },
                B: { Type: 'Task', Resource: { 'Fn::GetAtt': ['HelloLambdaFunction', 'Arn'] }, End: true },
              },
            },
          },
          'order-flow': { definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } },
        },
      }),
      ACCOUNT,
    );
    expect(named).toMatchObject({
      logicalId: 'CheckoutDashflow',
      name: 'checkout-flow',
      arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:checkout-flow',
      type: 'EXPRESS',
      problems: [],
    });
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:machines-dev-hello';
    expect(named!.definition.States.A!.Resource).toBe(fn);
    expect(named!.definition.States.B!.Resource).toBe(fn);
    expect(unnamed!.logicalId).toBe('OrderDashflowStepFunctionsStateMachine');
    expect(unnamed!.name).toMatch(/^OrderDashflowStepFunctionsStateMachine-[A-Z0-9]{12}$/);
    expect(unnamed!.type).toBe('STANDARD');
    expect(
      stateMachineArnsByLogicalId(
        service({ stateMachines: { checkout: { name: 'checkout-flow', definition: {} } } }),
        ACCOUNT,
      ),
    ).toEqual({ CheckoutDashflow: 'arn:aws:states:us-east-1:123456789012:stateMachine:checkout-flow' });
  });

  it('read AWS::StepFunctions::StateMachine: DefinitionString with Fn::Sub and DefinitionSubstitutions', () => {
    const [machine] = declaredStateMachines(
      service(
        {},
        {
          Flow: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              StateMachineName: 'flow',
              StateMachineType: 'STANDARD',
              DefinitionString: {
                'Fn::Sub':
                  '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"${HelloArn}","Parameters":{"region":"${AWS::Region}"},"End":true}}}',
              },
              DefinitionSubstitutions: { HelloArn: { 'Fn::GetAtt': ['HelloLambdaFunction', 'Arn'] } },
            },
          },
        },
      ),
      ACCOUNT,
    );
    expect(machine!.definition.States.T).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:machines-dev-hello',
      Parameters: { region: 'us-east-1' },
      End: true,
    });
  });

  it('read the plugin’s #{...} pseudo parameters', () => {
    const [machine] = declaredStateMachines(
      service({
        stateMachines: {
          p: {
            name: 'p',
            definition: {
              StartAt: 'T',
              States: {
                T: {
                  Type: 'Task',
                  Resource: 'arn:aws:lambda:#{AWS::Region}:#{AWS::AccountId}:function:machines-dev-hello',
                  Parameters: { 'fn.$': '$.x', arn: '#{HelloLambdaFunction.Arn}' },
                  End: true,
                },
              },
            },
          },
        },
      }),
      ACCOUNT,
    );
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:machines-dev-hello';
    expect(machine!.definition.States.T).toMatchObject({
      Resource: fn,
      Parameters: { 'fn.$': '$.x', arn: fn },
    });
    expect(machine!.problems).toEqual([]);
  });

  it('report references they cannot resolve', () => {
    const [machine] = declaredStateMachines(
      service({
        stateMachines: {
          x: {
            name: 'x',
            definition: {
              StartAt: 'T',
              States: { T: { Type: 'Task', Resource: { 'Fn::GetAtt': ['Nope', 'Arn'] }, End: true } },
            },
          },
        },
      }),
      ACCOUNT,
    );
    expect(machine!.problems).toEqual([expect.stringContaining('States.T.Resource')]);
  });

  it('are checked with asl-validator, each problem naming its state', () => {
    expect(definitionErrors({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } })).toEqual([
      "Missing 'StartAt'|'Next'|'Default' target: Nowhere (MISSING_TRANSITION_TARGET)",
      expect.stringContaining('MISSING_TERMINAL_STATE'),
    ]);
    expect(
      definitionErrors({ StartAt: 'A', States: { A: { Type: 'Pass', End: true, Bogus: 1 } } })[0],
    ).toMatch(/^state 'A': \/States\/A is invalid/);
    expect(definitionErrors({ StartAt: 'A', States: { A: { Type: 'Wait', End: true } } })[0]).toContain(
      'State "A" MUST',
    );
    expect(definitionErrors({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } })).toEqual([]);
  });

  it('come from serverless.yml’s stepFunctions block, kept by the config normaliser', () => {
    const normalized = normalizeService(
      {
        service: 'svc',
        provider: { name: 'aws' },
        stepFunctions: { stateMachines: { a: { definition: {} } } },
      },
      { servicePath: __dirname, configFile: `${__dirname}/serverless.yml` },
    );
    expect(normalized.stepFunctions).toEqual({ stateMachines: { a: { definition: {} } } });
  });
});

describe('task integrations', () => {
  const delivered: { arn: string; message: TargetMessage }[] = [];
  const lines: string[] = [];
  const lambda = new FakeLambdaService(
    {
      greet: { handler: (event) => Promise.resolve({ hello: (event as { name: string }).name }) },
      broken: {
        handler: () => {
          const error = new Error('it broke');
          error.name = 'BrokenError';
          return Promise.reject(error);
        },
      },
    },
    'integrations',
  );
  const machines = new StateMachines(
    {
      ...ACCOUNT,
      lambda,
      deliver: (arn, message) => {
        if (arn.includes('missing')) return Promise.reject(new Error('The specified queue does not exist.'));
        delivered.push({ arn, message });
        return Promise.resolve({ id: `id-${delivered.length}` });
      },
      endpoint: () => ({
        url: 'http://127.0.0.1:1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      }),
      log: (line) => lines.push(line),
    },
    [],
  );
  let count = 0;
  const run = async (states: Record<string, unknown>, input: unknown = {}): Promise<ExecutionRun> => {
    count += 1;
    const name = `integrations-${count}`;
    machines.create({
      name,
      type: 'STANDARD',
      definition: { StartAt: Object.keys(states)[0]!, States: states as never },
      definitionText: JSON.stringify(states),
      roleArn: 'arn:aws:iam::123456789012:role/r',
    });
    const started = machines.start(machines.arnOf(name), input as never);
    await started.done;
    return started;
  };

  afterAll(() => machines.stop());

  it('lambda:invoke wraps the function’s result in Payload, with StatusCode and the SDK metadata', async () => {
    const execution = await run(
      {
        Invoke: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'integrations-dev-greet', 'Payload.$': '$' },
          End: true,
        },
      },
      { name: 'Ada' },
    );
    expect(execution.output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { hello: 'Ada' },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: expect.any(String) as string },
    });
    expect(lambda.invocations.at(-1)).toMatchObject({
      functionName: 'integrations-dev-greet',
      payload: '{"name":"Ada"}',
    });
  });

  it('names a function error by its errorType, an unknown function Lambda.ResourceNotFoundException', async () => {
    const failed = await run({
      Invoke: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:integrations-dev-broken',
        End: true,
      },
    });
    expect(failed.error).toBe('BrokenError');
    expect(JSON.parse(failed.cause!)).toMatchObject({ errorType: 'BrokenError', errorMessage: 'it broke' });
    expect(failed.events.map((event) => event.type)).toContain('LambdaFunctionFailed');
    const missing = await run({
      Invoke: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'nothing' },
        End: true,
      },
    });
    expect(missing.error).toBe('Lambda.ResourceNotFoundException');
  });

  it('sends to SQS, publishes to SNS and puts events on a bus through deliver()', async () => {
    const execution = await run(
      {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
            'MessageBody.$': '$',
          },
          ResultSelector: { 'id.$': '$.MessageId', 'md5.$': '$.MD5OfMessageBody' },
          ResultPath: '$.sent',
          Next: 'Publish',
        },
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:news', Message: 'hi', Subject: 'S' },
          ResultPath: null,
          Next: 'Events',
        },
        Events: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: {
            Entries: [{ Source: 'orders', DetailType: 'OrderPlaced', 'Detail.$': '$', EventBusName: 'shop' }],
          },
          ResultPath: '$.events',
          End: true,
        },
      },
      { order: 1 },
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(delivered.slice(-3)).toEqual([
      {
        arn: 'arn:aws:sqs:us-east-1:123456789012:jobs',
        message: { body: '{"order":1}', attributes: undefined },
      },
      {
        arn: 'arn:aws:sns:us-east-1:123456789012:news',
        message: { body: 'hi', subject: 'S', attributes: undefined },
      },
      {
        arn: 'arn:aws:events:us-east-1:123456789012:event-bus/shop',
        message: {
          body: JSON.stringify({
            order: 1,
            sent: execution.output && (execution.output as { sent: unknown }).sent,
          }),
          event: { source: 'orders', detailType: 'OrderPlaced' },
        },
      },
    ]);
    expect(execution.output).toMatchObject({
      sent: {
        id: expect.stringMatching(/^id-\d+$/) as string,
        md5: createHash('md5').update('{"order":1}').digest('hex'),
      },
      events: { Entries: [{ EventId: expect.any(String) as string }], FailedEntryCount: 0 },
    });
  });

  it('states:startExecution.sync gives the child’s Output as text; a failed child is States.TaskFailed', async () => {
    const child = machines.create({
      name: 'integrations-child',
      type: 'STANDARD',
      definition: {
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Y' }],
            Default: 'N',
          },
          Y: { Type: 'Pass', Result: { fine: true }, End: true },
          N: { Type: 'Fail', Error: 'ChildFailed', Cause: 'not ok' },
        },
      },
      definitionText: '{}',
      roleArn: 'arn:aws:iam::123456789012:role/r',
    });
    const parent = (ok: boolean) => ({
      Start: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.sync',
        Parameters: { StateMachineArn: child.arn, Input: { ok } },
        End: true,
      },
    });
    const succeeded = await run(parent(true));
    expect(succeeded.output).toMatchObject({
      Status: 'SUCCEEDED',
      Output: '{"fine":true}',
      Input: '{"ok":true}',
    });
    const failed = await run(parent(false));
    expect(failed.error).toBe('States.TaskFailed');
    expect(JSON.parse(failed.cause!)).toMatchObject({
      Status: 'FAILED',
      Error: 'ChildFailed',
      Cause: 'not ok',
    });
  });

  it('names a failed delivery as the service’s exception', async () => {
    const execution = await run({
      Send: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: {
          QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/missing',
          MessageBody: 'x',
        },
        End: true,
      },
    });
    expect(execution.error).toBe('SQS.AmazonSQSException');
    expect(execution.cause).toContain('The specified queue does not exist.');
  });

  it('prints the first ten iterations of a large Map', async () => {
    const before = lines.length;
    await run(
      {
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
      Array.from({ length: 25 }, (_, index) => index),
    );
    const printed = lines.slice(before);
    expect(printed.filter((line) => line.includes('item '))).toHaveLength(10);
    expect(printed.at(-1)).toBe('   └─ … 15 more');
  });

  it('prints each finished execution as a tree', async () => {
    await run({
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'One', States: { One: { Type: 'Pass', Result: 1, End: true } } },
          { StartAt: 'Two', States: { Two: { Type: 'Pass', Result: 2, End: true } } },
        ],
        End: true,
      },
    });
    const start = lines.findIndex((line) =>
      /^execution integrations-\d+:[0-9a-f-]+ SUCCEEDED \([\d.]+ ms\) {2}input \{\} {2}output \[1,2\]$/.test(
        line,
      ),
    );
    expect(start).toBeGreaterThanOrEqual(0);
    expect(lines.slice(start + 1, start + 6).map((line) => line.replace(/[\d.]+ ms/, 'N ms'))).toEqual([
      '└─ Both  Parallel  N ms  in {}  out [1,2]',
      '   ├─ branch 1',
      '   │  └─ One  Pass  N ms  in {}  out 1',
      '   └─ branch 2',
      '      └─ Two  Pass  N ms  in {}  out 2',
    ]);
  });
});
