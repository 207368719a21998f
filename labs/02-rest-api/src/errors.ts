// Errors that carry the HTTP status they stand for. Code deep inside a use case throws them; one place at the
// edge (src/http/http-handler.ts) turns them into responses, so no function returns an error by hand.

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request itself is wrong; the message says what and how to fix it. */
export class ValidationError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

/** 409: the request is valid but clashes with what is stored. */
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}
