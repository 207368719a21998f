// A route's Lambda proxy integration: the function is invoked with the event and given API Gateway's
// integration timeout (50 ms to 29 s). The caller gets the function's parsed response, its error or the
// timeout, never an exception, because each route answers a failed call its own way: $connect refuses the
// upgrade, a message route tells the client, $disconnect only writes to the log.
import { isRecord } from '../common/records';
import { errorDetail } from '../http/internal-errors';
import type { LambdaService } from '../lambda/lambda-service';

export type InvokeOutcome =
  { kind: 'result'; value: unknown } | { kind: 'error'; reason: string } | { kind: 'timeout' };

export type InvokeFailure = Exclude<InvokeOutcome, { kind: 'result' }>;

export class Integration {
  constructor(
    private readonly lambda: LambdaService,
    readonly timeoutMs: number,
  ) {}

  invoke(functionKey: string, event: unknown): Promise<InvokeOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), this.timeoutMs);
      this.lambda.invoke({ functionName: functionKey, payload: JSON.stringify(event) }).then(
        (result) => {
          clearTimeout(timer);
          if (result.functionError) {
            resolve({ kind: 'error', reason: describeFunctionError(result.payload) });
            return;
          }
          resolve({ kind: 'result', value: parseJson(result.payload) });
        },
        (error: unknown) => {
          clearTimeout(timer);
          resolve({ kind: 'error', reason: errorDetail(error) });
        },
      );
    });
  }

  /** Why a call gave no result, for local-cloud's log. */
  describeFailure(outcome: InvokeFailure): string {
    return outcome.kind === 'timeout' ? `no answer within ${this.timeoutMs} ms` : outcome.reason;
  }
}

function describeFunctionError(payload: string): string {
  const error = parseJson(payload);
  if (isRecord(error) && typeof error.errorMessage === 'string') {
    return `${typeof error.errorType === 'string' ? error.errorType : 'Error'}: ${error.errorMessage}`;
  }
  return payload;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
