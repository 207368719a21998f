// Which bucket, key and API operation a request is for. Both addressing styles are accepted:
// - path style, `http://127.0.0.1:3001/<bucket>/<key>`: what the AWS SDK sends when its endpoint is an IP
//   address (as local-cloud's AWS_ENDPOINT_URL is), or with forcePathStyle: true;
// - virtual-hosted style, `http://<bucket>.localhost:3001/<key>`: what the SDK sends for a host name endpoint
//   (`http://localhost:3001`); browsers resolve `*.localhost` to the loopback address (Node.js does not); and
//   `https://<bucket>.s3.<region>.amazonaws.com/<key>`, S3's own names, which a sandbox's calls keep.
import { pathOf, percentDecoded } from '../../http/request-path';
import { invalidUri } from './errors';

export interface RequestTarget {
  /** Absent for service-level requests (ListBuckets). */
  bucket?: string;
  /** Decoded; empty for bucket-level requests. */
  key: string;
  style: 'path' | 'virtual-hosted';
  /** Form-decoded query parameters (`+` is a space, as S3 reads them). */
  query: URLSearchParams;
}

/** Throws S3Error InvalidURI for a path whose percent-encoding is malformed, as S3 refuses it. */
export function parseTarget(url: string, host: string | undefined): RequestTarget {
  const queryAt = url.indexOf('?');
  const rawPath = pathOf(url);
  const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
  const hostBucket = virtualHostBucket(host);
  const path = decodePath(rawPath);
  if (hostBucket) return { bucket: hostBucket, key: path.slice(1), style: 'virtual-hosted', query };
  const slash = path.indexOf('/', 1);
  const bucket = slash === -1 ? path.slice(1) : path.slice(1, slash);
  const key = slash === -1 ? '' : path.slice(slash + 1);
  return { bucket: bucket || undefined, key, style: 'path', query };
}

function virtualHostBucket(host: string | undefined): string | undefined {
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const aws = AWS_VIRTUAL_HOST.exec(hostname);
  if (aws) return aws[1];
  if (!hostname.endsWith('.localhost')) return undefined;
  const bucket = hostname.slice(0, -'.localhost'.length).replace(/\.s3$/, '');
  return bucket && bucket !== 's3' ? bucket : undefined;
}

/**
 * S3's own virtual-hosted names, as a sandbox's call to them arrives (the SDK v2, a public object URL):
 * `<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`, `<bucket>.s3-<region>.amazonaws.com`,
 * `<bucket>.s3.dualstack.<region>.amazonaws.com`. `s3.<region>.amazonaws.com` alone is path style.
 */
const AWS_VIRTUAL_HOST = /^(.+?)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;

function decodePath(rawPath: string): string {
  const path = percentDecoded(rawPath);
  if (path === undefined) throw invalidUri();
  return path;
}

/** The S3 API operation a request calls, named as in the API reference (and in NotImplemented errors). */
export function operationName(
  method: string,
  target: RequestTarget,
  headers: Record<string, string | undefined>,
): string {
  const has = (name: string) => target.query.has(name);
  if (!target.bucket) {
    return method === 'GET' ? 'ListBuckets' : `${verb(method)}Service`;
  }
  if (!target.key) {
    const sub = BUCKET_SUBRESOURCES.find((name) => has(name));
    if (method === 'POST') return has('delete') ? 'DeleteObjects' : 'PostObject';
    if (sub === 'publicAccessBlock') return `${verb(method)}PublicAccessBlock`;
    if (sub) {
      const listing = LISTINGS[sub];
      if (listing && method === 'GET') return listing;
      return `${verb(method)}Bucket${BUCKET_SUBRESOURCE_NAMES[sub] ?? capitalize(sub)}`;
    }
    switch (method) {
      case 'PUT':
        return 'CreateBucket';
      case 'HEAD':
        return 'HeadBucket';
      case 'DELETE':
        return 'DeleteBucket';
      case 'GET':
        return target.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      default:
        return `${verb(method)}Bucket`;
    }
  }
  switch (method) {
    case 'PUT':
      if (headers['x-amz-copy-source'] !== undefined)
        return has('uploadId') ? 'UploadPartCopy' : 'CopyObject';
      if (has('uploadId')) return 'UploadPart';
      return objectSubresource('Put', target) ?? 'PutObject';
    case 'GET':
      if (has('uploadId')) return 'ListParts';
      return objectSubresource('Get', target) ?? 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      if (has('uploadId')) return 'AbortMultipartUpload';
      return objectSubresource('Delete', target) ?? 'DeleteObject';
    case 'POST':
      if (has('uploads')) return 'CreateMultipartUpload';
      if (has('uploadId')) return 'CompleteMultipartUpload';
      if (has('restore')) return 'RestoreObject';
      if (has('select')) return 'SelectObjectContent';
      return 'PostObject';
    default:
      return `${verb(method)}Object`;
  }
}

const BUCKET_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'tagging',
  'uploads',
  'versioning',
  'versions',
  'website',
];

const BUCKET_SUBRESOURCE_NAMES: Record<string, string> = {
  accelerate: 'AccelerateConfiguration',
  acl: 'Acl',
  analytics: 'AnalyticsConfiguration',
  'intelligent-tiering': 'IntelligentTieringConfiguration',
  inventory: 'InventoryConfiguration',
  lifecycle: 'LifecycleConfiguration',
  metrics: 'MetricsConfiguration',
  notification: 'NotificationConfiguration',
  'object-lock': 'ObjectLockConfiguration',
  publicAccessBlock: 'PublicAccessBlock',
};

const LISTINGS: Record<string, string> = {
  location: 'GetBucketLocation',
  uploads: 'ListMultipartUploads',
  versions: 'ListObjectVersions',
};

function objectSubresource(prefix: string, target: RequestTarget): string | undefined {
  const names: Record<string, string> = {
    acl: 'Acl',
    tagging: 'Tagging',
    retention: 'Retention',
    'legal-hold': 'LegalHold',
    attributes: 'Attributes',
    torrent: 'Torrent',
  };
  const sub = Object.keys(names).find((name) => target.query.has(name));
  return sub ? `${prefix}Object${names[sub] ?? ''}` : undefined;
}

function verb(method: string): string {
  return method === 'GET'
    ? 'Get'
    : method === 'PUT'
      ? 'Put'
      : method === 'DELETE'
        ? 'Delete'
        : capitalize(method.toLowerCase());
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
