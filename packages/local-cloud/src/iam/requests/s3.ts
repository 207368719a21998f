// The IAM authorization requests one S3 call makes, as AWS evaluates them ("Actions, resources, and condition
// keys for Amazon S3", Service Authorization Reference, and each operation's "Permissions" section of the
// Amazon S3 API Reference): buckets are `arn:aws:s3:::<bucket>`, objects `arn:aws:s3:::<bucket>/<key>` (S3's
// ARNs carry no region or account). The input is what local-cloud's S3 has at dispatch: the operation
// (request-target.ts's operationName), the method, the parsed target (bucket, decoded key, query), the
// headers and, for DeleteObjects, the body whose keys are each authorized.
import { parseXml } from '../../services/s3/xml';
import type { AuthorizationRequest } from '../policy-types';

export interface S3RequestInput {
  method: string;
  bucket?: string;
  /** Decoded; empty or absent for bucket-level requests. */
  key?: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** The request body: read for DeleteObjects, whose `<Delete>` document names the keys. */
  body?: Buffer;
}

type Context = AuthorizationRequest['context'];
type Handler = (input: S3RequestInput) => AuthorizationRequest[];

export function s3AuthorizationRequests(
  operation: string,
  input: S3RequestInput,
  _target: { region: string; accountId: string },
): AuthorizationRequest[] {
  const handler = HANDLERS.get(operation);
  return handler ? handler(input) : [{ action: `s3:${operation}`, resource: '*', context: {} }];
}

/** Bucket operations whose IAM action is named differently from the operation, or shared. */
const BUCKET_ACTIONS: Record<string, string> = {
  CreateBucket: 's3:CreateBucket',
  DeleteBucket: 's3:DeleteBucket',
  // HeadBucket: "you must have permissions to perform the s3:ListBucket action".
  HeadBucket: 's3:ListBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  GetBucketCors: 's3:GetBucketCORS',
  PutBucketCors: 's3:PutBucketCORS',
  // DeleteBucketCors: "you must have permission to perform the s3:PutBucketCORS action".
  DeleteBucketCors: 's3:PutBucketCORS',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  // DeletePublicAccessBlock: "you must have the s3:PutBucketPublicAccessBlock permission".
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetBucketVersioning: 's3:GetBucketVersioning',
  PutBucketVersioning: 's3:PutBucketVersioning',
  GetBucketTagging: 's3:GetBucketTagging',
  PutBucketTagging: 's3:PutBucketTagging',
  DeleteBucketTagging: 's3:PutBucketTagging',
  GetBucketAcl: 's3:GetBucketAcl',
  PutBucketAcl: 's3:PutBucketAcl',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
};

/** Object operations and their actions (multipart uploads are s3:PutObject, as in each API's Permissions). */
const OBJECT_ACTIONS: Record<string, string> = {
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
  GetObjectTagging: 's3:GetObjectTagging',
  PutObjectTagging: 's3:PutObjectTagging',
  DeleteObjectTagging: 's3:DeleteObjectTagging',
  GetObjectAcl: 's3:GetObjectAcl',
  PutObjectAcl: 's3:PutObjectAcl',
  GetObjectAttributes: 's3:GetObjectAttributes',
  RestoreObject: 's3:RestoreObject',
};

const HANDLERS = new Map<string, Handler>([
  ...Object.entries(BUCKET_ACTIONS).map(([operation, action]): [string, Handler] => [
    operation,
    (input) => [bucketRequest(action, input, aclContext(input))],
  ]),
  ...Object.entries(OBJECT_ACTIONS).map(([operation, action]): [string, Handler] => [
    operation,
    (input) => objectAction(action, input),
  ]),
  ['ListBuckets', () => [{ action: 's3:ListAllMyBuckets', resource: '*', context: {} }]],
  ['ListObjects', (input) => [bucketRequest('s3:ListBucket', input, listingContext(input.query))]],
  ['ListObjectsV2', (input) => [bucketRequest('s3:ListBucket', input, listingContext(input.query))]],
  // GetObject and HeadObject: s3:GetObject, or s3:GetObjectVersion for a versionId.
  ['GetObject', (input) => [objectRequest(versioned(input, 's3:GetObject', 's3:GetObjectVersion'), input)]],
  ['HeadObject', (input) => [objectRequest(versioned(input, 's3:GetObject', 's3:GetObjectVersion'), input)]],
  [
    'DeleteObject',
    (input) => [objectRequest(versioned(input, 's3:DeleteObject', 's3:DeleteObjectVersion'), input)],
  ],
  ['DeleteObjects', deleteObjects],
  ['CopyObject', copy],
  ['UploadPartCopy', copy],
]);

function bucketArn(bucket: string | undefined): string {
  return bucket ? `arn:aws:s3:::${bucket}` : '*';
}

