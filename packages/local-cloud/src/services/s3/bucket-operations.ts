// Service- and bucket-level operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation, ListObjectsV2, ListObjects, DeleteObjects, Get/Put/DeleteBucketCors.
import { isValidBucketName } from './bucket-definitions';
import { CORS_METHODS, type CorsRule } from './cors';
import {
  S3Error,
  bucketAlreadyOwnedByYou,
  bucketNotEmpty,
  invalidArgument,
  invalidBucketName,
  malformedXml,
} from './errors';
import { formEncodeKey } from './key-encoding';
import type { ObjectMetadata } from './object-store';
import { isoTime, requireBucket, sendEmpty, sendXml, type S3Backend, type S3Request } from './s3-context';
import { escapeXml } from '../../protocol/xml';
import { S3_NAMESPACE, parseXml, type XmlNode } from './xml';

export function listBuckets(backend: S3Backend, request: S3Request): void {
  sendXml(request, 200, 'ListAllMyBucketsResult', {
    Owner: { ID: backend.ownerId, DisplayName: backend.ownerDisplayName },
    Buckets: {
      Bucket: backend.store.listBuckets().map((bucket) => ({
        Name: bucket.name,
        CreationDate: bucket.creationDate,
        BucketRegion: backend.region,
      })),
    },
  });
}

export async function createBucket(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = request.target.bucket ?? '';
  if (!isValidBucketName(bucket)) throw invalidBucketName(bucket);
  const constraint = locationConstraint(request.body);
  const expected = backend.region === 'us-east-1' ? undefined : backend.region;
  if (constraint !== expected) {
    throw constraint === undefined
      ? new S3Error(
          'IllegalLocationConstraintException',
          400,
          'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
        )
      : constraint === 'us-east-1'
        ? new S3Error('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', {
            LocationConstraint: constraint,
          })
        : new S3Error(
            'IllegalLocationConstraintException',
            400,
            `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
          );
  }
  if (backend.store.getBucket(bucket)) {
    // For legacy compatibility S3 answers 200 in us-east-1 and BucketAlreadyOwnedByYou everywhere else.
    if (backend.region !== 'us-east-1') throw bucketAlreadyOwnedByYou(bucket);
  } else {
    await backend.store.createBucket({ name: bucket, creationDate: isoTime(backend.now()) });
  }
  sendEmpty(request, 200, { location: `/${bucket}` });
}

function locationConstraint(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  const document = parseXml(body);
  const configuration = document.CreateBucketConfiguration;
  if (configuration === undefined) throw malformedXml();
  const constraint =
    typeof configuration === 'object' && configuration !== null
      ? (configuration as Record<string, unknown>).LocationConstraint
      : undefined;
  return typeof constraint === 'string' && constraint !== '' ? constraint : undefined;
}

export function headBucket(backend: S3Backend, request: S3Request): void {
  requireBucket(backend, request.target.bucket);
  sendEmpty(request, 200, { 'x-amz-bucket-region': backend.region, 'x-amz-access-point-alias': 'false' });
}

export async function deleteBucket(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  if (backend.store.objectCount(bucket) > 0) throw bucketNotEmpty(bucket);
  await backend.store.deleteBucket(bucket);
  sendEmpty(request, 204);
}

export function getBucketLocation(backend: S3Backend, request: S3Request): void {
  requireBucket(backend, request.target.bucket);
  // us-east-1 is the empty constraint, as S3 answers it.
  const region = backend.region === 'us-east-1' ? '' : escapeXml(backend.region);
  const body = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NAMESPACE}">${region}</LocationConstraint>`,
  );
  request.res.writeHead(200, { 'content-type': 'application/xml', 'content-length': body.length }).end(body);
}

interface ListingEntry {
  object?: ObjectMetadata;
  commonPrefix?: string;
}

interface Listing {
  entries: ListingEntry[];
  isTruncated: boolean;
  /** The last key or common prefix returned, to resume after. */
  last?: ListingEntry;
}

/**
 * Keys after `after` (skipping everything under it when it was a common prefix), grouped by `delimiter`,
 * at most `maxKeys` entries (keys and common prefixes together).
 */
function list(
  objects: ObjectMetadata[],
  options: { prefix: string; delimiter: string; maxKeys: number; after?: string; afterPrefix?: boolean },
): Listing {
  const entries: ListingEntry[] = [];
  let isTruncated = false;
  for (const object of objects) {
    const { key } = object;
    if (!key.startsWith(options.prefix)) continue;
    if (options.after !== undefined) {
      if (Buffer.compare(Buffer.from(key), Buffer.from(options.after)) <= 0) continue;
      if (options.afterPrefix && key.startsWith(options.after)) continue;
    }
    let entry: ListingEntry = { object };
    if (options.delimiter) {
      const at = key.indexOf(options.delimiter, options.prefix.length);
      if (at !== -1) {
        const commonPrefix = key.slice(0, at + options.delimiter.length);
        if (entries.at(-1)?.commonPrefix === commonPrefix) continue;
        entry = { commonPrefix };
      }
    }
    if (entries.length >= options.maxKeys) {
      isTruncated = true;
      break;
    }
    entries.push(entry);
  }
  return { entries, isTruncated, last: entries.at(-1) };
}

function maxKeysOf(request: S3Request): number {
  const text = request.target.query.get('max-keys');
  if (text === null) return 1000;
  if (!/^\d+$/.test(text))
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text);
  return Math.min(Number(text), 1000);
}

