// Every answer of the Lambda API carries `x-amzn-RequestId`. For an invocation it is also the function's
// request id (context.awsRequestId, the START/END/REPORT lines), so a log line can be traced to its call.
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

export const assignRequestId: RequestHandler = (_req, res, next) => {
  const requestId = randomUUID();
  res.locals.requestId = requestId;
  res.set('x-amzn-RequestId', requestId);
  next();
};

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId);
}
