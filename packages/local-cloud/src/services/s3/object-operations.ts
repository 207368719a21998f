// Object-level operations: PutObject, GetObject (ranges, conditions, response-* overrides), HeadObject,
// DeleteObject, CopyObject. Each change that S3 would notify about is reported through backend.emit once it
// is durable.
import { bufferDigests, checksumHeaderName, verifyIntegrity } from './checksums';
import { S3Error, invalidArgument, invalidRequest, noSuchKey } from './errors';
import type { ByteRange, ObjectMetadata, OpenObject } from './object-store';
import {
  isoTime,
  requireBucket,
  sendEmpty,
  sendStream,
  sendXml,
  type S3Backend,
  type S3Request,
} from './s3-context';

/** Headers stored with an object and returned as they were sent. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-content-type': 'content-type',
  'response-expires': 'expires',
};
/** S3 limits user-defined metadata to 2 KB (names and values, UTF-8). */
const MAX_USER_METADATA_BYTES = 2048;
const MAX_KEY_BYTES = 1024;

export async function putObject(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  if (request.headers['if-none-match'] === '*' && backend.store.getObject(bucket, request.target.key)) {
    throw new S3Error(
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'If-None-Match',
      },
    );
  }
  const { meta } = await storeObject(backend, request, 'ObjectCreated:Put');
  sendEmpty(request, 200, {
    etag: `"${meta.etag}"`,
    'x-amz-server-side-encryption': 'AES256',
    ...(meta.checksum
      ? {
          [checksumHeaderName(meta.checksum.algorithm)]: meta.checksum.value,
          'x-amz-checksum-type': 'FULL_OBJECT',
        }
      : {}),
  });
}

/**
 * Stores an upload's body (staged on disk, or in memory) under request.target's key with the content type,
 * headers and metadata its headers give, once its digests hold (Content-MD5, x-amz-checksum-*), and reports
 * the change. PutObject's and a browser form's (POST Object) uploads both end here.
 */
export async function storeObject(
  backend: S3Backend,
  request: S3Request,
  eventName: 'ObjectCreated:Put' | 'ObjectCreated:Post',
): Promise<{ meta: ObjectMetadata }> {
  const bucket = requireBucket(backend, request.target.bucket);
  const { key } = request.target;
  checkKey(key);
  const { staged } = request;
  const digests = staged ?? bufferDigests(request.body);
  const checksum = verifyIntegrity(digests, request.headers);
  const meta: ObjectMetadata = {
    key,
    size: staged?.size ?? request.body.length,
    etag: digests.md5().toString('hex'),
    lastModified: isoTime(backend.now()),
    // S3's default when the uploader names no type.
    contentType: request.headers['content-type'] ?? 'binary/octet-stream',
    headers: storedHeaders(request.headers),
    userMetadata: userMetadata(request.headers),
    checksum,
  };
  if (staged) await backend.store.putObjectFromParts(bucket, meta, [staged.file]);
  else await backend.store.putObject(bucket, meta, request.body);
  await backend.emit(
    { eventName, eventTime: meta.lastModified, bucket, key, size: meta.size, eTag: meta.etag },
    request,
  );
  return { meta };
}

export async function getObject(backend: S3Backend, request: S3Request, head: boolean): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  const { key } = request.target;
  const opened = await backend.store.openObject(bucket, key);
  if (!opened) throw noSuchKey(key);
  let streaming = false;
  try {
    const { meta } = opened;
    const notModified = checkConditions(meta, request.headers);
    const headers = objectHeaders(meta, request);
    if (notModified) {
      sendEmpty(request, 304, { etag: headers.etag ?? '', 'last-modified': headers['last-modified'] ?? '' });
      return;
    }
    const range = head ? undefined : parseRange(request.headers.range, meta.size);
    if (range === 'unsatisfiable') {
      throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
        RangeRequested: request.headers.range ?? '',
        ActualObjectSize: String(meta.size),
      });
    }
    const checksumMode =
      request.headers['x-amz-checksum-mode'] === 'ENABLED' ||
      request.target.query.get('x-amz-checksum-mode') === 'ENABLED';
    if (checksumMode && meta.checksum && !range) {
      headers[checksumHeaderName(meta.checksum.algorithm)] = meta.checksum.value;
      headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    if (head) {
      request.res.writeHead(200, { ...headers, 'content-length': meta.size }).end();
      return;
    }
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
      sendStream(
        request,
        206,
        { ...headers, 'content-length': range.end - range.start + 1 },
        opened.stream(range),
      );
    } else {
      sendStream(request, 200, { ...headers, 'content-length': meta.size }, opened.stream());
    }
    streaming = true;
  } finally {
    if (!streaming) await opened.close();
  }
}