function encoder(request: S3Request): (text: string) => string {
  const encoding = request.target.query.get('encoding-type');
  if (encoding === null) return (text) => text;
  if (encoding !== 'url')
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  return formEncodeKey;
}

function contents(objects: ObjectMetadata[], encode: (text: string) => string, owner?: XmlNode): XmlNode[] {
  return objects.map((object) => ({
    Key: encode(object.key),
    LastModified: object.lastModified,
    ETag: `"${object.etag}"`,
    ChecksumAlgorithm: object.checksum?.algorithm,
    ChecksumType: object.checksum ? 'FULL_OBJECT' : undefined,
    Size: object.size,
    Owner: owner,
    StorageClass: 'STANDARD',
  }));
}

export function listObjectsV2(backend: S3Backend, request: S3Request): void {
  const bucket = requireBucket(backend, request.target.bucket);
  const query = request.target.query;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = maxKeysOf(request);
  const encode = encoder(request);
  const startAfter = query.get('start-after') ?? undefined;
  const continuationToken = query.get('continuation-token') ?? undefined;
  let after = startAfter;
  let afterPrefix = false;
  if (continuationToken !== undefined) {
    const resumed = decodeToken(continuationToken);
    after = resumed.after;
    afterPrefix = resumed.afterPrefix;
  }
  const listing = list(backend.store.listObjects(bucket), { prefix, delimiter, maxKeys, after, afterPrefix });
  const owner =
    query.get('fetch-owner') === 'true'
      ? { ID: backend.ownerId, DisplayName: backend.ownerDisplayName }
      : undefined;
  sendXml(request, 200, 'ListBucketResult', {
    Name: bucket,
    Prefix: encode(prefix),
    Delimiter: delimiter ? encode(delimiter) : undefined,
    MaxKeys: maxKeys,
    EncodingType: query.get('encoding-type') ?? undefined,
    KeyCount: listing.entries.length,
    IsTruncated: listing.isTruncated,
    ContinuationToken: continuationToken,
    NextContinuationToken: listing.isTruncated && listing.last ? encodeToken(listing.last) : undefined,
    StartAfter: startAfter === undefined ? undefined : encode(startAfter),
    Contents: contents(
      listing.entries.flatMap((entry) => (entry.object ? [entry.object] : [])),
      encode,
      owner,
    ),
    CommonPrefixes: listing.entries.flatMap((entry) =>
      entry.commonPrefix === undefined ? [] : [{ Prefix: encode(entry.commonPrefix) }],
    ),
  });
}

export function listObjects(backend: S3Backend, request: S3Request): void {
  const bucket = requireBucket(backend, request.target.bucket);
  const query = request.target.query;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const marker = query.get('marker') ?? '';
  const maxKeys = maxKeysOf(request);
  const encode = encoder(request);
  const listing = list(backend.store.listObjects(bucket), {
    prefix,
    delimiter,
    maxKeys,
    after: marker || undefined,
    afterPrefix: marker !== '' && marker.endsWith(delimiter) && delimiter !== '',
  });
  const last = listing.last;
  sendXml(request, 200, 'ListBucketResult', {
    Name: bucket,
    Prefix: encode(prefix),
    Marker: encode(marker),
    NextMarker:
      listing.isTruncated && delimiter && last
        ? encode(last.commonPrefix ?? last.object?.key ?? '')
        : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter ? encode(delimiter) : undefined,
    EncodingType: query.get('encoding-type') ?? undefined,
    IsTruncated: listing.isTruncated,
    Contents: contents(
      listing.entries.flatMap((entry) => (entry.object ? [entry.object] : [])),
      encode,
      { ID: backend.ownerId, DisplayName: backend.ownerDisplayName },
    ),
    CommonPrefixes: listing.entries.flatMap((entry) =>
      entry.commonPrefix === undefined ? [] : [{ Prefix: encode(entry.commonPrefix) }],
    ),
  });
}

