/**
 * Errors that carry their HTTP status. Code throws them; one `onError` (src/http/middleware.ts) turns them
 * into `{ "message": "<what is wrong>. <how to fix it>" }` responses, so no handler builds an error response.
 * `expose` follows the convention of the `http-errors` package that middy uses: messages of 4xx errors are
 * meant for the caller, messages of 5xx errors never leave the function.
 */
export class HttpError extends Error {
  readonly expose: boolean;

  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
    this.expose = statusCode < 500;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message: string) {
    super(401, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
  }
}
