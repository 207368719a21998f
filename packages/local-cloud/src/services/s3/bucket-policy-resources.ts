// What a deployment would do with the service's `AWS::S3::BucketPolicy` resources and its buckets'
// `PublicAccessBlockConfiguration`: each policy (its `Ref`, `Fn::GetAtt`, `Fn::Join` and `Fn::Sub` resolved by
// the shared CloudFormation resolver) is applied to its bucket, unless Block Public Access would make AWS
// refuse it; what would not work on AWS, or cannot be evaluated here, is said in one warning line each.
import { ServiceConfigError } from '../../config/service-config-error';
import {
  isRecord,
  resolveValue,
  resourcesOfType,
  type CloudFormationContext as ResolverContext,
} from '../../cloudformation/values';
import {
  configFile,
  s3Events,
  stackName,
  type BucketDefinition,
  type CloudFormationContext,
} from './bucket-definitions';
import {
  BLOCK_ALL_PUBLIC_ACCESS,
  isPublicPolicy,
  parseBucketPolicy,
  unevaluatedStatements,
  type BucketPolicy,
} from './bucket-policy';
import { S3Error } from './errors';
import type { BucketRecord } from './object-store';

export interface AppliedBucketPolicy {
  logicalId: string;
  bucket: string;
  /** The document with intrinsic functions resolved, as GetBucketPolicy returns it. */
  text: string;
  policy: BucketPolicy;
}

export interface BucketAccess {
  /** The policy each bucket gets at start, by bucket name. */
  policies: Map<string, AppliedBucketPolicy>;
  warnings: string[];
}

export function bucketAccess(context: CloudFormationContext, buckets: BucketDefinition[]): BucketAccess {
  const policies = new Map<string, AppliedBucketPolicy>();
  const warnings: string[] = [];
  const known = new Map(buckets.map((bucket) => [bucket.name, bucket]));
  const resolver = resolverContext(context, buckets);
  for (const { logicalId, properties } of resourcesOfType(
    context.service.resources,
    'AWS::S3::BucketPolicy',
  )) {
    const field = `resources.Resources.${logicalId}.Properties`;
    const bucket = resolvedBucket(properties.Bucket, resolver);
    const definition = bucket === undefined ? undefined : known.get(bucket);
    if (bucket === undefined || !definition) {
      warnings.push(
        `${logicalId} (AWS::S3::BucketPolicy) is not applied: its Bucket ${bucket === undefined ? 'cannot be resolved locally' : `"${bucket}" is not a bucket this service creates`}, so anonymous requests to it get 403 AccessDenied`,
      );
      continue;
    }
    const { text, skipped } = resolvedDocument(properties.PolicyDocument, resolver);
    let policy: BucketPolicy;
    try {
      policy = parseBucketPolicy(text, bucket);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      throw new ServiceConfigError(
        configFile(context.service),
        `${field}.PolicyDocument: ${error.message} (S3 refuses it with MalformedPolicy, so the deployment fails)`,
        'fix the policy document: Effect, Principal, Action (s3:...) and Resource (arn:aws:s3:::<bucket>/...) in each statement',
      );
    }
    for (const reason of [...skipped, ...unevaluatedStatements(policy)]) {
      warnings.push(
        `${logicalId}: statement ${reason}, so it neither allows nor denies anonymous requests locally`,
      );
    }
    const block = definition.publicAccessBlock ?? BLOCK_ALL_PUBLIC_ACCESS;
    const where = definition.publicAccessBlock
      ? `its PublicAccessBlockConfiguration`
      : `no PublicAccessBlockConfiguration, so AWS's default for new buckets (all four settings on, since April 2023)`;
    const fix = `set PublicAccessBlockConfiguration: { BlockPublicPolicy: false, RestrictPublicBuckets: false } on ${definition.logicalId ?? `bucket "${bucket}"`}, or keep the bucket private and hand out presigned URLs`;
    if (isPublicPolicy(policy) && block.blockPublicPolicy) {
      warnings.push(
        `${logicalId} grants public access to bucket "${bucket}", which has ${where} with BlockPublicPolicy: AWS refuses such a policy (s3:PutBucketPolicy AccessDenied, the deployment fails), so local-cloud does not apply it and anonymous requests get 403. Fix: ${fix}`,
      );
      continue;
    }
    if (isPublicPolicy(policy) && block.restrictPublicBuckets) {
      warnings.push(
        `${logicalId} grants public access to bucket "${bucket}", which has ${where} with RestrictPublicBuckets: AWS keeps the policy but grants anonymous callers nothing, and so does local-cloud (403). Fix: ${fix}`,
      );
    }
    policies.set(bucket, { logicalId, bucket, text, policy });
  }
  return { policies, warnings };
}

