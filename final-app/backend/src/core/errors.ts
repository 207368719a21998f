// Errors a use case throws; each carries the HTTP status the API answers with, so one error middleware maps
// every failure to a response. Messages say what is wrong, then how to fix it.

export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
}

export class ValidationError extends HttpError {
  override readonly name = 'ValidationError';
  readonly statusCode = 400;
}

export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';
  readonly statusCode = 401;
}

export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';
  readonly statusCode = 403;
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
}

export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';
  readonly statusCode = 409;
}

/** A dependency (DynamoDB, S3) refused the request for now: throttled after the SDK's own retries. */
export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';
  readonly statusCode = 503;
}
