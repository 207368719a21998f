// Stream records as Lambda hands them to a function (Lambda developer guide, "Using AWS Lambda with Amazon
// DynamoDB", example event): the record GetRecords returns, with the region and stream ARN AWS would show
// (DynamoDB Local reports region "ddblocal" and account 000000000000), ApproximateCreationDateTime in epoch
// seconds and binary attributes base64-encoded, as in DynamoDB JSON on the wire.
import type { AttributeValue, _Record as SdkStreamRecord } from '@aws-sdk/client-dynamodb-streams';

export type DynamoDbJson = Record<string, unknown>;

export interface LambdaStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, DynamoDbJson>;
    NewImage?: Record<string, DynamoDbJson>;
    OldImage?: Record<string, DynamoDbJson>;
    SequenceNumber: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
  eventSourceARN: string;
  /** Present for items deleted by time to live. */
  userIdentity?: { type: string; principalId: string };
}

/** A record as read from the stream, with what the consumer needs beside it. */
export interface ReadRecord {
  record: LambdaStreamRecord;
  sequenceNumber: string;
  /** When DynamoDB wrote it (ApproximateCreationDateTime), ms since the epoch. */
  createdAtMs: number;
  /** Its size as JSON in the event, to keep a batch under Lambda's 6 MB. */
  sizeBytes: number;
}

/** The stream ARN as AWS formats it: the service's region and account instead of DynamoDB Local's. */
export function awsStreamArn(localArn: string, region: string, accountId: string): string {
  return localArn.replace(/^arn:([^:]+):dynamodb:[^:]*:[^:]*:/, `arn:$1:dynamodb:${region}:${accountId}:`);
}

export function toLambdaRecord(
  record: SdkStreamRecord,
  context: { region: string; streamArn: string },
): ReadRecord {
  const stream = record.dynamodb ?? {};
  const createdAt = stream.ApproximateCreationDateTime;
  // Built member by member in the order AWS's events show them.
  const dynamodb = {} as LambdaStreamRecord['dynamodb'];
  if (createdAt) dynamodb.ApproximateCreationDateTime = createdAt.getTime() / 1000;
  if (stream.Keys) dynamodb.Keys = toJsonItem(stream.Keys);
  if (stream.NewImage) dynamodb.NewImage = toJsonItem(stream.NewImage);
  if (stream.OldImage) dynamodb.OldImage = toJsonItem(stream.OldImage);
  dynamodb.SequenceNumber = stream.SequenceNumber ?? '';
  if (stream.SizeBytes !== undefined) dynamodb.SizeBytes = stream.SizeBytes;
  if (stream.StreamViewType) dynamodb.StreamViewType = stream.StreamViewType;
  const lambdaRecord: LambdaStreamRecord = {
    eventID: record.eventID ?? '',
    eventName: record.eventName as LambdaStreamRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.region,
    dynamodb,
    eventSourceARN: context.streamArn,
  };
  if (record.userIdentity?.Type && record.userIdentity.PrincipalId) {
    lambdaRecord.userIdentity = {
      type: record.userIdentity.Type,
      principalId: record.userIdentity.PrincipalId,
    };
  }
  return {
    record: lambdaRecord,
    sequenceNumber: dynamodb.SequenceNumber,
    createdAtMs: createdAt?.getTime() ?? Date.now(),
    sizeBytes: Buffer.byteLength(JSON.stringify(lambdaRecord)),
  };
}

function toJsonItem(item: Record<string, AttributeValue>): Record<string, DynamoDbJson> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toJsonValue(value)]));
}

/** An SDK AttributeValue back to DynamoDB JSON: binaries as base64, as on the wire and in Lambda events. */
function toJsonValue(value: AttributeValue): DynamoDbJson {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: toJsonItem(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) };
  const known = Object.entries(value).filter(([key, member]) => key !== '$unknown' && member !== undefined);
  return Object.fromEntries(known);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
