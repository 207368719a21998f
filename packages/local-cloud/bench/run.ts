// `npm run bench`: local-cloud against serverless-offline 13.x (the usual choice for Serverless Framework v3),
// measured in the same run on the same machine, plus local-cloud's own startup, reload and invoke overhead, and
// what its one AWS endpoint (the edge) adds to a DynamoDB and an S3 call.
// Every figure is a median or a percentile over repeated runs; the goals come from the issue that set them.
import { runEdgeOverheadBenchmark, type Overhead } from './edge-overhead';
import { runIamOverheadBenchmark } from './iam-overhead';
import { runReloadBenchmark } from './reload';
import { runAsyncInvokeBenchmark } from './services-async-invoke';
import { runEventBridgeBenchmark } from './services-eventbridge';
import { runKinesisBenchmark } from './services-kinesis';
import { runS3TriggerBenchmark } from './services-s3-trigger';
import { runSqsBenchmark } from './services-sqs';
import {
  runLambdaWorkflowBenchmark,
  runPassChoiceBenchmark,
  runSequentialInvokeBenchmark,
} from './services-stepfunctions';
import { runStreamBenchmark } from './services-stream';
import type { LatencyResult } from './services-support';
import { runWebSocketBroadcastBenchmark } from './services-websocket';
import { runStartupBenchmark } from './startup';
import { runThroughputBenchmark } from './throughput';
import { runWarmOverheadBenchmark } from './warm-overhead';

interface Goal {
  name: string;
  measured: string;
  goal: string;
  met: boolean;
}

