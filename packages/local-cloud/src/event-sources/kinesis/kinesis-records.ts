// Kinesis records as Lambda hands them to a function (Lambda developer guide, "Using Lambda with Kinesis Data
// Streams", example event): the record with its data base64-encoded, its arrival time in epoch seconds, the
// event id `<shard id>:<sequence number>`, and the function's execution role as `invokeIdentityArn` (the role
// the framework creates, `<service>-<stage>-<region>-lambdaRole`).
import type { StoredRecord } from '../../services/kinesis/kinesis-streams';
import type { DeliveredRecord } from '../dynamodb-streams/batch-delivery';

export interface LambdaKinesisRecord {
  kinesis: {
    kinesisSchemaVersion: '1.0';
    partitionKey: string;
    sequenceNumber: string;
    data: string;
    approximateArrivalTimestamp: number;
  };
  eventSource: 'aws:kinesis';
  eventVersion: '1.0';
  eventID: string;
  eventName: 'aws:kinesis:record';
  invokeIdentityArn: string;
  awsRegion: string;
  eventSourceARN: string;
}

export interface KinesisDelivered extends DeliveredRecord {
  record: LambdaKinesisRecord;
  partitionKey: string;
}

export interface RecordContext {
  shardId: string;
  region: string;
  streamArn: string;
  roleArn: string;
}

export function toLambdaRecord(stored: StoredRecord, context: RecordContext): KinesisDelivered {
  const record: LambdaKinesisRecord = {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: stored.partitionKey,
      sequenceNumber: stored.sequenceNumber,
      data: stored.data,
      approximateArrivalTimestamp: stored.arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${context.shardId}:${stored.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: context.roleArn,
    awsRegion: context.region,
    eventSourceARN: context.streamArn,
  };
  return {
    record,
    partitionKey: stored.partitionKey,
    sequenceNumber: stored.sequenceNumber,
    createdAtMs: stored.arrivalMs,
    sizeBytes: Buffer.byteLength(JSON.stringify(record)),
  };
}

/** The framework's execution role of a service's functions. */
export function executionRoleArn(accountId: string, service: string, stage: string, region: string): string {
  return `arn:aws:iam::${accountId}:role/${service}-${stage}-${region}-lambdaRole`;
}
