// The record S3 sends for an object change, field for field as AWS documents it (event message structure,
// version 2.1): the key URL-encoded with spaces as `+`, the ETag without quotes, size and ETag absent from
// removals.
import { formEncodeKey } from '../../services/s3/key-encoding';
import type { S3ObjectEvent } from '../../services/s3/object-event';

export interface S3EventRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; sequencer: string };
  };
}

export interface RecordContext {
  region: string;
  configurationId: string;
}

export function s3EventRecord(event: S3ObjectEvent, context: RecordContext): S3EventRecord {
  const object = {
    key: formEncodeKey(event.key),
    ...(event.size === undefined ? {} : { size: event.size }),
    ...(event.eTag === undefined ? {} : { eTag: event.eTag }),
    sequencer: event.sequencer,
  };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: context.region,
    eventTime: event.eventTime,
    eventName: event.eventName,
    userIdentity: { principalId: event.principalId },
    requestParameters: { sourceIPAddress: event.sourceIPAddress },
    responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': event.hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: context.configurationId,
      bucket: {
        name: event.bucket,
        ownerIdentity: { principalId: event.bucketOwnerPrincipalId },
        arn: `arn:aws:s3:::${event.bucket}`,
      },
      object,
    },
  };
}
