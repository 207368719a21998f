// Step Functions at the AWS endpoint, driven as users drive it: `@aws-sdk/client-sfn` and the AWS CLI against a
// started local-cloud whose serverless.yml declares state machines (the serverless-step-functions plugin's block
// and an AWS::StepFunctions::StateMachine resource), run on real Lambda sandboxes. An order workflow with Retry,
// Catch, Parallel and Map runs to its output; a failing task ends in its Catch; a .waitForTaskToken task sent to
// SQS is completed with SendTaskSuccess; and the API answers with AWS's errors.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { start, type LocalCloud } from '../../src';
import { stepFunctionsClock, stepFunctionsModule } from '../../src/services/stepfunctions/service-module';
import { awsCli } from '../support/aws-cli';
import { serviceDefinition } from '../support/function-definition';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SERVICE_PATH = path.join(__dirname, 'fixtures');
const machineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
const lambdaInvoke = (functionKey: string, rest: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: { 'Fn::GetAtt': [functionKey, 'Arn'] }, 'Payload.$': '$' },
  ResultSelector: { 'value.$': '$.Payload' },
  OutputPath: '$.value',
  End: true,
  ...rest,
});

const ORDERS = {
  Comment: 'An order: validated, checked (retried), quoted in parallel, its lines totalled',
  StartAt: 'Validate',
  States: {
    Validate: {
      Type: 'Task',
      Resource: { 'Fn::GetAtt': ['validate', 'Arn'] },
      Catch: [{ ErrorEquals: ['ValidationError'], ResultPath: '$.error', Next: 'Rejected' }],
      Next: 'Check',
    },
    Check: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: { 'Fn::GetAtt': ['FlakyLambdaFunction', 'Arn'] },
        Payload: { 'key.$': '$.orderId' },
      },
      ResultSelector: { 'checked.$': '$.Payload.checked', 'status.$': '$.StatusCode' },
      ResultPath: '$.check',
      Retry: [{ ErrorEquals: ['FlakyError'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
      Next: 'Quote',
    },
    Quote: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Price', States: { Price: lambdaInvoke('price') } },
        {
          StartAt: 'Stock',
          States: {
            Stock: { Type: 'Task', Resource: { 'Fn::GetAtt': ['StockLambdaFunction', 'Arn'] }, End: true },
          },
        },
      ],
      ResultSelector: { 'price.$': '$[0].price', 'inStock.$': '$[1].inStock' },
      ResultPath: '$.quote',
      Next: 'Lines',
    },
    Lines: {
      Type: 'Map',
      ItemsPath: '$.lines',
      MaxConcurrency: 2,
      ItemSelector: { 'sku.$': '$$.Map.Item.Value.sku', 'qty.$': '$$.Map.Item.Value.qty', unitPrice: 10 },
      ItemProcessor: { StartAt: 'Line', States: { Line: lambdaInvoke('line') } },
      ResultPath: '$.lines',
      Next: 'Done',
    },
    Done: { Type: 'Succeed', OutputPath: '$' },
    Rejected: {
      Type: 'Pass',
      Parameters: { 'rejected.$': '$.error.Error', 'why.$': 'States.StringToJson($.error.Cause)' },
      End: true,
    },
  },
};

const APPROVAL = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: { Ref: 'ApprovalQueue' },
        MessageBody: { 'token.$': '$$.Task.Token', 'order.$': '$.orderId' },
      },
      HeartbeatSeconds: 600,
      ResultPath: '$.approval',
      End: true,
    },
  },
};

