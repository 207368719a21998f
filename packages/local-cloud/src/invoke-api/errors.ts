// The errors of Lambda's Invoke API, shaped as AWS sends them: the type in `x-amzn-ErrorType`, a JSON body
// with `message` (and `Type`, `Reason` where Lambda adds them). The AWS SDK reads the type from that header,
// so each class here makes the SDK throw the exception of the same name.
import type { Response } from 'express';

export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    readonly statusCode: number,
    message: string,
    /** Members of the JSON body besides `message`. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = type;
  }
}

/** Errors Lambda itself raises carry `"Type": "User"` in their body. */
const USER = { Type: 'User' };

export class ResourceNotFoundException extends AwsApiError {
  constructor(functionArn: string) {
    super('ResourceNotFoundException', 404, `Function not found: ${functionArn}`, USER);
  }
}

export class TooManyRequestsException extends AwsApiError {
  constructor(reason: string) {
    super('TooManyRequestsException', 429, 'Rate Exceeded.', { ...USER, Reason: reason });
  }
}

/**
 * AWS answers an oversized Invoke with this type, not the `RequestTooLargeException` of the API model, so the
 * SDK throws a generic service exception named `RequestEntityTooLargeException` with HTTP status 413.
 */
export class RequestEntityTooLargeException extends AwsApiError {
  constructor(message: string) {
    super('RequestEntityTooLargeException', 413, message);
  }
}

export class InvalidRequestContentException extends AwsApiError {
  constructor(message: string) {
    super('InvalidRequestContentException', 400, message, USER);
  }
}

export class ValidationException extends AwsApiError {
  constructor(message: string, statusCode = 400) {
    super('ValidationException', statusCode, message);
  }
}

export class MissingAuthenticationTokenException extends AwsApiError {
  constructor() {
    super('MissingAuthenticationTokenException', 403, 'Missing Authentication Token');
  }
}

export class IncompleteSignatureException extends AwsApiError {
  constructor(message: string) {
    super('IncompleteSignatureException', 403, message);
  }
}

export class UnrecognizedClientException extends AwsApiError {
  constructor() {
    super('UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
  }
}

export class InvalidSignatureException extends AwsApiError {
  static readonly MISMATCH =
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

  constructor(message: string = InvalidSignatureException.MISMATCH) {
    super('InvalidSignatureException', 403, message);
  }
}

export class UnknownOperationException extends AwsApiError {
  constructor(method: string, path: string) {
    super(
      'UnknownOperationException',
      404,
      `local-cloud's Lambda endpoint serves Invoke (POST /2015-03-31/functions/{FunctionName}/invocations), ` +
        `ListFunctions, GetFunction and GetFunctionConfiguration, not ${method} ${path}. ` +
        'Call it with InvokeCommand (or those commands) from @aws-sdk/client-lambda.',
    );
  }
}

export class ServiceException extends AwsApiError {
  constructor(message: string) {
    super('ServiceException', 500, message, { Type: 'Service' });
  }
}

export function sendAwsError(res: Response, error: AwsApiError): void {
  res
    .status(error.statusCode)
    .set('x-amzn-ErrorType', error.type)
    .type('application/json')
    .send(JSON.stringify({ ...error.fields, message: error.message }));
}
