// The two ends of an Express app's pipeline that keep Express's own error handling out of reach: a guard in
// front that refuses malformed URLs before the router decodes route parameters (it throws a URIError), and a
// final error handler that answers in the service's format. Without the latter, Express's default handler
// (finalhandler) answers with the error's stack as HTML whenever NODE_ENV is not "production".
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { internalErrorMessage, logInternalError, type Log } from './internal-errors';
import { MALFORMED_URL_MESSAGE, pathOf, percentDecoded } from './request-path';

/** An error answer for the service to write in its wire format: a fault of the request, or of local-cloud. */
export interface ErrorAnswer {
  kind: 'client' | 'internal';
  status: number;
  message: string;
}

export type SendErrorAnswer = (res: Response, answer: ErrorAnswer) => void;

/** Answers 400 to a URL whose path does not percent-decode; lets every other request through. */
export function refuseMalformedUrl(send: SendErrorAnswer): RequestHandler {
  return (req, res, next) => {
    if (percentDecoded(pathOf(req.originalUrl)) === undefined) {
      send(res, { kind: 'client', status: 400, message: MALFORMED_URL_MESSAGE });
      return;
    }
    next();
  };
}

export interface FinalErrorHandlerOptions {
  /** How the client knows the service, for the internal-error message: "Lambda Invoke API". */
  server: string;
  log: Log;
  send: SendErrorAnswer;
}

/**
 * The app's last middleware. An error Express or a body parser raises for the request itself (it carries a
 * 4xx `status`, as http-errors makes them) is the client's: a 4xx naming the status only. Anything else is
 * local-cloud's own failure: logged with its stack, answered with a message that holds none of it.
 */
export function finalErrorHandler(options: FinalErrorHandlerOptions): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = clientErrorStatus(error);
    if (status === undefined)
      logInternalError(options.log, { method: req.method, url: req.originalUrl }, error);
    if (res.headersSent) {
      // Part of an answer is on its way: cutting the connection is the only way to tell the client.
      res.destroy();
      return;
    }
    if (status === undefined) {
      options.send(res, { kind: 'internal', status: 500, message: internalErrorMessage(options.server) });
      return;
    }
    options.send(res, {
      kind: 'client',
      status,
      message: `The request could not be read (${status} ${STATUS_CODES[status] ?? 'Bad Request'}). Check its URL, headers and body, or send it with the AWS SDK.`,
    });
  };
}

function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
