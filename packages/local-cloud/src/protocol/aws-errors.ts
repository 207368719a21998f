// AWS errors as the two families of wire protocols carry them, so an SDK throws an exception of the named type:
// the JSON protocols (DynamoDB, Secrets Manager, SSM, Lambda) read `x-amzn-ErrorType` and `__type`; the Query
// protocols (SNS, SQS's older clients, STS) read `<ErrorResponse><Error><Code>`.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { escapeXml } from './xml';

export interface AwsErrorBody {
  /** The exception's name: `ResourceNotFoundException`, `NotFound`. */
  code: string;
  status: number;
  message: string;
}

export function sendJsonError(res: ServerResponse, error: AwsErrorBody): void {
  const body = JSON.stringify({ __type: error.code, message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': error.code,
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendQueryError(res: ServerResponse, error: AwsErrorBody): void {
  const requestId = randomUUID();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ErrorResponse><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
