// SQS's errors as both of its wire protocols carry them. The JSON protocol (SDK v3, AWS CLI v2 from 2.13)
// names the exception in `__type` (`com.amazonaws.sqs#QueueDoesNotExist`) and the older Query code in the
// `x-amzn-query-error` header (`AWS.SimpleQueueService.NonExistentQueue;Sender`), which the SDK reads into the
// error's `Code`; the Query protocol (older CLIs, SDK v2) puts the Query code in `<ErrorResponse>`.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AwsErrorBody } from '../../protocol/aws-errors';
import { queryProtocolCode } from '../../protocol/signature-errors';
import { escapeXml } from '../../protocol/xml';

export const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

export class SqsError extends Error {
  constructor(
    /** The JSON protocol's exception name: `QueueDoesNotExist`, `InvalidParameterValue`. */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    /** The Query protocol's code, when it differs: `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly queryCode = code,
  ) {
    super(message);
    this.name = code;
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

const prefixed = (code: string) => `AWS.SimpleQueueService.${code}`;

export const queueDoesNotExist = () =>
  new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 400, prefixed('NonExistentQueue'));
export const invalidParameterValue = (message: string) => new SqsError('InvalidParameterValue', message);
export const missingParameter = (name: string) =>
  new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
export const invalidRange = (name: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
export const receiptHandleIsInvalid = (handle: string) =>
  new SqsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );
export const messageNotInflight = () =>
  new SqsError(
    'MessageNotInflight',
    'Message does not exist or is not available for visibility timeout change.',
    400,
    prefixed('MessageNotInflight'),
  );
/** A batch-level refusal, named as SQS names them: `TooManyEntriesInBatchRequest`, ... */
export const batchError = (code: string, message: string) => new SqsError(code, message, 400, prefixed(code));

/** The JSON services' signature failures, in the Query protocol's words. */
export function fromSignatureError(error: AwsErrorBody): SqsError {
  return new SqsError(error.code, error.message, error.status, queryProtocolCode(error.code));
}

export function sendSqsError(res: ServerResponse, error: SqsError, json: boolean): void {
  const requestId = randomUUID();
  const body = json
    ? JSON.stringify({ __type: `com.amazonaws.sqs#${error.code}`, message: error.message })
    : `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_XML_NAMESPACE}"><Error><Type>${error.fault}</Type>` +
      `<Code>${escapeXml(error.queryCode)}</Code><Message>${escapeXml(error.message)}</Message><Detail/></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(error.statusCode, {
    'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml',
    'x-amzn-requestid': requestId,
    'x-amzn-query-error': `${error.queryCode};${error.fault}`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
