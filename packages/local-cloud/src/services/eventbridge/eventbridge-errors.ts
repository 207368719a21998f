// EventBridge's errors as its JSON 1.1 protocol carries them: the exception's name in `__type` and in the
// `x-amzn-ErrorType` header, which the SDK v3 and the AWS CLI read into the error they throw.
import type { ServerResponse } from 'node:http';
import { sendJsonError, type AwsErrorBody } from '../../protocol/aws-errors';

export class EventBridgeError extends Error {
  constructor(
    /** `ResourceNotFoundException`, `ValidationException`, `InvalidEventPatternException`, ... */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const validationError = (message: string) => new EventBridgeError('ValidationException', message);

export const busNotFound = (name: string) =>
  new EventBridgeError('ResourceNotFoundException', `Event bus ${name} does not exist.`);

export const ruleNotFound = (name: string, bus: string) =>
  new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);

/** Smithy's wording for a member outside its constraint. */
export const constraintError = (value: string, member: string, constraint: string) =>
  validationError(
    `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`,
  );

export function fromSignatureError(error: AwsErrorBody): EventBridgeError {
  return new EventBridgeError(error.code, error.message, error.status);
}

export function sendEventBridgeError(res: ServerResponse, error: EventBridgeError): void {
  sendJsonError(res, { code: error.code, status: error.statusCode, message: error.message });
}
