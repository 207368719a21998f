// What the S3 service reports after each change to an object, for the S3 notifications event source to turn
// into AWS's event records. The fields are the facts S3 itself puts in a record; the shaping (URL-encoded
// key, eventVersion, configurationId) belongs to the event source.

export type S3EventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete';

export interface S3ObjectEvent {
  eventName: S3EventName;
  /** ISO 8601 with milliseconds: when S3 finished processing the request. */
  eventTime: string;
  bucket: string;
  /** The key as stored (not encoded). */
  key: string;
  /** Absent for removals, as in AWS's records. */
  size?: number;
  /** Hex MD5 without quotes; absent for removals. */
  eTag?: string;
  /** Hex, increasing for successive events on one key (and across keys of this service). */
  sequencer: string;
  /** The bucket owner's id as records show it (`A3NL1KOZZKEXAMPLE`). */
  bucketOwnerPrincipalId: string;
  /** `AWS:<access key id>`: who made the request. */
  principalId: string;
  sourceIPAddress: string;
  /** The request's x-amz-request-id and x-amz-id-2. */
  requestId: string;
  hostId: string;
}

/** Sequencers as S3 writes them: upper-case hex, later events compare greater (same length, so as strings too). */
export function createSequencer(now: () => number = Date.now): () => string {
  let lastMs = 0;
  let counter = 0;
  return () => {
    const ms = Math.max(now(), lastMs);
    counter = ms === lastMs ? counter + 1 : 0;
    lastMs = ms;
    return `${ms.toString(16).padStart(12, '0')}${counter.toString(16).padStart(6, '0')}`.toUpperCase();
  };
}
