// Calling a function through the Lambda Invoke API with the AWS SDK v3: the same code talks to AWS or, with
// AWS_ENDPOINT_URL set, to local-cloud. The three invocation types differ in what the caller waits for.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** The error a function threw, as Lambda reports it: HTTP 200 with X-Amz-Function-Error and an error body. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(`${functionName} failed with ${errorType}: ${errorMessage}`);
    this.name = 'FunctionError';
  }
}

export interface SyncInvocation<T> {
  /** The handler's return value, parsed from JSON. */
  result: T;
  /** The last 4 KB of the invocation's log (START ... REPORT), decoded from X-Amz-Log-Result. */
  logTail: string;
}

/**
 * RequestResponse: runs the function and waits for its result. A function that throws still gives HTTP 200;
 * Lambda flags it with FunctionError and puts `{ errorType, errorMessage }` in the payload, so this throws a
 * FunctionError for it rather than returning the error as if it were a result.
 */
export async function invokeAndWait<T>(
  client: LambdaClient,
  functionName: string,
  event: unknown,
): Promise<SyncInvocation<T>> {
  // BEGIN SOLUTION invocation-types
  const response = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      Payload: Buffer.from(JSON.stringify(event)),
    }),
  );
  const body = response.Payload ? Buffer.from(response.Payload).toString('utf8') : 'null';
  if (response.FunctionError !== undefined) {
    const error = JSON.parse(body) as { errorType?: string; errorMessage?: string };
    throw new FunctionError(functionName, error.errorType ?? 'Error', error.errorMessage ?? body);
  }
  const logTail = response.LogResult ? Buffer.from(response.LogResult, 'base64').toString('utf8') : '';
  return { result: JSON.parse(body) as T, logTail };
  // END SOLUTION
}

/**
 * Event: Lambda queues the event and answers 202 at once; the function runs later, and a failure is retried
 * twice before going to the on-failure destination. The caller never sees the result.
 */
export async function invokeAsync(client: LambdaClient, functionName: string, event: unknown): Promise<void> {
  // BEGIN SOLUTION invocation-types
  const response = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(event)),
    }),
  );
  if (response.StatusCode !== 202) {
    throw new Error(`expected Lambda to queue the event (202), got ${response.StatusCode}`);
  }
  // END SOLUTION
}

/**
 * DryRun: checks that the function exists and the caller may invoke it, without running it (204). A function
 * that does not exist answers ResourceNotFoundException; anything else (no permission, throttling) is rethrown.
 */
export async function canInvoke(client: LambdaClient, functionName: string): Promise<boolean> {
  // BEGIN SOLUTION invocation-types
  try {
    const response = await client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'DryRun' }),
    );
    return response.StatusCode === 204;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return false;
    throw error;
  }
  // END SOLUTION
}
