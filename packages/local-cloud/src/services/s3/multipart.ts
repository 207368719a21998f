// Multipart uploads, as the AWS CLI (`aws s3 cp` of 8 MB and more), the SDK's Upload and browsers uploading
// large files use them: CreateMultipartUpload, UploadPart (streamed to disk like PutObject), Complete (parts
// joined in the order listed, the ETag S3 gives a multipart object: the MD5 of the parts' MD5s, then -N) and
// Abort. Uploads in progress live as long as local-cloud runs (their parts in the staging folder, which a
// restart clears); S3 keeps them until completed, aborted or expired by a lifecycle rule.
import { createHash, randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { S3Error } from './errors';
import { checkKey, storedHeaders, userMetadata } from './object-operations';
import type { ObjectMetadata } from './object-store';
import { isoTime, requireBucket, sendEmpty, sendXml, type S3Backend, type S3Request } from './s3-context';
import { bufferDigests } from './checksums';
import { parseXml } from './xml';

/** S3's limits: parts numbered 1 to 10,000, each but the last at least 5 MiB. */
const MAX_PART_NUMBER = 10_000;
const MIN_PART_BYTES = 5 * 1024 * 1024;

interface Part {
  etag: string;
  size: number;
  lastModified: string;
  /** On disk (a persisted service), or in memory. */
  file?: string;
  body?: Buffer;
}

interface Upload {
  bucket: string;
  key: string;
  contentType: string;
  headers: Record<string, string>;
  userMetadata: Record<string, string>;
  initiated: string;
  parts: Map<number, Part>;
}

const uploads = new WeakMap<S3Backend, Map<string, Upload>>();

function uploadsOf(backend: S3Backend): Map<string, Upload> {
  let map = uploads.get(backend);
  if (!map) uploads.set(backend, (map = new Map<string, Upload>()));
  return map;
}

const noSuchUpload = () =>
  new S3Error(
    'NoSuchUpload',
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  );

function uploadOf(backend: S3Backend, request: S3Request): { id: string; upload: Upload } {
  const id = request.target.query.get('uploadId') ?? '';
  const upload = uploadsOf(backend).get(id);
  if (!upload || upload.bucket !== request.target.bucket || upload.key !== request.target.key)
    throw noSuchUpload();
  return { id, upload };
}

export function createMultipartUpload(backend: S3Backend, request: S3Request): void {
  const bucket = requireBucket(backend, request.target.bucket);
  const { key } = request.target;
  checkKey(key);
  const id = randomBytes(24).toString('base64url');
  uploadsOf(backend).set(id, {
    bucket,
    key,
    contentType: request.headers['content-type'] ?? 'binary/octet-stream',
    headers: storedHeaders(request.headers),
    userMetadata: userMetadata(request.headers),
    initiated: isoTime(backend.now()),
    parts: new Map(),
  });
  sendXml(request, 200, 'InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: id });
}

export async function uploadPart(backend: S3Backend, request: S3Request): Promise<void> {
  const { upload } = uploadOf(backend, request);
  const partNumber = Number(request.target.query.get('partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new S3Error(
      'InvalidArgument',
      400,
      'Part number must be an integer between 1 and 10000, inclusive',
      {
        ArgumentName: 'partNumber',
        ArgumentValue: request.target.query.get('partNumber') ?? '',
      },
    );
  }
  const { staged } = request;
  const digests = staged ?? bufferDigests(request.body);
  const etag = digests.md5().toString('hex');
  const previous = upload.parts.get(partNumber);
  let part: Part;
  if (staged) {
    // The staged file becomes the part: moved, so the request's clean-up finds nothing to remove.
    const file = `${staged.file}.part`;
    await rename(staged.file, file);
    part = { etag, size: staged.size, file, lastModified: isoTime(backend.now()) };
  } else {
    part = { etag, size: request.body.length, body: request.body, lastModified: isoTime(backend.now()) };
  }
  upload.parts.set(partNumber, part);
  if (previous?.file) await rm(previous.file, { force: true });
  sendEmpty(request, 200, { etag: `"${etag}"` });
}

export async function completeMultipartUpload(backend: S3Backend, request: S3Request): Promise<void> {
  const { id, upload } = uploadOf(backend, request);
  const listed = listedParts(request.body);
  const parts: Part[] = [];
  let previousNumber = 0;
  for (const [index, { number, etag }] of listed.entries()) {
    if (number <= previousNumber) {
      throw new S3Error(
        'InvalidPartOrder',
        400,
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
      );
    }
    previousNumber = number;
    const part = upload.parts.get(number);
    if (!part || part.etag !== etag.replace(/"/g, '')) {
      throw new S3Error(
        'InvalidPart',
        400,
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { UploadId: id, PartNumber: String(number), ETag: etag },
      );
    }
    if (index < listed.length - 1 && part.size < MIN_PART_BYTES) {
      throw new S3Error(
        'EntityTooSmall',
        400,
        'Your proposed upload is smaller than the minimum allowed size',
        {
          ProposedSize: String(part.size),
          MinSizeAllowed: String(MIN_PART_BYTES),
          PartNumber: String(number),
          ETag: etag,
        },
      );
    }
    parts.push(part);
  }
  const etag = `${createHash('md5')
    .update(Buffer.concat(parts.map((part) => Buffer.from(part.etag, 'hex'))))
    .digest('hex')}-${parts.length}`;
  const meta: ObjectMetadata = {
    key: upload.key,
    size: parts.reduce((total, part) => total + part.size, 0),
    etag,
    lastModified: isoTime(backend.now()),
    contentType: upload.contentType,
    headers: upload.headers,
    userMetadata: upload.userMetadata,
  };
  // Straight from the parts into the object's file (the store removes the part files it copied).
  const sources = parts.map((part) => part.file ?? part.body ?? Buffer.alloc(0));
  if (backend.store.stagingFile()) await backend.store.putObjectFromParts(upload.bucket, meta, sources);
  else await backend.store.putObject(upload.bucket, meta, Buffer.concat(sources as Buffer[]));
  uploadsOf(backend).delete(id);
  // Parts uploaded but not listed are not part of the object: they go too.
  await discardParts(upload);
  await backend.emit(
    {
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      eventTime: meta.lastModified,
      bucket: upload.bucket,
      key: upload.key,
      size: meta.size,
      eTag: etag,
    },
    request,
  );
  sendXml(request, 200, 'CompleteMultipartUploadResult', {
    Location: `/${upload.bucket}/${encodeURIComponent(upload.key)}`,
    Bucket: upload.bucket,
    Key: upload.key,
    ETag: `"${etag}"`,
  });
}

/** The parts uploaded so far, in part-number order (all of them: local uploads stay under 1,000 parts). */
export function listParts(backend: S3Backend, request: S3Request): void {
  const { id, upload } = uploadOf(backend, request);
  const parts = [...upload.parts.entries()].sort(([a], [b]) => a - b);
  sendXml(request, 200, 'ListPartsResult', {
    Bucket: upload.bucket,
    Key: upload.key,
    UploadId: id,
    StorageClass: 'STANDARD',
    PartNumberMarker: 0,
    NextPartNumberMarker: parts.at(-1)?.[0] ?? 0,
    MaxParts: 1000,
    IsTruncated: false,
    Part: parts.map(([number, part]) => ({
      PartNumber: number,
      LastModified: part.lastModified,
      ETag: `"${part.etag}"`,
      Size: part.size,
    })),
  });
}

/** The bucket's uploads in progress, by key then initiation. */
export function listMultipartUploads(backend: S3Backend, request: S3Request): void {
  const bucket = requireBucket(backend, request.target.bucket);
  const uploads = [...uploadsOf(backend).entries()]
    .filter(([, upload]) => upload.bucket === bucket)
    .sort(([, a], [, b]) =>
      a.key === b.key ? a.initiated.localeCompare(b.initiated) : a.key < b.key ? -1 : 1,
    );
  sendXml(request, 200, 'ListMultipartUploadsResult', {
    Bucket: bucket,
    KeyMarker: '',
    UploadIdMarker: '',
    MaxUploads: 1000,
    IsTruncated: false,
    Upload: uploads.map(([id, upload]) => ({
      Key: upload.key,
      UploadId: id,
      Initiated: upload.initiated,
      StorageClass: 'STANDARD',
    })),
  });
}

export async function abortMultipartUpload(backend: S3Backend, request: S3Request): Promise<void> {
  const { id, upload } = uploadOf(backend, request);
  uploadsOf(backend).delete(id);
  await discardParts(upload);
  sendEmpty(request, 204);
}

function listedParts(body: Buffer): { number: number; etag: string }[] {
  const document = parseXml(body).CompleteMultipartUpload as Record<string, unknown> | undefined;
  const raw = document?.Part;
  const parts = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[];
  if (parts.length === 0) {
    throw new S3Error(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  return parts.map((part) => ({
    number: Number(part.PartNumber),
    etag: typeof part.ETag === 'string' ? part.ETag : '',
  }));
}

async function discardParts(upload: Upload): Promise<void> {
  for (const part of upload.parts.values()) if (part.file) await rm(part.file, { force: true });
}
