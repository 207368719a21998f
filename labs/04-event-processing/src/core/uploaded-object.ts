// The S3 event inside an SNS message. S3 publishes the same JSON it would send to a function, as a string in
// Sns.Message; when a notification is first configured it also publishes one `s3:TestEvent`, which has no
// Records and must be ignored, not treated as an error.
import type { S3Event, SNSEvent } from 'aws-lambda';
import { parseUploadKey } from './image';

export interface UploadedObject {
  bucket: string;
  /** Decoded: S3 sends keys URL-encoded with spaces as `+`. */
  key: string;
  size: number;
  eTag: string;
  groupId: string;
  imageId: string;
  eventTime: string;
}

export function uploadsFromSnsEvent(event: SNSEvent): UploadedObject[] {
  return event.Records.flatMap((record) => {
    const message = JSON.parse(record.Sns.Message) as Partial<S3Event> & { Event?: string };
    return (message.Records ?? []).flatMap((s3Record) => {
      if (!s3Record.eventName.startsWith('ObjectCreated:')) return [];
      const key = decodeS3Key(s3Record.s3.object.key);
      const ids = parseUploadKey(key);
      if (!ids) return [];
      return [
        {
          bucket: s3Record.s3.bucket.name,
          key,
          size: s3Record.s3.object.size,
          eTag: s3Record.s3.object.eTag,
          eventTime: s3Record.eventTime,
          ...ids,
        },
      ];
    });
  });
}

/** `+` first: a real plus arrives as %2B and must survive as `+`. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replaceAll('+', ' '));
}
