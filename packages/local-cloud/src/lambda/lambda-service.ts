// The contract between the Lambda runtime and everything that invokes functions (API Gateway, the Invoke
// API, event sources). Payloads cross it as JSON text, as they cross Lambda's own API, so size limits are
// measured on the bytes AWS would measure.
import type { FunctionDefinition } from '../config/service-definition';

export interface InvokeRequest {
  /** The function's key in serverless.yml or its deployed name. */
  functionName: string;
  /** The event as JSON text. */
  payload: string;
  /** Base64 JSON, as in X-Amz-Client-Context; reaches the handler as context.clientContext. */
  clientContext?: string;
  /**
   * The request id to run under (context.awsRequestId, the log lines, the report); a new one when absent.
   * The Invoke API passes its x-amzn-RequestId, as AWS does, and keeps one id across an event's retries.
   */
  requestId?: string;
}

/** The JSON body Lambda returns for a function error, as the Node.js runtime shapes it. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export interface InvocationReport {
  functionKey: string;
  functionName: string;
  requestId: string;
  status: 'success' | 'error';
  /** From the handler's start to its result, ms with two decimals, as in Lambda's REPORT line. */
  durationMs: number;
  /** Duration rounded up to the next whole ms. */
  billedDurationMs: number;
  /** Module initialisation time when this invocation started a new sandbox. */
  initDurationMs?: number;
  coldStart: boolean;
  memorySizeMb: number;
  /** Peak resident memory of the sandbox, MB. */
  maxMemoryUsedMb: number;
  /** The X-Ray trace the invocation ran in: its trace id and the id of the function's segment. */
  trace?: { traceId: string; segmentId: string };
}

export interface InvokeResult {
  report: InvocationReport;
  /**
   * `undefined` on success (payload is the handler's result as JSON text, `null` when it returned nothing);
   * `Unhandled` when the function failed (payload is a FunctionErrorPayload as JSON text), as in
   * X-Amz-Function-Error.
   */
  functionError?: 'Unhandled';
  payload: string;
  /** This invocation's log: START, what the handler wrote (tagged with the request id), END, REPORT. */
  logs: string;
}

/** Sync invocations beyond reserved concurrency: API Gateway and the Invoke API answer 429. */
export class TooManyRequestsError extends Error {
  readonly reason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
  constructor(readonly functionName: string) {
    super('Rate Exceeded.');
    this.name = 'TooManyRequestsException';
  }
}

/** A request payload or a response larger than Lambda accepts (6 MB for RequestResponse). */
export class RequestTooLargeError extends Error {
  constructor(
    readonly limitBytes: number,
    readonly actualBytes: number,
    readonly direction: 'request' | 'response',
  ) {
    super(
      direction === 'request'
        ? `Request must be smaller than ${limitBytes} bytes for the InvokeFunction operation`
        : `Response payload size (${actualBytes} bytes) exceeded maximum allowed payload size (${limitBytes} bytes).`,
    );
    this.name = 'RequestEntityTooLargeException';
  }
}

export class FunctionNotFoundError extends Error {
  constructor(
    readonly functionName: string,
    arn: string,
  ) {
    super(`Function not found: ${arn}`);
    this.name = 'ResourceNotFoundException';
  }
}

export interface LambdaService {
  readonly region: string;
  readonly accountId: string;
  /** Every function of the service, in serverless.yml's order. */
  functions(): FunctionDefinition[];
  /** By key (`hello`), deployed name, or ARN (full or partial); undefined when unknown. */
  findFunction(nameOrArn: string): FunctionDefinition | undefined;
  functionArn(fn: FunctionDefinition): string;
  /**
   * Invokes synchronously (RequestResponse): runs the handler in a sandbox and resolves with its result or
   * its error. Rejects only for what stops the invocation before it runs: FunctionNotFoundError,
   * TooManyRequestsError, RequestTooLargeError.
   */
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /** Called after every invocation: the CLI prints one line per report. */
  onInvocation(listener: (report: InvocationReport) => void): () => void;
  /** Discards the sandboxes of these functions (hot reload): their next invocation runs new code, cold. */
  recycle(functionKeys: string[]): Promise<void>;
  /** Kills every sandbox. */
  stop(): Promise<void>;
}

export { ACCOUNT_ID } from '../common/account';
export const SYNC_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
export const ASYNC_PAYLOAD_LIMIT_BYTES = 1024 * 1024;
