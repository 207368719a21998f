// What an S3 operation gets: the parsed request and the service around it, and how it answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { CorsRule } from './cors';
import { noSuchBucket } from './errors';
import type { S3ObjectEvent } from './object-event';
import type { ObjectStore } from './object-store';
import type { RequestTarget } from './request-target';
import { xmlDocument, type XmlNode } from './xml';
import type { StagedBody } from './staged-body';

export interface S3Request {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  target: RequestTarget;
  /** Single-valued, lower-case names; trailers of an aws-chunked body merged in. */
  headers: Record<string, string | undefined>;
  /** The decoded body (aws-chunked framing removed); empty when the body was staged to disk instead. */
  body: Buffer;
  /** A PutObject body streamed to a file (a service with a data folder), with its digests. */
  staged?: StagedBody;
  requestId: string;
  hostId: string;
  /** `AWS:<access key id>` of the signer. */
  principalId: string;
  sourceIp: string;
}

export interface S3Backend {
  store: ObjectStore;
  region: string;
  /** Canonical user id of the bucket owner (64 hex digits), as ListBuckets and ListObjects show it. */
  ownerId: string;
  ownerDisplayName: string;
  /** Bucket owner id as event records show it. */
  ownerPrincipalId: string;
  maxObjectBytes: number;
  now(): Date;
  /** Reports an object change to the notifications event source; resolves once it is recorded (await it before answering). */
  emit(
    event: Omit<
      S3ObjectEvent,
      'sequencer' | 'principalId' | 'sourceIPAddress' | 'requestId' | 'hostId' | 'bucketOwnerPrincipalId'
    >,
    request: S3Request,
  ): Promise<void>;
  /** The bucket's CORS rules (empty without a configuration); undefined when the bucket does not exist. */
  corsRules(bucket: string): CorsRule[] | undefined;
  setCorsRules(bucket: string, rules: CorsRule[]): Promise<void>;
}

export function sendXml(request: S3Request, status: number, root: string, children: XmlNode): void {
  const body = Buffer.from(xmlDocument(root, children));
  request.res
    .writeHead(status, { 'content-type': 'application/xml', 'content-length': body.length })
    .end(body);
}

export function sendEmpty(
  request: S3Request,
  status: number,
  headers: Record<string, string | number> = {},
): void {
  request.res.writeHead(status, { ...headers, 'content-length': 0 }).end();
}

export function sendStream(
  request: S3Request,
  status: number,
  headers: Record<string, string | number>,
  stream: Readable,
): void {
  request.res.writeHead(status, headers);
  stream.on('error', () => request.res.destroy());
  stream.pipe(request.res);
}

export function requireBucket(backend: S3Backend, bucket: string | undefined): string {
  if (!bucket || !backend.store.getBucket(bucket)) throw noSuchBucket(bucket ?? '');
  return bucket;
}

/** S3's timestamps in XML: ISO 8601 with milliseconds. */
export function isoTime(date: Date): string {
  return date.toISOString();
}
