// Step Functions: (a) a 10-state Pass/Choice workflow, executions per second through StartSyncExecution (an
// Express machine, several clients at once), and (b) a 3-task Lambda workflow, from StartSyncExecution's start to
// its answer, p50/p99, the functions warm. Both through the AWS endpoint with @aws-sdk/client-sfn, as a test would.
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { FunctionDefinition, ServiceDefinition } from '../src/config/service-definition';
import { epochNow, latencyResult, withLocalCloud, type LatencyResult } from './services-support';

const SERVICE_PATH = path.resolve(__dirname, '../test/stepfunctions/fixtures');
const REGION = 'us-east-1';
const machineArn = (name: string) => `arn:aws:states:${REGION}:123456789012:stateMachine:${name}`;

export interface ThroughputResult {
  executions: number;
  executionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Ten states: Pass states that count, Choice states that route on the count, and a Succeed. */
function passChoiceDefinition(): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 4; i += 1) {
    states[`Count${i}`] = {
      Type: 'Pass',
      Parameters: { 'n.$': 'States.MathAdd($.n, 1)', 'label.$': "States.Format('step {}', $.n)" },
      Next: `Route${i}`,
    };
    states[`Route${i}`] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericGreaterThan: 100, Next: 'TooMany' }],
      Default: i === 3 ? 'Done' : `Count${i + 1}`,
    };
  }
  states.TooMany = { Type: 'Fail', Error: 'TooMany' };
  states.Done = { Type: 'Succeed' };
  return { StartAt: 'Count0', States: states };
}

function lambdaDefinition(): Record<string, unknown> {
  const task = (next?: string) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: { 'Fn::GetAtt': ['step', 'Arn'] }, 'Payload.$': '$' },
    OutputPath: '$.Payload',
    ...(next ? { Next: next } : { End: true }),
  });
  return { StartAt: 'One', States: { One: task('Two'), Two: task('Three'), Three: task() } };
}

function benchService(): ServiceDefinition {
  const step: FunctionDefinition = {
    key: 'step',
    name: 'sfn-bench-step',
    handler: 'src/orders.step',
    runtime: 'nodejs24.x',
    memorySize: 512,
    timeout: 30,
    environment: {},
    maximumRetryAttempts: 2,
    maximumEventAge: 21_600,
    destinations: {},
    httpEvents: [],
    events: [],
  };
  return {
    service: 'sfn-bench',
    servicePath: SERVICE_PATH,
    provider: { region: REGION, stage: 'bench', runtime: 'nodejs24.x', binaryMediaTypes: [] },
    functions: { step },
    resources: {},
    custom: {},
    stepFunctions: {
      stateMachines: {
        passChoice: { name: 'sfn-bench-pass-choice', type: 'EXPRESS', definition: passChoiceDefinition() },
        lambdas: { name: 'sfn-bench-lambdas', type: 'EXPRESS', definition: lambdaDefinition() },
      },
    },
  };
}

function client(cloud: {
  lambdaEndpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}) {
  // StartSyncExecution's host prefix (`sync-`) cannot apply to a local endpoint.
  return new SFNClient({
    endpoint: cloud.lambdaEndpoint,
    region: REGION,
    credentials: cloud.credentials,
    disableHostPrefix: true,
  });
}

async function runSync(sfn: SFNClient, name: string, input: unknown): Promise<number> {
  const started = epochNow();
  const result = await sfn.send(
    new StartSyncExecutionCommand({ stateMachineArn: machineArn(name), input: JSON.stringify(input) }),
  );
  if (result.status !== 'SUCCEEDED')
    throw new Error(`${name} ended ${result.status}: ${result.error} ${result.cause}`);
  if (name === 'sfn-bench-lambdas' && (JSON.parse(result.output ?? '{}') as { steps?: number }).steps !== 3) {
    throw new Error(`${name} did not run its three functions: ${result.output}`);
  }
  return epochNow() - started;
}

/** (a) The 10-state Pass/Choice workflow: executions per second with `concurrency` clients for `durationMs`. */
export async function runPassChoiceBenchmark(durationMs = 4000, concurrency = 10): Promise<ThroughputResult> {
  return withLocalCloud(benchService(), undefined, async (cloud) => {
    const sfn = client(cloud);
    try {
      for (let i = 0; i < 20; i += 1) await runSync(sfn, 'sfn-bench-pass-choice', { n: 0 });
      const latencies: number[] = [];
      const started = epochNow();
      const deadline = started + durationMs;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (epochNow() < deadline) latencies.push(await runSync(sfn, 'sfn-bench-pass-choice', { n: 0 }));
        }),
      );
      const elapsed = epochNow() - started;
      const { p50Ms, p99Ms } = latencyResult(latencies);
      return {
        executions: latencies.length,
        executionsPerSecond: (latencies.length / elapsed) * 1000,
        p50Ms,
        p99Ms,
      };
    } finally {
      sfn.destroy();
    }
  });
}

/** (b) Three lambda:invoke tasks in a row: start to end of each execution, one at a time, after warm-up. */
export async function runLambdaWorkflowBenchmark(executions = 100, warmUp = 5): Promise<LatencyResult> {
  return withLocalCloud(benchService(), undefined, async (cloud) => {
    const sfn = client(cloud);
    try {
      const latencies: number[] = [];
      for (let i = 0; i < warmUp + executions; i += 1) {
        const ms = await runSync(sfn, 'sfn-bench-lambdas', { run: i });
        if (i >= warmUp) latencies.push(ms);
      }
      return latencyResult(latencies);
    } finally {
      sfn.destroy();
    }
  });
}

/**
 * The alternative (b) is measured against: the same three functions invoked one after another by the client
 * (RequestResponse through the Invoke API), each with the previous one's result: the work without the workflow.
 */
export async function runSequentialInvokeBenchmark(runs = 100, warmUp = 5): Promise<LatencyResult> {
  return withLocalCloud(benchService(), undefined, async (cloud) => {
    const lambda = new LambdaClient({
      endpoint: cloud.lambdaEndpoint,
      region: REGION,
      credentials: cloud.credentials,
    });
    try {
      const latencies: number[] = [];
      for (let i = 0; i < warmUp + runs; i += 1) {
        const started = epochNow();
        let payload: Uint8Array = Buffer.from(JSON.stringify({ run: i }));
        for (let step = 0; step < 3; step += 1) {
          const result = await lambda.send(new InvokeCommand({ FunctionName: 'step', Payload: payload }));
          payload = result.Payload ?? Buffer.from('{}');
        }
        if (i >= warmUp) latencies.push(epochNow() - started);
      }
      return latencyResult(latencies);
    } finally {
      lambda.destroy();
    }
  });
}

if (require.main === module) {
  void (async () => {
    console.log(
      '10-state Pass/Choice workflow (StartSyncExecution, 10 clients):',
      await runPassChoiceBenchmark(),
    );
    console.log('3-task Lambda workflow, start to end:', await runLambdaWorkflowBenchmark());
    console.log('the same 3 functions invoked in turn:', await runSequentialInvokeBenchmark());
  })();
}