describe('Step Functions at the AWS endpoint', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;
  let sqs: SQSClient;
  let home: string;
  let counters: string;
  const log: string[] = [];
  const stepFunctions = () => cloud.platform.services.stepFunctions;
  const finished = async (executionArn: string) => {
    await stepFunctions().machines.execution(executionArn).done;
    return sfn.send(new DescribeExecutionCommand({ executionArn }));
  };
  const cli = awsCli(() => ({
    endpoint: cloud.lambdaEndpoint,
    credentials: cloud.credentials,
    region: REGION,
    home,
  }));

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-sfn-api-'));
    counters = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-sfn-counters-'));
    // Retry back-offs of a second take a millisecond.
    stepFunctionsClock.timeScale = 0.001;
    const functions = Object.fromEntries(
      ['validate', 'flaky', 'price', 'stock', 'line'].map((key) => [
        key,
        { handler: `src/orders.${key}`, environment: { COUNTER_DIR: counters } },
      ]),
    );
    cloud = await start({
      service: {
        ...serviceDefinition({
          service: 'sfn-api',
          servicePath: SERVICE_PATH,
          provider: { region: REGION },
          functions,
          resources: {
            ApprovalQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'sfn-api-approvals' } },
            ChildMachine: {
              Type: 'AWS::StepFunctions::StateMachine',
              Properties: {
                StateMachineName: 'sfn-api-child',
                Definition: {
                  StartAt: 'Double',
                  States: {
                    Double: {
                      Type: 'Pass',
                      Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' },
                      End: true,
                    },
                  },
                },
              },
            },
            ParentMachine: {
              Type: 'AWS::StepFunctions::StateMachine',
              Properties: {
                StateMachineName: 'sfn-api-parent',
                DefinitionString: {
                  'Fn::Sub': JSON.stringify({
                    StartAt: 'Child',
                    States: {
                      Child: {
                        Type: 'Task',
                        Resource: 'arn:aws:states:::states:startExecution.sync:2',
                        Parameters: { StateMachineArn: '${ChildArn}', 'Input.$': '$' },
                        OutputPath: '$.Output',
                        End: true,
                      },
                    },
                  }),
                },
                DefinitionSubstitutions: { ChildArn: { Ref: 'ChildMachine' } },
              },
            },
          },
        }),
        stepFunctions: {
          stateMachines: {
            orders: { name: 'sfn-api-orders', definition: ORDERS },
            approval: { name: 'sfn-api-approval', definition: APPROVAL },
            quick: {
              name: 'sfn-api-quick',
              type: 'EXPRESS',
              definition: {
                QueryLanguage: 'JSONata',
                StartAt: 'Add',
                States: {
                  Add: {
                    Type: 'Pass',
                    Output: { sum: '{% $states.input.a + $states.input.b %}' },
                    End: true,
                  },
                },
              },
            },
          },
        },
      },
      inMemory: true,
      log: (line) => log.push(line),
    });
    const client = { endpoint: cloud.lambdaEndpoint, region: REGION, credentials: cloud.credentials };
    sfn = new SFNClient(client);
    sqs = new SQSClient(client);
  }, 60_000);

  afterAll(async () => {
    sfn?.destroy();
    sqs?.destroy();
    await cloud?.stop();
    stepFunctionsClock.timeScale = 1;
    rmSync(home, { recursive: true, force: true });
    rmSync(counters, { recursive: true, force: true });
  });

  it('lists the declared state machines, with references resolved and no warnings', async () => {
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((machine) => [machine.name, machine.type])).toEqual([
      ['sfn-api-approval', 'STANDARD'],
      ['sfn-api-child', 'STANDARD'],
      ['sfn-api-orders', 'STANDARD'],
      ['sfn-api-parent', 'STANDARD'],
      ['sfn-api-quick', 'EXPRESS'],
    ]);
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: machineArn('sfn-api-orders') }),
    );
    const definition = JSON.parse(described.definition!) as typeof ORDERS & {
      States: { Validate: { Resource: string } };
    };
    expect(definition.States.Validate.Resource).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:sfn-api-dev-validate`,
    );
    expect(cloud.platform.warnings.filter((line) => line.includes('state machine'))).toEqual([]);
    expect(cloud.platform.resources.ChildMachine).toEqual({
      type: 'AWS::StepFunctions::StateMachine',
      ref: machineArn('sfn-api-child'),
      attributes: { Arn: machineArn('sfn-api-child'), Name: 'sfn-api-child' },
    });
  });

  it('runs the order workflow: Retry, Parallel and Map on Lambda functions, to its output', async () => {
    const input = {
      orderId: 'o-1',
      lines: [
        { sku: 'a', qty: 2 },
        { sku: 'b', qty: 3 },
        { sku: 'c', qty: 1 },
      ],
    };
    const { executionArn, startDate } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('sfn-api-orders'),
        name: 'order-o-1',
        input: JSON.stringify(input),
      }),
    );
    expect(executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:sfn-api-orders:order-o-1`);
    expect(startDate).toBeInstanceOf(Date);
    const described = await finished(executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      orderId: 'o-1',
      valid: true,
      check: { checked: 'o-1', status: 200 },
      quote: { price: 60, inStock: true },
      lines: [
        { sku: 'a', total: 20 },
        { sku: 'b', total: 30 },
        { sku: 'c', total: 10 },
      ],
    });

    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const types = events!.map((event) => event.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types).toEqual(
      expect.arrayContaining([
        'LambdaFunctionScheduled',
        'LambdaFunctionSucceeded',
        'TaskScheduled',
        'TaskFailed',
        'TaskSucceeded',
        'ParallelStateStarted',
        'MapStateStarted',
        'MapIterationSucceeded',
      ]),
    );
    const failedCheck = events!.find((event) => event.type === 'TaskFailed')!;
    expect(failedCheck.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'FlakyError',
    });
    expect(events!.map((event) => event.id)).toEqual(events!.map((_, index) => index + 1));

    // The log has the execution's tree.
    const header = log.findIndex((line) => line.includes('execution sfn-api-orders:order-o-1 SUCCEEDED'));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(log.slice(header + 1, header + 4).join('\n')).toMatch(
      /├─ Validate {2}Task {2}[\d.]+ ms {2}in \{"orderId":"o-1"/,
    );
    expect(log.some((line) => /Check {2}Task {2}[\d.]+ ms {2}1 retry/.test(line))).toBe(true);
  });

  it('ends in the Catch of a task whose function throws, with its errorType as the error', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('sfn-api-orders'),
        input: JSON.stringify({ lines: [] }),
      }),
    );
    const described = await finished(executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    const output = JSON.parse(described.output!) as {
      rejected: string;
      why: { errorType: string; errorMessage: string };
    };
    expect(output.rejected).toBe('ValidationError');
    expect(output.why).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'order {"lines":[]} has no orderId',
    });
  });

  it('completes a .waitForTaskToken task sent to SQS with SendTaskSuccess', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('sfn-api-approval'),
        input: JSON.stringify({ orderId: 'o-9' }),
      }),
    );
    const queueUrl = `${cloud.lambdaEndpoint}/${ACCOUNT}/sfn-api-approvals`;
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }),
    );
    const body = JSON.parse(Messages![0]!.Body!) as { token: string; order: string };
    expect(body.order).toBe('o-9');
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }),
    );
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: body.token }));
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: body.token, output: JSON.stringify({ approved: true }) }),
    );
    const described = await finished(executionArn!);
    expect(JSON.parse(described.output!)).toEqual({ orderId: 'o-9', approval: { approved: true } });
    // The token is spent.
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: body.token, error: 'Late' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    ).rejects.toMatchObject({
      name: 'InvalidToken',
    });
  });

  it('runs an Express workflow synchronously, and refuses StartSyncExecution for a Standard one', async () => {
    // StartSyncExecution's host is `sync-states.<region>...`: at a local endpoint the SDK must not prefix it.
    const sync = new SFNClient({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: cloud.credentials,
      disableHostPrefix: true,
    });
    const result = await sync.send(
      new StartSyncExecutionCommand({
        stateMachineArn: machineArn('sfn-api-quick'),
        input: JSON.stringify({ a: 2, b: 3 }),
      }),
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ sum: 5 });
    expect(result.executionArn).toMatch(
      new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:express:sfn-api-quick:`),
    );
    await expect(
      sync.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn('sfn-api-child'), input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
    sync.destroy();
    await expect(
      sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn('sfn-api-quick') })),
    ).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });

  it('runs a nested execution with states:startExecution.sync:2', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('sfn-api-parent'),
        input: JSON.stringify({ n: 21 }),
      }),
    );
    const described = await finished(executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ doubled: 42 });
    const children = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn('sfn-api-child') }),
    );
    expect(children.executions?.[0]?.status).toBe('SUCCEEDED');
  });

  it('answers with AWS’s errors', async () => {
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn('sfn-api-nothing'), input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: machineArn('sfn-api-child'), input: '{not json' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn('sfn-api-child'),
        name: 'once',
        input: '{"n":1}',
      }),
    );
    await stepFunctions().machines.execution(
      `arn:aws:states:${REGION}:${ACCOUNT}:execution:sfn-api-child:once`,
    ).done;
    await expect(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: machineArn('sfn-api-child'),
          name: 'once',
          input: '{"n":2}',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await expect(
      sfn.send(
        new DescribeExecutionCommand({
          executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:sfn-api-child:never`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    const broken = await sfn
      .send(
        new CreateStateMachineCommand({
          name: 'sfn-api-broken',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
          definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } }),
        }),
      )
      .catch((error: Error) => error);
    expect((broken as Error).name).toBe('InvalidDefinition');
    expect((broken as Error).message).toContain("Missing 'StartAt'|'Next'|'Default' target: Missing");
  });

  it('creates, runs, stops and deletes a state machine', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'sfn-api-created',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
        definition: JSON.stringify({
          StartAt: 'Hold',
          States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
        }),
      }),
    );
    expect(stateMachineArn).toBe(machineArn('sfn-api-created'));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    expect(listed.executions?.map((execution) => execution.executionArn)).toEqual([executionArn]);
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Manual', cause: 'not needed' }));
    const described = await finished(executionArn!);
    expect([described.status, described.error, described.cause]).toEqual(['ABORTED', 'Manual', 'not needed']);
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });

  it('starts an execution for a delivery to the state machine’s ARN (EventBridge targets, Lambda destinations)', async () => {
    const target = stepFunctionsModule.target!(stepFunctions());
    const { id } = await target.deliver(machineArn('sfn-api-child'), { body: '{"n":5}', name: 'delivered' });
    expect(id).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:sfn-api-child:delivered`);
    expect(JSON.parse((await finished(id)).output!)).toEqual({ doubled: 10 });
  });

  it('answers the AWS CLI: aws stepfunctions start-execution', async () => {
    const out = await cli(
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      machineArn('sfn-api-child'),
      '--name',
      'from-cli',
      '--input',
      '{"n":4}',
    );
    const { executionArn } = JSON.parse(out) as { executionArn: string };
    expect(executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:sfn-api-child:from-cli`);
    expect(JSON.parse((await finished(executionArn)).output!)).toEqual({ doubled: 8 });
  }, 30_000);
});