/**
 * A bucket's record after a deployment: created if new, with the CORS configuration as written, the Block
 * Public Access settings and the bucket policy when its resources give them. A policy put through the API
 * stays; one that came from a resource since removed (or now refused) goes.
 */
export function deployedBucket(
  definition: BucketDefinition,
  existing: BucketRecord | undefined,
  access: BucketAccess,
  creationDate: string,
): BucketRecord {
  const applied = access.policies.get(definition.name);
  const { policy, policyResource, ...kept } = existing ?? { name: definition.name, creationDate };
  const fromApi = policyResource === undefined && policy !== undefined;
  return {
    ...kept,
    cors: definition.cors,
    publicAccessBlock: definition.publicAccessBlock ?? existing?.publicAccessBlock,
    ...(applied ? { policy: applied.text, policyResource: applied.logicalId } : fromApi ? { policy } : {}),
  };
}

/** Ref of a bucket is its name, Fn::GetAtt Arn its ARN: for the buckets in resources and those of `s3` events. */
function resolverContext(context: CloudFormationContext, buckets: BucketDefinition[]): ResolverContext {
  const names = new Map<string, string>();
  for (const bucket of buckets) if (bucket.logicalId) names.set(bucket.logicalId, bucket.name);
  // The framework's logical id for a bucket it creates for an `s3` event: S3Bucket + the name's letters and digits.
  for (const event of s3Events(context)) {
    if (event.existing) continue;
    const letters = event.bucket.replace(/[^0-9A-Za-z]/g, '');
    names.set(`S3Bucket${letters.charAt(0).toUpperCase()}${letters.slice(1)}`, event.bucket);
  }
  return {
    region: context.service.provider.region,
    accountId: context.accountId,
    stackName: stackName(context.service),
    ref: (logicalId) => names.get(logicalId),
    getAtt: (logicalId, attribute) => {
      const name = names.get(logicalId);
      return name !== undefined && attribute === 'Arn' ? `arn:aws:s3:::${name}` : undefined;
    },
  };
}

function resolvedBucket(value: unknown, resolver: ResolverContext): string | undefined {
  const resolved = resolveValue(value, resolver);
  return 'value' in resolved ? resolved.value : undefined;
}

/**
 * The document as JSON text, each statement's intrinsic functions resolved. A statement with a value that
 * only exists once deployed is left out; when it concerns anonymous callers, `skipped` says so.
 */
function resolvedDocument(document: unknown, resolver: ResolverContext): { text: string; skipped: string[] } {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return { text: document, skipped: [] };
    }
  }
  if (!isRecord(parsed) || parsed.Statement === undefined)
    return { text: JSON.stringify(parsed ?? null), skipped: [] };
  const statements: unknown[] = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const skipped: string[] = [];
  const kept = statements.flatMap((statement, index) => {
    const resolved = resolveDeep(statement, resolver);
    if ('value' in resolved) return [resolved.value];
    const principal = isRecord(statement) ? statement.Principal : undefined;
    const anyone =
      principal === '*' || (isRecord(principal) && JSON.stringify(principal.AWS ?? '').includes('"*"'));
    if (anyone) {
      const name = isRecord(statement) && typeof statement.Sid === 'string' ? statement.Sid : `${index + 1}`;
      skipped.push(`${name} is left out: ${resolved.unresolved}`);
    }
    return [];
  });
  return { text: JSON.stringify({ ...parsed, Statement: kept }), skipped };
}

/** Resolves every intrinsic function in a JSON value. */
function resolveDeep(value: unknown, resolver: ResolverContext): { value: unknown } | { unresolved: string } {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const resolved = resolveDeep(item, resolver);
      if ('unresolved' in resolved) return resolved;
      items.push(resolved.value);
    }
    return { value: items };
  }
  if (!isRecord(value)) return { value };
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::')))
    return resolveValue(value, resolver);
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveDeep(item, resolver);
    if ('unresolved' in resolved) return resolved;
    entries.push([key, resolved.value]);
  }
  return { value: Object.fromEntries(entries) };
}
