// Errors carry the HTTP status they mean, so every adapter turns them into the same response.

export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
}

export class ValidationError extends HttpError {
  override readonly name = 'ValidationError';
  readonly statusCode = 400;
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
}

export class MethodNotAllowedError extends HttpError {
  override readonly name = 'MethodNotAllowedError';
  readonly statusCode = 405;
}
