// The alternative the queue and event-bus benchmarks are measured against: an asynchronous Invoke (InvocationType
// Event, Lambda's own queue, what S3 and SNS use) of a function, from the call's start to the handler's first line.
// A message or an event reaches its function through the same queue or a poller, so their difference from this
// is what SQS's event source or EventBridge's rules add.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  benchService,
  epochNow,
  handlerLatencies,
  StartMarks,
  withLocalCloud,
  type LatencyResult,
} from './services-support';

export async function runAsyncInvokeBenchmark(invocations = 50, warmUp = 3): Promise<LatencyResult> {
  const service = benchService('async', { onInvoke: { handler: 'src/on-invoke.handler', events: [] } });
  const marks = new StartMarks();
  return withLocalCloud(service, marks, async (cloud) => {
    const lambda = new LambdaClient({
      endpoint: cloud.lambdaEndpoint,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    const result = await handlerLatencies(marks, invocations, warmUp, async (i) => {
      const key = `invocation-${i}`;
      const sentAt = epochNow();
      await lambda.send(
        new InvokeCommand({
          FunctionName: 'onInvoke',
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify({ key })),
        }),
      );
      return { key: key, sentAt };
    });
    lambda.destroy();
    return result;
  });
}

if (require.main === module) {
  void runAsyncInvokeBenchmark().then((result) => console.log(result));
}
