// What an event source mapping sends to its on-failure destination when it gives up on a batch (Lambda
// developer guide, "Retain discarded records for a DynamoDB event source in Lambda", example invocation
// record): a description of the batch, not its records, which stay in the stream until they expire.

export interface StreamFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: {
    statusCode: 200;
    executedVersion: '$LATEST';
    /** Absent when the last attempt returned a partial batch failure rather than an error. */
    functionError?: 'Unhandled';
  };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface FailureRecordInput {
  requestId: string;
  functionArn: string;
  invokeCount: number;
  functionError: boolean;
  shardId: string;
  streamArn: string;
  records: { sequenceNumber: string; createdAtMs: number }[];
  now: Date;
}

export function streamFailureRecord(input: FailureRecordInput): StreamFailureRecord {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: input.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(input.functionError ? { functionError: 'Unhandled' as const } : {}),
    },
    version: '1.0',
    timestamp: input.now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first?.sequenceNumber ?? '',
      endSequenceNumber: last?.sequenceNumber ?? '',
      approximateArrivalOfFirstRecord: isoSeconds(first?.createdAtMs ?? input.now.getTime()),
      approximateArrivalOfLastRecord: isoSeconds(last?.createdAtMs ?? input.now.getTime()),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}

/** `2019-11-14T00:13:19Z`: AWS gives record arrival times to the second. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