async function main(): Promise<void> {
  const goals: Goal[] = [];

  console.log(
    'Throughput: GET /dev/hello, a trivial handler, 10 connections on 127.0.0.1 (medians of 3 alternating 4 s windows)',
  );
  const throughput = await runThroughputBenchmark();
  for (const row of [throughput.localCloud, throughput.serverlessOffline]) {
    console.log(
      `  ${row.name.padEnd(20)} ${row.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${row.p50Ms.toFixed(1).padStart(6)} ms   p99 ${row.p99Ms.toFixed(1).padStart(6)} ms   errors ${row.errors}`,
    );
  }
  const rpsRatio = throughput.localCloud.requestsPerSecond / throughput.serverlessOffline.requestsPerSecond;
  const p99Ratio = throughput.localCloud.p99Ms / throughput.serverlessOffline.p99Ms;
  console.log(`  ratio: ${rpsRatio.toFixed(1)}x the requests per second, ${p99Ratio.toFixed(2)}x the p99`);
  if (throughput.stolenPercent !== undefined) {
    console.log(`  (the hypervisor took ${throughput.stolenPercent.toFixed(0)}% of a CPU meanwhile)`);
  }
  goals.push(
    {
      name: 'req/s vs serverless-offline',
      measured: `${rpsRatio.toFixed(1)}x`,
      goal: '>= 5x',
      met: rpsRatio >= 5,
    },
    {
      name: 'p99 vs serverless-offline',
      measured: `${p99Ratio.toFixed(2)}x`,
      goal: '<= 0.25x',
      met: p99Ratio <= 0.25,
    },
  );

  console.log('\nStartup to first response: 10 TypeScript functions, CLI in a child process');
  const startup = await runStartupBenchmark();
  console.log(`  config not cached (runs serverless print): ${startup.uncachedMs.toFixed(0)} ms`);
  console.log(
    `  config cached (median of ${startup.cachedRuns}):            ${startup.cachedMs.toFixed(0)} ms`,
  );
  goals.push({
    name: 'startup, cached config',
    measured: `${startup.cachedMs.toFixed(0)} ms`,
    goal: '<= 1500 ms',
    met: startup.cachedMs <= 1500,
  });

  console.log('\nCode change to new response: edit a handler, poll its route until the new code answers');
  const reload = await runReloadBenchmark();
  console.log(
    `  median of ${reload.runs}: ${reload.medianMs.toFixed(0)} ms (max ${reload.maxMs.toFixed(0)} ms)`,
  );
  goals.push({
    name: 'reload',
    measured: `${reload.medianMs.toFixed(0)} ms`,
    goal: '<= 300 ms',
    met: reload.medianMs <= 300,
  });

  console.log('\nWarm invoke overhead: invoke() of a trivial handler vs calling the handler directly');
  const overhead = await runWarmOverheadBenchmark();
  console.log(
    `  direct p50 ${overhead.directP50Ms.toFixed(3)} ms, invoke p50 ${overhead.invokeP50Ms.toFixed(3)} ms, p99 ${overhead.invokeP99Ms.toFixed(3)} ms over ${overhead.samples} calls`,
  );
  console.log(`  overhead p50: ${overhead.overheadP50Ms.toFixed(3)} ms`);
  goals.push({
    name: 'warm invoke overhead p50',
    measured: `${overhead.overheadP50Ms.toFixed(3)} ms`,
    goal: '<= 0.5 ms',
    met: overhead.overheadP50Ms <= 0.5,
  });

  console.log(
    '\nEdge overhead: the same call through the one AWS endpoint and without it (SDK v3 clients, one call at a time, in alternating blocks)',
  );
  const edge = await runEdgeOverheadBenchmark();
  const edgeRows: [string, LatencyResult][] = [
    ['DynamoDB GetItem through the edge', edge.dynamoDbEdge],
    ['DynamoDB GetItem straight to DynamoDB Local', edge.dynamoDbStraight],
    [`S3 GetObject (${edge.objectBytes / 1024} KB) through the edge`, edge.s3Edge],
    [`S3 GetObject (${edge.objectBytes / 1024} KB), S3 without the edge`, edge.s3Straight],
  ];
  for (const [name, row] of edgeRows) {
    console.log(
      `  ${name.padEnd(44)} p50 ${row.p50Ms.toFixed(2).padStart(6)} ms   p99 ${row.p99Ms.toFixed(2).padStart(6)} ms   over ${row.samples} calls after ${edge.warmUp} warm-up`,
    );
  }
  const describeOverhead = (o: Overhead) =>
    `p50 ${o.p50Ratio.toFixed(2)}x (${signedMs(o.p50DiffMs)}), p99 ${o.p99Ratio.toFixed(2)}x (${signedMs(o.p99DiffMs)})`;
  console.log(`  DynamoDB, edge vs straight: ${describeOverhead(edge.dynamoDbOverhead)}`);
  console.log(`  S3, edge vs without:        ${describeOverhead(edge.s3Overhead)}`);

  console.log('\nServices: from the event to the handler running (handlers in sandboxes, real SDK clients)');
  const s3Trigger = await runS3TriggerBenchmark();
  console.log(
    `  presigned PUT to the S3-triggered handler: p50 ${s3Trigger.p50Ms.toFixed(1)} ms, p99 ${s3Trigger.p99Ms.toFixed(1)} ms over ${s3Trigger.samples} uploads`,
  );
  const stream = await runStreamBenchmark();
  console.log(
    `  DynamoDB write to the stream handler (polled 4 times a second, as Lambda does): p50 ${stream.p50Ms.toFixed(0)} ms, p99 ${stream.p99Ms.toFixed(0)} ms over ${stream.samples} writes`,
  );
  const broadcast = await runWebSocketBroadcastBenchmark();
  console.log(
    `  WebSocket broadcast from a handler to 200 connections, post to received: p50 ${broadcast.p50Ms.toFixed(0)} ms, p99 ${broadcast.p99Ms.toFixed(0)} ms over ${broadcast.samples} messages`,
  );

  console.log(
    "\nMessaging: from the call to the handler running, against an async Invoke of a function (Lambda's own queue) in the same run",
  );
  const asyncInvoke = await runAsyncInvokeBenchmark();
  const sqs = await runSqsBenchmark();
  const eventBridge = await runEventBridgeBenchmark();
  const kinesis = await runKinesisBenchmark();
  const messagingRows: [string, LatencyResult][] = [
    ['async Invoke (the alternative)', asyncInvoke],
    ['SQS SendMessage, sqs event, no batching window', sqs],
    ['EventBridge PutEvents, a rule to a function', eventBridge],
    ['Kinesis PutRecord, stream event', kinesis],
  ];
  for (const [name, row] of messagingRows) {
    console.log(
      `  ${name.padEnd(46)} p50 ${row.p50Ms.toFixed(1).padStart(6)} ms   p99 ${row.p99Ms.toFixed(1).padStart(6)} ms   over ${row.samples}`,
    );
  }
  console.log(
    `  SQS adds ${signedMs(sqs.p50Ms - asyncInvoke.p50Ms)} at p50 (${(sqs.p50Ms / asyncInvoke.p50Ms).toFixed(2)}x), EventBridge ${signedMs(eventBridge.p50Ms - asyncInvoke.p50Ms)} (${(eventBridge.p50Ms / asyncInvoke.p50Ms).toFixed(2)}x), Kinesis ${signedMs(kinesis.p50Ms - asyncInvoke.p50Ms)} (${(kinesis.p50Ms / asyncInvoke.p50Ms).toFixed(2)}x); the DynamoDB stream above polls 4 times a second`,
  );
  goals.push(
    {
      name: 'SQS send to handler, p50 added',
      measured: signedMs(sqs.p50Ms - asyncInvoke.p50Ms),
      goal: '<= +5 ms',
      met: sqs.p50Ms - asyncInvoke.p50Ms <= 5,
    },
    {
      name: 'PutEvents to handler, p50 added',
      measured: signedMs(eventBridge.p50Ms - asyncInvoke.p50Ms),
      goal: '<= +5 ms',
      met: eventBridge.p50Ms - asyncInvoke.p50Ms <= 5,
    },
  );

  console.log('\nStep Functions (StartSyncExecution of Express workflows through the AWS endpoint)');
  const passChoice = await runPassChoiceBenchmark();
  console.log(
    `  10 Pass and Choice states, 10 clients: ${passChoice.executionsPerSecond.toFixed(0)} executions/s (p50 ${passChoice.p50Ms.toFixed(1)} ms, p99 ${passChoice.p99Ms.toFixed(1)} ms over ${passChoice.executions})`,
  );
  const workflow = await runLambdaWorkflowBenchmark();
  const sequential = await runSequentialInvokeBenchmark();
  console.log(
    `  3 Lambda tasks, start to end: p50 ${workflow.p50Ms.toFixed(1)} ms, p99 ${workflow.p99Ms.toFixed(1)} ms; the same 3 functions invoked in turn by the client: p50 ${sequential.p50Ms.toFixed(1)} ms (${(workflow.p50Ms / sequential.p50Ms).toFixed(2)}x)`,
  );

  console.log('\nIAM: GetItem from a handler, its role checked (--iam enforce) or not (--iam off)');
  const iam = await runIamOverheadBenchmark();
  const iamAddedMs = iam.enforceP50Ms - iam.offP50Ms;
  console.log(
    `  p50 ${iam.enforceP50Ms.toFixed(2)} ms enforced, ${iam.offP50Ms.toFixed(2)} ms off, over ${iam.calls} calls each: ${signedMs(iamAddedMs)} (${(iam.enforceP50Ms / iam.offP50Ms).toFixed(2)}x)`,
  );
  goals.push({
    name: 'IAM check, p50 added',
    measured: signedMs(iamAddedMs),
    goal: '<= +0.2 ms',
    met: iamAddedMs <= 0.2,
  });

  console.log('\nGoals');
  for (const goal of goals) {
    console.log(
      `  ${goal.met ? 'met    ' : 'NOT met'}  ${goal.name.padEnd(28)} ${goal.measured.padStart(10)}  (goal ${goal.goal})`,
    );
  }
}

function signedMs(ms: number): string {
  return `${ms >= 0 ? '+' : '-'}${Math.abs(ms).toFixed(2)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
