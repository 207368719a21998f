// The two kinds of error Step Functions has: a state's failure inside an execution (a name such as
// `States.TaskFailed` or a Lambda function's errorType, and a cause, which Retry and Catch match on), and the API's
// errors on the wire (`StateMachineDoesNotExist`, `InvalidToken`, ... in `__type`, as the JSON 1.0 protocol of
// `@aws-sdk/client-sfn` reads them).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** A failure inside an execution: `Error` and `Cause` as the states language names them. */
export class StatesError extends Error {
  constructor(
    /** `States.TaskFailed`, `States.Timeout`, `Lambda.ServiceException`, a function's errorType, ... */
    readonly error: string,
    override readonly cause: string = '',
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}

/** Errors no Retry or Catch (not even States.ALL) handles: the execution fails. */
export const TERMINAL_ERRORS = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/** A path, payload template or intrinsic function that could not be applied: the execution fails. */
export const runtimeError = (cause: string) => new StatesError('States.Runtime', cause);

/** The API's error, as `__type` names it. */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const stateMachineDoesNotExist = (arn: string) =>
  new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
export const executionDoesNotExist = (arn: string) =>
  new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
export const invalidArn = (arn: string) =>
  new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
export const validationError = (message: string) => new SfnApiError('ValidationException', message);
export const taskDoesNotExist = () => new SfnApiError('TaskDoesNotExist', 'Task Timed Out or Does Not Exist');
export const invalidToken = (token: string) =>
  new SfnApiError('InvalidToken', `Invalid Token: 'Invalid token: ${token.slice(0, 40)}'`);

export function sendSfnError(res: ServerResponse, error: SfnApiError): void {
  const body = JSON.stringify({ __type: `com.amazonaws.sfn#${error.code}`, message: error.message });
  res.writeHead(error.statusCode, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
