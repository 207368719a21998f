// The POST policy of a browser form, checked as S3 checks it (docs/reference/aws-behaviour.md#browser-form-uploads-post-policy):
// the SigV4 fields must all be there; the signature is the HMAC-SHA256, under the signing key SigV4 derives,
// of the base64 policy exactly as sent (checked before the policy is even decoded); the policy is JSON with an
// `expiration` and a list of `conditions`, each an exact match (`{"acl": "private"}`, `["eq", "$acl", ...]`),
// a prefix (`["starts-with", "$key", "user/"]`) or the file's size (`["content-length-range", 1, 1048576]`);
// and every field of the form but the exempt ones must be named by some condition. Field and condition names
// are case-insensitive, values case-sensitive.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getSigningKey } from '@smithy/signature-v4';
import { NodeSha256, parseAmzDate, type AccessKeyPair } from '../../protocol/sigv4';
import {
  S3Error,
  accessDenied,
  entityTooLarge,
  entityTooSmall,
  invalidArgument,
  invalidPolicyDocument,
  missingPostField,
  postPolicyDenied,
  signatureV2NotSupported,
} from './errors';

/** A form's fields by lower-case name; repeated fields are joined with commas, as S3 joins them. */
export class FormFields {
  private readonly values = new Map<string, string>();
  /** Each field's name as sent, once. */
  readonly names: string[] = [];