function objectArn(bucket: string | undefined, key: string | undefined): string {
  return bucket && key ? `arn:aws:s3:::${bucket}/${key}` : '*';
}

function bucketRequest(action: string, input: S3RequestInput, context: Context = {}): AuthorizationRequest {
  return { action, resource: bucketArn(input.bucket), context };
}

function objectRequest(action: string, input: S3RequestInput, context: Context = {}): AuthorizationRequest {
  return { action, resource: objectArn(input.bucket, input.key), context };
}

function versioned(input: S3RequestInput, action: string, versionAction: string): string {
  return input.query.has('versionId') ? versionAction : action;
}

/** An action on an object; tags written with it (x-amz-tagging) also need s3:PutObjectTagging (PutObject). */
function objectAction(action: string, input: S3RequestInput): AuthorizationRequest[] {
  const requests = [objectRequest(action, input, writeContext(input))];
  const tagged = input.headers['x-amz-tagging'] !== undefined;
  if (tagged && action === 's3:PutObject') {
    requests.push(objectRequest('s3:PutObjectTagging', input));
  }
  return requests;
}

/** ListObjects(V2)' condition keys: s3:prefix, s3:delimiter, s3:max-keys, when the request has them. */
function listingContext(query: URLSearchParams): Context {
  const context: Context = {};
  for (const [parameter, key] of [
    ['prefix', 's3:prefix'],
    ['delimiter', 's3:delimiter'],
    ['max-keys', 's3:max-keys'],
  ] as const) {
    const value = query.get(parameter);
    if (value !== null) context[key] = value;
  }
  return context;
}

function aclContext(input: S3RequestInput): Context {
  const acl = input.headers['x-amz-acl'];
  return acl === undefined ? {} : { 's3:x-amz-acl': acl };
}

/** The condition keys of a write: s3:x-amz-acl, s3:x-amz-server-side-encryption, s3:x-amz-storage-class. */
function writeContext(input: S3RequestInput): Context {
  const context: Context = aclContext(input);
  for (const header of ['x-amz-server-side-encryption', 'x-amz-storage-class', 'x-amz-metadata-directive']) {
    const value = input.headers[header];
    if (value !== undefined) context[`s3:${header}`] = value;
  }
  return context;
}

/**
 * CopyObject and UploadPartCopy read the source (s3:GetObject, or s3:GetObjectVersion for a source versionId)
 * and write the target (s3:PutObject, with s3:x-amz-copy-source).
 */
function copy(input: S3RequestInput): AuthorizationRequest[] {
  const header = input.headers['x-amz-copy-source'] ?? '';
  const source = copySource(header);
  const read: AuthorizationRequest = {
    action: source?.versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion',
    resource: source ? objectArn(source.bucket, source.key) : '*',
    context: {},
  };
  const [write, ...rest] = objectAction('s3:PutObject', input);
  return [read, { ...write!, context: { ...write!.context, 's3:x-amz-copy-source': header } }, ...rest];
}

/** `bucket/key` or `/bucket/key`, URL-encoded, optionally `?versionId=...`. */
function copySource(header: string): { bucket: string; key: string; versionId?: string } | undefined {
  const [encodedPath = '', query = ''] = header.split('?', 2);
  let path = encodedPath;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    // Not percent-encoded: taken as written, as the service takes it.
  }
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) return undefined;
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return {
    bucket: trimmed.slice(0, slash),
    key: trimmed.slice(slash + 1),
    ...(versionId ? { versionId } : {}),
  };
}

/** DeleteObjects: s3:DeleteObject (s3:DeleteObjectVersion with a VersionId) on each key of the document. */
function deleteObjects(input: S3RequestInput): AuthorizationRequest[] {
  const objects = deletedObjects(input.body);
  if (objects === undefined) return [{ action: 's3:DeleteObject', resource: '*', context: {} }];
  return objects.map(({ key, versionId }) => ({
    action: versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion',
    resource: objectArn(input.bucket, key),
    context: {},
  }));
}

function deletedObjects(body: Buffer | undefined): { key: string; versionId?: string }[] | undefined {
  let document: Record<string, unknown>;
  try {
    document = parseXml(body ?? Buffer.alloc(0));
  } catch {
    return undefined; // S3 answers MalformedXML itself.
  }
  const objects = (document.Delete as Record<string, unknown> | undefined)?.Object;
  if (!Array.isArray(objects)) return undefined;
  return objects.map((item: Record<string, unknown>) => {
    const key = typeof item.Key === 'string' || typeof item.Key === 'number' ? String(item.Key) : '';
    const versionId = typeof item.VersionId === 'string' ? item.VersionId : undefined;
    return { key, ...(versionId === undefined ? {} : { versionId }) };
  });
}