export async function deleteObject(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  const { key } = request.target;
  const removed = await backend.store.deleteObject(bucket, key);
  if (removed) {
    await backend.emit(
      { eventName: 'ObjectRemoved:Delete', eventTime: isoTime(backend.now()), bucket, key },
      request,
    );
  }
  sendEmpty(request, 204);
}

export async function copyObject(backend: S3Backend, request: S3Request): Promise<void> {
  const bucket = requireBucket(backend, request.target.bucket);
  const { key } = request.target;
  checkKey(key);
  const source = parseCopySource(request.headers['x-amz-copy-source'] ?? '');
  requireBucket(backend, source.bucket);
  const directive = request.headers['x-amz-metadata-directive'] ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const opened = await backend.store.openObject(source.bucket, source.key);
  if (!opened) throw noSuchKey(source.key);
  const body = await readAll(opened);
  const sourceMeta = opened.meta;
  const meta: ObjectMetadata =
    directive === 'REPLACE'
      ? {
          ...sourceMeta,
          key,
          lastModified: isoTime(backend.now()),
          contentType: request.headers['content-type'] ?? 'binary/octet-stream',
          headers: storedHeaders(request.headers),
          userMetadata: userMetadata(request.headers),
        }
      : { ...sourceMeta, key, lastModified: isoTime(backend.now()) };
  await backend.store.putObject(bucket, meta, body);
  await backend.emit(
    {
      eventName: 'ObjectCreated:Copy',
      eventTime: meta.lastModified,
      bucket,
      key,
      size: meta.size,
      eTag: meta.etag,
    },
    request,
  );
  sendXml(request, 200, 'CopyObjectResult', { ETag: `"${meta.etag}"`, LastModified: meta.lastModified });
}

async function readAll(opened: OpenObject): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `bucket/key`, `/bucket/key`, URL-encoded, optionally `?versionId=...`. */
function parseCopySource(header: string): { bucket: string; key: string } {
  const withoutVersion = header.replace(/\?versionId=[^&]*$/, '');
  let decoded = withoutVersion;
  try {
    decoded = decodeURIComponent(withoutVersion);
  } catch {
    // Not percent-encoded: taken as written.
  }
  const path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', header);
  }
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 400, 'Your key is too long', {
      MaxSizeAllowed: String(MAX_KEY_BYTES),
      Size: String(Buffer.byteLength(key)),
    });
  }
}

export function storedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) stored[name] = value;
  }
  return stored;
}

export function userMetadata(headers: Record<string, string | undefined>): Record<string, string> {
  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const short = name.slice('x-amz-meta-'.length);
    metadata[short] = value;
    bytes += Buffer.byteLength(short) + Buffer.byteLength(value);
  }
  if (bytes > MAX_USER_METADATA_BYTES) {
    throw new S3Error(
      'MetadataTooLarge',
      400,
      'Your metadata headers exceed the maximum allowed metadata size.',
      {
        Size: String(bytes),
        MaxSizeAllowed: String(MAX_USER_METADATA_BYTES),
      },
    );
  }
  return metadata;
}

function objectHeaders(meta: ObjectMetadata, request: S3Request): Record<string, string> {
  const headers: Record<string, string> = {
    'last-modified': new Date(meta.lastModified).toUTCString(),
    etag: `"${meta.etag}"`,
    'content-type': meta.contentType,
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...meta.headers,
  };
  for (const [name, value] of Object.entries(meta.userMetadata)) headers[`x-amz-meta-${name}`] = value;
  for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = request.target.query.get(parameter);
    if (value !== null) headers[header] = value;
  }
  return headers;
}

/** True when the answer is 304 Not Modified; throws 412 when a precondition fails. */
function checkConditions(meta: ObjectMetadata, headers: Record<string, string | undefined>): boolean {
  const etagMatches = (list: string) =>
    list.split(',').some((tag) => {
      const value = tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
      return value === '*' || value === meta.etag;
    });
  const modified = Math.floor(new Date(meta.lastModified).getTime() / 1000);
  const since = (value: string) => Math.floor(Date.parse(value) / 1000);
  const failed = (condition: string) =>
    new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: condition,
    });
  const ifMatch = headers['if-match'];
  const ifUnmodifiedSince = headers['if-unmodified-since'];
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch)) throw failed('If-Match');
  } else if (ifUnmodifiedSince !== undefined && !Number.isNaN(since(ifUnmodifiedSince))) {
    if (modified > since(ifUnmodifiedSince)) throw failed('If-Unmodified-Since');
  }
  const ifNoneMatch = headers['if-none-match'];
  const ifModifiedSince = headers['if-modified-since'];
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch);
  if (ifModifiedSince !== undefined && !Number.isNaN(since(ifModifiedSince))) {
    return modified <= since(ifModifiedSince);
  }
  return false;
}

/**
 * A single `bytes=` range, resolved against the size. Anything S3 does not honour (several ranges, bad
 * syntax) means the whole object, as S3 answers it.
 */
function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}
