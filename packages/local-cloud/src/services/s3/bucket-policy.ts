// Bucket policies, as far as they concern anonymous callers (docs/reference/aws-behaviour.md#bucket-policies-and-block-public-access):
// a request with no signature is allowed when a statement with `Effect: Allow` and the principal `*` (or
// `{"AWS": "*"}`) names its action (`s3:GetObject`, wildcards allowed) and its resource
// (`arn:aws:s3:::bucket/key`, wildcards allowed), and no `Deny` statement does: an explicit deny wins. Signed
// requests are local-cloud's own key pair, which IAM-free local-cloud lets do everything, as before.
//
// Block Public Access decides whether such a public policy counts: with BlockPublicPolicy S3 refuses to store
// one (PutBucketPolicy, or a CloudFormation deployment, fails with AccessDenied), with RestrictPublicBuckets it
// stays stored but grants anonymous callers nothing. New buckets have all four settings on (since April 2023).
import { malformedPolicy } from './errors';
import { isRecord } from '../../common/records';

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** What a bucket gets at creation (S3's default since April 2023), API or CloudFormation alike. */
export const BLOCK_ALL_PUBLIC_ACCESS: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/** The settings' names on the wire (XML, CloudFormation) and in local-cloud. */
export const PUBLIC_ACCESS_BLOCK_FIELDS: [string, keyof PublicAccessBlock][] = [
  ['BlockPublicAcls', 'blockPublicAcls'],
  ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'],
  ['RestrictPublicBuckets', 'restrictPublicBuckets'],
];

/** `Properties.PublicAccessBlockConfiguration` of a bucket resource; undefined when it has none. */
export function publicAccessBlockOf(properties: Record<string, unknown>): PublicAccessBlock | undefined {
  const configuration = properties.PublicAccessBlockConfiguration;
  if (!isRecord(configuration)) return undefined;
  // A setting left out of the configuration is off, as in PutPublicAccessBlock.
  const settings = { ...BLOCK_ALL_PUBLIC_ACCESS };
  for (const [name, key] of PUBLIC_ACCESS_BLOCK_FIELDS) {
    settings[key] = configuration[name] === true || configuration[name] === 'true';
  }
  return settings;
}

interface Statement {
  /** `Sid`, or its position: `statement 2`. */
  name: string;
  effect: 'Allow' | 'Deny';
  /** The principal includes anonymous callers: `*`, `{"AWS": "*"}`. */
  anyone: boolean;
  actions: string[];
  notAction: boolean;
  resources: string[];
  notResource: boolean;
  /** Why local-cloud cannot evaluate it (a Condition on a key it does not know): it then applies to nothing. */
  unevaluable?: string;
  /** Its Condition (aws:SecureTransport only) holds locally; true without one. */
  conditionHolds: boolean;
}

export interface BucketPolicy {
  statements: Statement[];
}

export type Decision = 'allow' | 'deny' | 'none';

/**
 * Reads a policy document (JSON text, intrinsic functions already resolved) for `bucket`, refusing what
 * PutBucketPolicy refuses with MalformedPolicy.
 */
export function parseBucketPolicy(text: string, bucket: string): BucketPolicy {
  if (!text.trimStart().startsWith('{')) {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!isRecord(document) || document.Statement === undefined) {
    throw malformedPolicy('Missing required field Statement');
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return { statements: statements.map((statement, index) => parseStatement(statement, index, bucket)) };
}

function parseStatement(statement: unknown, index: number, bucket: string): Statement {
  if (!isRecord(statement)) throw malformedPolicy('Statement is not an object');
  const name = typeof statement.Sid === 'string' && statement.Sid ? statement.Sid : `statement ${index + 1}`;
  const { Effect: effect } = statement;
  if (effect === undefined) throw malformedPolicy('Missing required field Effect');
  if (effect !== 'Allow' && effect !== 'Deny')
    throw malformedPolicy(`Invalid effect: ${JSON.stringify(effect)}`);
  const principal = statement.Principal ?? statement.NotPrincipal;
  if (principal === undefined) throw malformedPolicy('Missing required field Principal');
  const actions = strings(statement.Action ?? statement.NotAction, 'Action');
  const resources = strings(statement.Resource ?? statement.NotResource, 'Resource');
  if (!actions.every((action) => action === '*' || /^s3:[A-Za-z*?]+$/i.test(action))) {
    throw malformedPolicy('Policy has invalid action');
  }
  const inBucket = (resource: string) => {
    const match = /^arn:aws:s3:::([^/]+)(\/.*)?$/.exec(resource);
    return match !== null && wildcard(match[1] ?? '', bucket, false);
  };
  if (!resources.every(inBucket)) throw malformedPolicy('Policy has invalid resource');
  return {
    name,
    effect,
    // A NotPrincipal statement applies to everyone but those named: anonymous callers included, unless named.
    anyone: statement.Principal !== undefined ? namesAnyone(principal) : !namesAnyone(principal),
    actions,
    notAction: statement.Action === undefined,
    resources,
    notResource: statement.Resource === undefined,
    unevaluable: unevaluableCondition(statement.Condition),
    conditionHolds: conditionHolds(statement.Condition),
  };
}

function strings(value: unknown, field: string): string[] {
  if (value === undefined) throw malformedPolicy(`Missing required field ${field}`);
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const texts = list.filter((item): item is string => typeof item === 'string');
  if (list.length === 0 || texts.length !== list.length) {
    throw malformedPolicy(`Policy has invalid ${field.toLowerCase()}`);
  }
  return texts;
}

function namesAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isRecord(principal)) return false;
  const aws = principal.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/**
 * Conditions local-cloud can answer: `aws:SecureTransport` (local-cloud stands in for AWS's HTTPS endpoint,
 * so it is true). Any other makes the statement one local-cloud cannot evaluate.
 */
function unevaluableCondition(condition: unknown): string | undefined {
  if (condition === undefined) return undefined;
  if (!isRecord(condition)) return 'its Condition is not an object';
  for (const [operator, test] of Object.entries(condition)) {
    const keys = isRecord(test) ? Object.keys(test) : [];
    const unknown = keys.find((key) => key.toLowerCase() !== 'aws:securetransport');
    if (operator !== 'Bool' || keys.length === 0 || unknown !== undefined) {
      return `its Condition ${operator} on ${unknown ?? (keys.join(', ') || 'nothing')} is not evaluated locally`;
    }
  }
  return undefined;
}

/** Whether the statement's Condition holds locally (only aws:SecureTransport is known: true). */
function conditionHolds(condition: unknown): boolean {
  if (!isRecord(condition)) return true;
  return Object.values(condition).every((test) =>
    Object.values(isRecord(test) ? test : {}).every((value) =>
      (Array.isArray(value) ? value : [value]).some((item) => String(item).toLowerCase() === 'true'),
    ),
  );
}

/** The policy's answer for an anonymous caller: an explicit deny wins over any allow. */
export function anonymousDecision(
  policy: BucketPolicy | undefined,
  action: string,
  resource: string,
): Decision {
  let decision: Decision = 'none';
  for (const statement of policy?.statements ?? []) {
    if (!statement.anyone || statement.unevaluable || !statement.conditionHolds) continue;
    const actionMatches = statement.actions.some((pattern) => wildcard(pattern, action, true));
    const resourceMatches = statement.resources.some((pattern) => wildcard(pattern, resource, false));
    if (actionMatches === statement.notAction || resourceMatches === statement.notResource) continue;
    if (statement.effect === 'Deny') return 'deny';
    decision = 'allow';
  }
  return decision;
}

/**
 * Public as Block Public Access means it: some statement allows anyone, with no condition narrowing it.
 * (aws:SecureTransport does not narrow who may call.)
 */
export function isPublicPolicy(policy: BucketPolicy): boolean {
  return policy.statements.some(
    (statement) => statement.effect === 'Allow' && statement.anyone && !statement.unevaluable,
  );
}

/** The statements that concern anonymous callers and that local-cloud cannot evaluate, with why. */
export function unevaluatedStatements(policy: BucketPolicy): string[] {
  return policy.statements.flatMap((statement) =>
    statement.anyone && statement.unevaluable ? [`${statement.name}: ${statement.unevaluable}`] : [],
  );
}

/** IAM's wildcards: `*` any run of characters, `?` one character. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}
