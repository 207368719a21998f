// EventBridge PutEvents to rule target handler: a PutEvents through the SDK at the AWS endpoint, the rule's
// pattern matched on the bus, Lambda's async queue and the function in its sandbox (the `eventBridge` event's
// target). Measured from the PutEvents' start to the handler's first line, one event at a time, after
// warm-up events.
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  benchService,
  epochNow,
  handlerLatencies,
  StartMarks,
  withLocalCloud,
  type LatencyResult,
} from './services-support';

/** The handler that prints `BENCH <detail.key> <epoch ms>` lives beside the EventBridge tests. */
const SERVICE_PATH = path.resolve(__dirname, '../test/eventbridge/fixtures');
const SOURCE = 'bench.eventbridge';

export async function runEventBridgeBenchmark(events = 50, warmUp = 3): Promise<LatencyResult> {
  const service = {
    ...benchService('eventbridge', {
      onEvent: {
        handler: 'src/handler.bench',
        events: [{ eventBridge: { pattern: { source: [SOURCE], 'detail-type': ['Bench'] } } }],
      },
    }),
    servicePath: SERVICE_PATH,
  };
  const marks = new StartMarks();
  return withLocalCloud(service, marks, async (cloud) => {
    const client = new EventBridgeClient({
      endpoint: cloud.lambdaEndpoint,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    const result = await handlerLatencies(marks, events, warmUp, async (i) => {
      const key = `event-${i}`;
      const sentAt = epochNow();
      const result = await client.send(
        new PutEventsCommand({
          Entries: [{ Source: SOURCE, DetailType: 'Bench', Detail: JSON.stringify({ key }) }],
        }),
      );
      if (result.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
      return { key: key, sentAt };
    });
    client.destroy();
    return result;
  });
}

if (require.main === module) {
  void runEventBridgeBenchmark().then((result) => console.log(result));
}