/** Opaque to clients, as S3's are: where to resume. */
function encodeToken(entry: ListingEntry): string {
  const after = entry.commonPrefix ?? entry.object?.key ?? '';
  return Buffer.from(JSON.stringify({ a: after, p: entry.commonPrefix !== undefined })).toString('base64');
}

function decodeToken(token: string): { after: string; afterPrefix: boolean } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { a?: unknown; p?: unknown };
    if (typeof parsed.a === 'string') return { after: parsed.a, afterPrefix: parsed.p === true };
  } catch {
    // Falls through to the error S3 gives for a token it did not issue.
  }
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

export async function deleteObjects(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  const document = parseXml(request.body).Delete as Record<string, unknown> | undefined;
  const objects = document?.Object;
  if (!Array.isArray(objects) || objects.length === 0 || objects.length > 1000) throw malformedXml();
  const quiet = String(document?.Quiet) === 'true';
  const deleted: XmlNode[] = [];
  for (const item of objects as Record<string, unknown>[]) {
    const key =
      typeof item.Key === 'string' ? item.Key : typeof item.Key === 'number' ? String(item.Key) : '';
    const removed = await backend.store.deleteObject(bucket, key);
    if (removed) {
      await backend.emit(
        { eventName: 'ObjectRemoved:Delete', eventTime: isoTime(backend.now()), bucket, key },
        request,
      );
    }
    if (!quiet) deleted.push({ Key: key });
  }
  sendXml(request, 200, 'DeleteResult', { Deleted: deleted });
}

export function getBucketCors(backend: S3Backend, request: S3Request): void {
  const bucket = requireBucket(backend, request.target.bucket);
  const rules = backend.corsRules(bucket) ?? [];
  if (rules.length === 0) {
    throw new S3Error('NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist', {
      BucketName: bucket,
    });
  }
  sendXml(request, 200, 'CORSConfiguration', {
    CORSRule: rules.map((rule) => ({
      ID: rule.id,
      AllowedHeader: rule.allowedHeaders,
      AllowedMethod: rule.allowedMethods,
      AllowedOrigin: rule.allowedOrigins,
      ExposeHeader: rule.exposedHeaders,
      MaxAgeSeconds: rule.maxAgeSeconds,
    })),
  });
}

export async function putBucketCors(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  const configuration = parseXml(request.body).CORSConfiguration as Record<string, unknown> | undefined;
  const rules = configuration?.CORSRule;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 100) throw malformedXml();
  const parsed: CorsRule[] = (rules as Record<string, unknown>[]).map((rule) => {
    const strings = (name: string) =>
      Array.isArray(rule[name]) ? (rule[name] as unknown[]).map(String) : [];
    const allowedMethods = strings('AllowedMethod');
    const allowedOrigins = strings('AllowedOrigin');
    if (allowedMethods.length === 0 || allowedOrigins.length === 0) throw malformedXml();
    const unsupported = allowedMethods.find((method) => !CORS_METHODS.includes(method));
    if (unsupported) {
      throw new S3Error(
        'InvalidRequest',
        400,
        `Found unsupported HTTP method in CORS config. Unsupported method is ${unsupported}`,
      );
    }
    return {
      id: typeof rule.ID === 'string' ? rule.ID : undefined,
      allowedOrigins,
      allowedMethods,
      allowedHeaders: strings('AllowedHeader'),
      exposedHeaders: strings('ExposeHeader'),
      maxAgeSeconds: rule.MaxAgeSeconds === undefined ? undefined : Number(rule.MaxAgeSeconds),
    };
  });
  await backend.setCorsRules(bucket, parsed);
  sendEmpty(request, 200);
}

export async function deleteBucketCors(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  await backend.setCorsRules(bucket, []);
  sendEmpty(request, 204);
}
