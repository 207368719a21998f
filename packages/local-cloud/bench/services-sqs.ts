// SendMessage to the sqs-triggered handler: a SendMessage through the SDK v3 at the AWS endpoint, the event source
// mapping's long poll (Lambda polls a standard queue continuously, so a message is picked up as it lands), and the
// function in its sandbox, with the default batching window (none). Measured from the send's start to the
// handler's first line, one message at a time, after warm-up messages.
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  benchService,
  epochNow,
  handlerLatencies,
  StartMarks,
  withLocalCloud,
  type LatencyResult,
} from './services-support';

const QUEUE = 'services-bench-messages';

export async function runSqsBenchmark(messages = 50, warmUp = 3): Promise<LatencyResult> {
  const service = benchService(
    'sqs',
    {
      onMessage: {
        handler: 'src/on-message.handler',
        events: [{ sqs: { arn: { 'Fn::GetAtt': ['Messages', 'Arn'] }, batchSize: 10 } }],
      },
    },
    { Messages: { Type: 'AWS::SQS::Queue', Properties: { QueueName: QUEUE } } },
  );
  const marks = new StartMarks();
  return withLocalCloud(service, marks, async (cloud) => {
    const sqs = new SQSClient({
      endpoint: cloud.lambdaEndpoint,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
    const result = await handlerLatencies(marks, messages, warmUp, async (i) => {
      const body = `message-${i}`;
      const sentAt = epochNow();
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
      return { key: body, sentAt };
    });
    sqs.destroy();
    return result;
  });
}

if (require.main === module) {
  void runSqsBenchmark().then((result) => console.log(result));
}
