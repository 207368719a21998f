// The SDK v3 SQS client (`@aws-sdk/client-sqs`, which speaks SQS's JSON protocol and checks every
// MD5OfMessageBody and MD5OfMessageAttributes it gets), behind the small interface these tests use: an action's
// name and its input, and the error a call fails with, with its `x-amzn-query-error` code as `Code` and its HTTP
// status.
import * as Sqs from '@aws-sdk/client-sqs';

export interface SqsCallError extends Error {
  Code: string;
  status: number;
}

export interface SqsJsonClient {
  send<T = Record<string, unknown>>(action: string, input: Record<string, unknown>): Promise<T>;
  /** The error a call fails with (fails the test when it succeeds). */
  failure(action: string, input: Record<string, unknown>): Promise<SqsCallError>;
}

type CommandClass = new (input: Record<string, unknown>) => Parameters<Sqs.SQSClient['send']>[0];

export function sqsJsonClient(options: {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}): SqsJsonClient {
  // One attempt: a test asserts on the first answer, and a retried throttle would hide it.
  const client = new Sqs.SQSClient({ ...options, maxAttempts: 1 });
  const send = async <T>(action: string, input: Record<string, unknown>): Promise<T> => {
    const Command = (Sqs as unknown as Record<string, CommandClass | undefined>)[`${action}Command`];
    if (!Command) throw new Error(`@aws-sdk/client-sqs has no ${action}Command`);
    try {
      // The answer's fields only, as the wire carries them: not the SDK's $metadata.
      const answer: object = await client.send(new Command(input));
      const { $metadata: _metadata, ...output } = answer as Record<string, unknown>;
      return output as T;
    } catch (error) {
      const failure = error as SqsCallError & { $metadata?: { httpStatusCode?: number }; Code?: string };
      failure.Code = failure.Code ?? failure.name;
      failure.status = failure.$metadata?.httpStatusCode ?? 0;
      throw failure;
    }
  };
  return {
    send,
    failure: (action, input) =>
      send(action, input).then(
        () => {
          throw new Error(`${action} succeeded`);
        },
        (error: SqsCallError) => error,
      ),
  };
}
