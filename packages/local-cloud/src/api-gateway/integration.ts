// The Lambda proxy integration's call: a synchronous invocation raced against the integration timeout.
// At the deadline API Gateway answers 504 and stops waiting; the function keeps running to its own
// timeout and its result is dropped, as on AWS.
import type { FunctionDefinition } from '../config/service-definition';
import type { InvokeResult, LambdaService } from '../lambda/lambda-service';

export type IntegrationOutcome =
  | { kind: 'result'; result: InvokeResult }
  | { kind: 'timeout' }
  /** Lambda refused the invocation (throttled, unknown function, event too large) or the call failed. */
  | { kind: 'rejected'; error: unknown };

export function invokeIntegration(
  lambda: LambdaService,
  fn: FunctionDefinition,
  eventJson: string,
  timeoutMs: number,
): Promise<IntegrationOutcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    lambda.invoke({ functionName: fn.key, payload: eventJson }).then(
      (result) => {
        clearTimeout(timer);
        resolve({ kind: 'result', result });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ kind: 'rejected', error });
      },
    );
  });
}

export { functionErrorText } from '../lambda/function-errors';
