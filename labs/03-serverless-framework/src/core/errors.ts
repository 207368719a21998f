/**
 * An error the client can act on. Handlers throw it; the HTTP edge turns it into a JSON response with its
 * status code and message, so every failure is reported the same way.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or breaks a rule; the message says which and how to fix it. */
export class ValidationError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

/** 404: what the request names does not exist. */
export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
  }
}

/** 409: the request clashes with what is already stored; sending it again may succeed. */
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}
