// The invocation record Lambda sends to an asynchronous invocation's destination, in AWS's shape
// (Lambda developer guide, "Capturing records of Lambda asynchronous invocations").

export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    /** The function's ARN qualified with the version that ran: `...:function:name:$LATEST`. */
    functionArn: string;
    condition: DestinationCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  /** Absent when the event expired before it ever ran. */
  responseContext?: { statusCode: 200; executedVersion: '$LATEST'; functionError?: 'Unhandled' };
  responsePayload?: unknown;
}

export interface InvocationRecordInput {
  requestId: string;
  functionArn: string;
  condition: DestinationCondition;
  attempts: number;
  /** The event as JSON text. */
  payload: string;
  /** The last attempt's response, when there was one. */
  lastResponse?: { payload: string; functionError?: 'Unhandled' };
  timestamp: Date;
}

export function invocationRecord(input: InvocationRecordInput): InvocationRecord {
  const record: InvocationRecord = {
    version: '1.0',
    timestamp: input.timestamp.toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: input.condition,
      approximateInvokeCount: input.attempts,
    },
    requestPayload: parseJson(input.payload),
  };
  if (input.lastResponse) {
    record.responseContext = {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(input.lastResponse.functionError ? { functionError: input.lastResponse.functionError } : {}),
    };
    record.responsePayload = parseJson(input.lastResponse.payload);
  }
  return record;
}

/** Lambda embeds payloads as JSON values; one that is not JSON is kept as the text it was. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