  constructor(fields: { name: string; value: string }[]) {
    for (const { name, value } of fields) {
      const lower = name.toLowerCase();
      const existing = this.values.get(lower);
      if (existing === undefined) this.names.push(name);
      this.values.set(lower, existing === undefined ? value : `${existing},${value}`);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  /** Lower-case names to values: the shape PutObject's headers have, for what the two share. */
  asHeaders(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

type Condition =
  | { kind: 'eq' | 'starts-with'; field: string; value: string; written: unknown[] }
  | { kind: 'content-length-range'; min: number; max: number; written: unknown[] }
  /** A content-length-range whose bounds are not numbers: it never holds. */
  | { kind: 'never'; written: unknown[] };

export interface PostPolicy {
  expiration: Date;
  conditions: Condition[];
}

/** The SigV4 fields a signed form carries, named as S3 names them in its errors. */
const SIGV4_FIELDS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature'];
/** Fields no condition needs to name. */
const EXEMPT_FIELDS = new Set(['x-amz-signature', 'file', 'policy']);
const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface PostAuthority {
  credentials: AccessKeyPair;
  region: string;
}

/**
 * Checks the form's signature and reads its policy; returns who signed it. A form without a policy is
 * anonymous, and no local bucket takes anonymous uploads (S3: only a publicly writable one does).
 */
export async function authenticatePost(
  fields: FormFields,
  authority: PostAuthority,
): Promise<{ accessKeyId: string; policy: PostPolicy }> {
  const policyText = fields.get('policy');
  if (policyText === undefined) throw accessDenied();
  if (fields.get('awsaccesskeyid') !== undefined && fields.get('x-amz-signature') === undefined) {
    throw signatureV2NotSupported();
  }
  if (SIGV4_FIELDS.every((name) => fields.get(name) === undefined)) throw accessDenied();
  const missing = SIGV4_FIELDS.find((name) => fields.get(name) === undefined);
  if (missing) throw missingPostField(missing);
  const algorithm = fields.get('x-amz-algorithm') ?? '';
  if (algorithm !== ALGORITHM) {
    throw invalidArgument(`X-Amz-Algorithm only supports "${ALGORITHM}"`, 'X-Amz-Algorithm', algorithm);
  }
  const credential = fields.get('x-amz-credential') ?? '';
  const scope = parseCredential(credential, authority);
  const amzDate = fields.get('x-amz-date') ?? '';
  // S3's message, spelling included.
  if (!parseAmzDate(amzDate)) {
    throw invalidArgument('X-Amz-Date must be formated via ISO8601 Long format', 'X-Amz-Date', amzDate);
  }
  const provided = fields.get('x-amz-signature') ?? '';
  const expected = await postSignature(policyText, authority.credentials, scope.date, scope.region);
  if (!sameSignature(expected, provided)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: scope.accessKeyId,
        StringToSign: policyText,
        SignatureProvided: provided,
        StringToSignBytes: [...Buffer.from(policyText, 'utf8')]
          .map((byte) => byte.toString(16).padStart(2, '0'))
          .join(' '),
      },
    );
  }
  return { accessKeyId: scope.accessKeyId, policy: parsePolicy(policyText) };
}

/** `X-Amz-Signature` of a form: hex HMAC-SHA256 of the base64 policy, keyed with SigV4's signing key. */
export async function postSignature(
  policyBase64: string,
  credentials: AccessKeyPair,
  date: string,
  region: string,
): Promise<string> {
  const key = await getSigningKey(NodeSha256, credentials, date, region, 's3');
  return createHmac('sha256', key).update(policyBase64, 'utf8').digest('hex');
}

function parseCredential(
  credential: string,
  authority: PostAuthority,
): { accessKeyId: string; date: string; region: string } {
  const scope = credential.split('/');
  const wrong = (message: string, details: Record<string, string> = {}) =>
    new S3Error('InvalidArgument', 400, message, {
      ArgumentName: 'X-Amz-Credential',
      ArgumentValue: credential,
      ...details,
    });
  if (scope.length !== 5) {
    throw wrong(
      'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  const [accessKeyId = '', date = '', region = '', service = '', terminal = ''] = scope;
  if (!accessKeyId) throw wrong('a non-empty Access Key (AKID) must be provided in the credential.');
  if (!/^\d{8}$/.test(date)) {
    throw wrong(
      `incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`,
    );
  }
  if (region !== authority.region) {
    throw wrong(`the region '${region}' is wrong; expecting '${authority.region}'`, {
      Region: authority.region,
    });
  }
  if (service !== 's3') throw wrong(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (terminal !== 'aws4_request')
    throw wrong(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  if (accessKeyId !== authority.credentials.accessKeyId) {
    throw new S3Error(
      'InvalidAccessKeyId',
      403,
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: accessKeyId,
      },
    );
  }
  return { accessKeyId, date, region };
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Decodes and reads the policy: S3's InvalidPolicyDocument for anything that is not one. */
export function parsePolicy(base64: string): PostPolicy {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw invalidPolicyDocument('invalid Base64 encoding.');
  }
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(compact, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicyDocument('Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidPolicyDocument('Invalid JSON.');
  }
  const members = document as Record<string, unknown>;
  const unexpected = Object.keys(members).find((name) => name !== 'expiration' && name !== 'conditions');
  if (unexpected !== undefined) throw invalidPolicyDocument(`Unexpected: '${unexpected.toLowerCase()}'`);
  if (members.expiration === undefined) throw invalidPolicyDocument('Policy missing expiration.');
  if (members.conditions === undefined) throw invalidPolicyDocument('Policy missing conditions.');
  const expiration = parseExpiration(members.expiration);
  if (!Array.isArray(members.conditions)) {
    throw invalidPolicyDocument("Invalid 'conditions' value: must be a List.");
  }
  return { expiration, conditions: members.conditions.map(parseCondition) };
}

/** ISO 8601 in UTC, with or without milliseconds: `2026-12-01T12:00:00.000Z`. */
function parseExpiration(value: unknown): Date {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const valid = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(value);
  const date = valid ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw invalidPolicyDocument(`Invalid 'expiration' value: '${text}'`);
  return date;
}

function parseCondition(condition: unknown): Condition {
  if (Array.isArray(condition)) return parseListCondition(condition);
  if (typeof condition !== 'object' || condition === null) {
    throw invalidPolicyDocument('Invalid condition test: must be a List or Object.');
  }
  const entries: [string, unknown][] = Object.entries(condition);
  const [entry] = entries;
  if (entries.length !== 1 || !entry) {
    throw invalidPolicyDocument(
      'Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    );
  }
  const [name, value] = entry;
  if (typeof value !== 'string')
    throw invalidPolicyDocument('Invalid Simple-Condition: value must be a string.');
  // S3 reports a simple condition in its list form.
  return { kind: 'eq', field: `$${name}`, value, written: ['eq', `$${name}`, value] };
}

function parseListCondition(condition: unknown[]): Condition {
  const [operation, ...operands] = condition;
  if (typeof operation !== 'string')
    throw invalidPolicyDocument('Invalid Condition: missing operation identifier.');
  const kind = operation.toLowerCase();
  if (kind !== 'eq' && kind !== 'starts-with' && kind !== 'content-length-range') {
    throw invalidPolicyDocument(`Invalid Condition: unknown operation '${operation}'.`);
  }
  if (operands.length !== 2) throw invalidPolicyDocument(`Invalid ${operation}: wrong number of arguments.`);
  if (kind === 'content-length-range') {
    // Integers, or strings of digits; a fraction is not JSON S3 reads. Other strings never hold.
    if (operands.some((operand) => typeof operand === 'number' && !Number.isInteger(operand))) {
      throw invalidPolicyDocument('Invalid JSON.');
    }
    const bounds = operands.map((operand) =>
      typeof operand === 'number'
        ? operand
        : typeof operand === 'string' && /^\d+$/.test(operand)
          ? Number(operand)
          : NaN,
    );
    const [min = NaN, max = NaN] = bounds;
    if (Number.isNaN(min) || Number.isNaN(max)) return { kind: 'never', written: condition };
    return { kind: 'content-length-range', min, max, written: condition };
  }
  const [field, value] = operands;
  if (typeof field !== 'string' || typeof value !== 'string') throw invalidPolicyDocument('Invalid JSON.');
  return { kind, field, value, written: condition };
}

/** A condition as S3 quotes it in its error: `["starts-with", "$key", "user/"]`. */
function quoted(condition: Condition): string {
  return `[${condition.written.map((part) => JSON.stringify(part)).join(', ')}]`;
}

/**
 * Checks the policy against the form (its `${filename}` already expanded) and the bucket the form was posted
 * to: expired, a condition that does not hold, or a field no condition names are S3's AccessDenied. The file's
 * size is checked once it has arrived (checkSize).
 */
export function checkPolicy(policy: PostPolicy, fields: FormFields, bucket: string, now: Date): void {
  if (now.getTime() > policy.expiration.getTime()) throw postPolicyDenied('Policy expired.');
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') continue;
    if (condition.kind === 'never' || !condition.field.startsWith('$')) {
      throw postPolicyDenied(`Policy Condition failed: ${quoted(condition)}`);
    }
    const name = condition.field.slice(1).toLowerCase();
    covered.add(name);
    const actual = name === 'bucket' ? bucket : fields.get(name);
    if (actual === undefined || !holds(condition.kind, name, actual, condition.value)) {
      throw postPolicyDenied(`Policy Condition failed: ${quoted(condition)}`);
    }
  }
  const extra = fields.names.filter((name) => {
    const lower = name.toLowerCase();
    return !EXEMPT_FIELDS.has(lower) && !lower.startsWith('x-ignore-') && !covered.has(lower);
  });
  if (extra.length > 0) throw postPolicyDenied(`Extra input fields: ${extra.join(', ')}`);
}

function holds(kind: 'eq' | 'starts-with', name: string, actual: string, expected: string): boolean {
  if (kind === 'eq') return actual === expected;
  // A Content-Type with commas is a list, each of whose types must start with the prefix.
  const values = name === 'content-type' ? actual.split(',').map((value) => value.trim()) : [actual];
  return values.every((value) => value.startsWith(expected));
}

/** The file's size against the policy's content-length-range (bounds inclusive), as S3 checks it. */
export function sizeLimits(policy: PostPolicy): { min: number; max: number } | undefined {
  const ranges = policy.conditions.filter(
    (condition): condition is Extract<Condition, { kind: 'content-length-range' }> =>
      condition.kind === 'content-length-range',
  );
  if (ranges.length === 0) return undefined;
  return {
    min: Math.max(...ranges.map((range) => range.min)),
    max: Math.min(...ranges.map((range) => range.max)),
  };
}

export function checkSize(limits: { min: number; max: number } | undefined, size: number): void {
  if (!limits) return;
  if (size > limits.max) throw entityTooLarge(size, limits.max);
  if (size < limits.min) throw entityTooSmall(size, limits.min);
}
