// What an event source mapping sends to its on-failure destination when it gives up on a batch (Lambda
// developer guide, "Retain discarded records for a DynamoDB event source in Lambda", example invocation
// record): a description of the batch, not its records, which stay in the stream until they expire. A Kinesis
// source sends the same description with `KinesisBatchInfo` in place of `DDBStreamBatchInfo` ("Retain discarded
// records for a Kinesis Data Streams event source").
import type { GiveUpCondition } from './batch-delivery';

interface FailureContext {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: GiveUpCondition;
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
}

export interface StreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
  batchSize: number;
  streamArn: string;
}

export interface StreamFailureRecord extends FailureContext {
  DDBStreamBatchInfo: StreamBatchInfo;
}

export interface KinesisFailureRecord extends FailureContext {
  KinesisBatchInfo: StreamBatchInfo;
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
  /** RetryAttemptsExhausted unless given. */
  condition?: GiveUpCondition;
}

export function streamFailureRecord(input: FailureRecordInput): StreamFailureRecord {
  return { ...failureContext(input), DDBStreamBatchInfo: batchInfo(input) };
}

export function kinesisFailureRecord(input: FailureRecordInput): KinesisFailureRecord {
  return { ...failureContext(input), KinesisBatchInfo: batchInfo(input) };
}

function failureContext(input: FailureRecordInput): FailureContext {
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition ?? 'RetryAttemptsExhausted',
      approximateInvokeCount: input.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(input.functionError ? { functionError: 'Unhandled' as const } : {}),
    },
    version: '1.0',
    timestamp: input.now.toISOString(),
  };
}

function batchInfo(input: FailureRecordInput): StreamBatchInfo {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  return {
    shardId: input.shardId,
    startSequenceNumber: first?.sequenceNumber ?? '',
    endSequenceNumber: last?.sequenceNumber ?? '',
    approximateArrivalOfFirstRecord: isoSeconds(first?.createdAtMs ?? input.now.getTime()),
    approximateArrivalOfLastRecord: isoSeconds(last?.createdAtMs ?? input.now.getTime()),
    batchSize: input.records.length,
    streamArn: input.streamArn,
  };
}

/** `2019-11-14T00:13:19Z`: AWS gives record arrival times to the second. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
