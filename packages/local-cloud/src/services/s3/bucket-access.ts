// Who may read a bucket without signing: its policy (Put/Get/DeleteBucketPolicy, or an AWS::S3::BucketPolicy
// applied at start) under its Block Public Access settings (Put/Get/DeletePublicAccessBlock, or the bucket
// resource's PublicAccessBlockConfiguration). Anonymous requests get no further than GetObject and HeadObject
// of what a public policy allows; everything else unsigned stays 403 AccessDenied.
import {
  BLOCK_ALL_PUBLIC_ACCESS,
  PUBLIC_ACCESS_BLOCK_FIELDS,
  anonymousDecision,
  isPublicPolicy,
  parseBucketPolicy,
  type BucketPolicy,
  type PublicAccessBlock,
} from './bucket-policy';
import { S3Error, accessDenied, invalidRequest, malformedXml, noSuchBucket } from './errors';
import type { BucketRecord } from './object-store';
import type { RequestTarget } from './request-target';
import { sendEmpty, sendXml, type S3Backend, type S3Request } from './s3-context';
import { parseXml } from './xml';

const parsed = new WeakMap<BucketRecord, BucketPolicy | undefined>();

/** The bucket's policy, read once per stored version. */
function policyOf(record: BucketRecord): BucketPolicy | undefined {
  if (!parsed.has(record)) {
    let policy: BucketPolicy | undefined;
    try {
      policy = record.policy === undefined ? undefined : parseBucketPolicy(record.policy, record.name);
    } catch {
      policy = undefined; // stored by an earlier local-cloud and no longer readable: no grant.
    }
    parsed.set(record, policy);
  }
  return parsed.get(record);
}

/** The settings in force: S3's default (all on) unless set; undefined once deleted. */
function blockOf(record: BucketRecord): PublicAccessBlock | undefined {
  return record.publicAccessBlock === null
    ? undefined
    : (record.publicAccessBlock ?? BLOCK_ALL_PUBLIC_ACCESS);
}

function decide(record: BucketRecord, action: string, resource: string): boolean {
  const policy = policyOf(record);
  if (!policy) return false;
  // RestrictPublicBuckets: a public policy grants anonymous callers nothing.
  if (blockOf(record)?.restrictPublicBuckets && isPublicPolicy(policy)) return false;
  return anonymousDecision(policy, action, resource) === 'allow';
}

/**
 * Whether an unsigned request may go on: only GetObject and HeadObject, of an object the bucket policy lets
 * anyone read. Throws S3's answers for what such a request may not do: `response-*` overrides (InvalidRequest),
 * and a key that does not exist when the policy does not also allow s3:ListBucket (403, as S3 hides it).
 */
export function admitsAnonymous(backend: S3Backend, operation: string, target: RequestTarget): boolean {
  if (operation !== 'GetObject' && operation !== 'HeadObject') return false;
  const record = target.bucket === undefined ? undefined : backend.store.getBucket(target.bucket);
  if (!record || !decide(record, 's3:GetObject', `arn:aws:s3:::${record.name}/${target.key}`)) return false;
  if ([...target.query.keys()].some((name) => name.startsWith('response-'))) {
    throw invalidRequest('Request specific response headers cannot be used for anonymous GET requests.');
  }
  if (
    !backend.store.getObject(record.name, target.key) &&
    !decide(record, 's3:ListBucket', `arn:aws:s3:::${record.name}`)
  ) {
    throw accessDenied();
  }
  return true;
}

export async function putBucketPolicy(backend: S3Backend, request: S3Request): Promise<void> {
  const record = bucketRecord(backend, request);
  const text = request.body.toString('utf8');
  const policy = parseBucketPolicy(text, record.name);
  // BlockPublicPolicy: S3 refuses to store a public policy.
  if (blockOf(record)?.blockPublicPolicy && isPublicPolicy(policy)) throw accessDenied();
  const { policyResource: _resource, ...rest } = record;
  await backend.store.updateBucket({ ...rest, policy: text });
  sendEmpty(request, 204);
}

export function getBucketPolicy(backend: S3Backend, request: S3Request): void {
  const record = bucketRecord(backend, request);
  if (record.policy === undefined) {
    throw new S3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', {
      BucketName: record.name,
    });
  }
  const body = Buffer.from(record.policy);
  request.res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
}

export async function deleteBucketPolicy(backend: S3Backend, request: S3Request): Promise<void> {
  const { policy: _policy, policyResource: _resource, ...record } = bucketRecord(backend, request);
  await backend.store.updateBucket(record);
  sendEmpty(request, 204);
}

export async function putPublicAccessBlock(backend: S3Backend, request: S3Request): Promise<void> {
  const record = bucketRecord(backend, request);
  const configuration = parseXml(request.body).PublicAccessBlockConfiguration;
  if (typeof configuration !== 'object' || configuration === null) throw malformedXml();
  const values = configuration as Record<string, unknown>;
  const settings = { ...BLOCK_ALL_PUBLIC_ACCESS };
  for (const [name, key] of PUBLIC_ACCESS_BLOCK_FIELDS) {
    const raw = values[name] ?? 'false';
    const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (value !== 'true' && value !== 'false') throw malformedXml();
    settings[key] = value === 'true';
  }
  await backend.store.updateBucket({ ...record, publicAccessBlock: settings });
  sendEmpty(request, 200);
}

export function getPublicAccessBlock(backend: S3Backend, request: S3Request): void {
  const record = bucketRecord(backend, request);
  const block = blockOf(record);
  if (!block) {
    throw new S3Error(
      'NoSuchPublicAccessBlockConfiguration',
      404,
      'The public access block configuration was not found',
      { BucketName: record.name },
    );
  }
  sendXml(
    request,
    200,
    'PublicAccessBlockConfiguration',
    Object.fromEntries(PUBLIC_ACCESS_BLOCK_FIELDS.map(([name, key]) => [name, block[key]])),
  );
}

export async function deletePublicAccessBlock(backend: S3Backend, request: S3Request): Promise<void> {
  const record = bucketRecord(backend, request);
  await backend.store.updateBucket({ ...record, publicAccessBlock: null });
  sendEmpty(request, 204);
}

function bucketRecord(backend: S3Backend, request: S3Request): BucketRecord {
  const { bucket } = request.target;
  const record = bucket === undefined ? undefined : backend.store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket ?? '');
  return record;
}
