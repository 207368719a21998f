// Reads an IAM policy document (JSON text or an object, CloudFormation intrinsics already resolved) into the
// shape the evaluator compiles, refusing what IAM refuses with MalformedPolicyDocument, in IAM's words
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html; the messages are those
// IAM answers PutRolePolicy and CreatePolicy with). Checking here, once, lets the evaluator trust every field.
import { isRecord } from '../common/records';
import type { OneOrMany, PolicyDocument, PolicyStatement } from './policy-types';

/** IAM's MalformedPolicyDocument: `reason` is IAM's message, `where` says which policy (and statement). */
export class MalformedPolicyDocumentError extends Error {
  readonly code = 'MalformedPolicyDocument';

  constructor(
    readonly reason: string,
    readonly where: string,
  ) {
    super(`${reason} (${where})`);
    this.name = 'MalformedPolicyDocumentError';
  }
}

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';
const NO_ACTIONS = 'Policy statement must contain actions.';
const NO_RESOURCES = 'Policy statement must contain resources.';
const NO_VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
const ONE_COLON = 'Actions/Condition can contain only one colon.';
const UNIQUE_SIDS = 'Statement IDs (SID) in a single policy must be unique.';

/** 2008-10-17 is the older language (no policy variables); IAM still accepts it and a document with none. */
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/** A policy document as JSON text or as an object; a single `Statement` object becomes a one-item array. */
export function parsePolicyDocument(value: unknown, where: string): PolicyDocument {
  const document = typeof value === 'string' ? parseJson(value, where) : value;
  if (!isRecord(document)) throw new MalformedPolicyDocumentError(SYNTAX, where);
  const unknown = Object.keys(document).find((key) => !DOCUMENT_KEYS.has(key));
  if (unknown !== undefined)
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: unknown field ${unknown}`);
  const { Version: version, Id: id, Statement: statement } = document;
  if (version !== undefined && (typeof version !== 'string' || !VERSIONS.has(version))) {
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: Version ${JSON.stringify(version)}`);
  }
  if (id !== undefined && typeof id !== 'string') throw new MalformedPolicyDocumentError(SYNTAX, where);
  if (statement === undefined) throw new MalformedPolicyDocumentError(SYNTAX, `${where}: no Statement`);
  const list: unknown[] = Array.isArray(statement) ? statement : [statement];
  if (list.length === 0) throw new MalformedPolicyDocumentError(SYNTAX, `${where}: an empty Statement`);
  return {
    ...(version !== undefined && { Version: version }),
    ...(id !== undefined && { Id: id }),
    Statement: parseStatementList(list, where),
  };
}

/**
 * A bare statements array, as serverless.yml writes `provider.iam.role.statements`; the Framework puts them in
 * a `2012-10-17` document, so policy variables work. An empty list grants nothing.
 */
export function parseStatements(statements: unknown, where: string): PolicyDocument {
  if (!Array.isArray(statements)) {
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: statements are not a list`);
  }
  return { Version: '2012-10-17', Statement: parseStatementList(statements, where) };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: not JSON`);
  }
}

function parseStatementList(list: unknown[], where: string): PolicyStatement[] {
  const statements = list.map((statement, index) =>
    parseStatement(statement, `${where}, statement ${index + 1}`),
  );
  const sids = statements.flatMap((statement) => (statement.Sid ? [statement.Sid] : []));
  if (new Set(sids).size !== sids.length) throw new MalformedPolicyDocumentError(UNIQUE_SIDS, where);
  return statements;
}

function parseStatement(statement: unknown, where: string): PolicyStatement {
  if (!isRecord(statement)) throw new MalformedPolicyDocumentError(SYNTAX, `${where}: not an object`);
  const unknown = Object.keys(statement).find((key) => !STATEMENT_KEYS.has(key));
  if (unknown !== undefined)
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: unknown field ${unknown}`);
  const sid = statement.Sid;
  if (sid !== undefined && typeof sid !== 'string') throw new MalformedPolicyDocumentError(SYNTAX, where);
  const parsed: PolicyStatement = {
    ...(sid !== undefined && { Sid: sid }),
    Effect: effectOf(statement.Effect, where),
    ...actionsOf(statement, where),
    ...resourcesOf(statement, where),
    ...principalsOf(statement, where),
  };
  if (statement.Condition !== undefined) parsed.Condition = conditionOf(statement.Condition, where);
  return parsed;
}

function effectOf(effect: unknown, where: string): 'Allow' | 'Deny' {
  if (effect === 'Allow' || effect === 'Deny') return effect;
  // "The Effect value is case sensitive": IAM words a miscased one differently from any other value.
  const miscased = typeof effect === 'string' && ['allow', 'deny'].includes(effect.toLowerCase());
  throw new MalformedPolicyDocumentError(
    miscased ? LEGACY : SYNTAX,
    `${where}: Effect ${JSON.stringify(effect)}`,
  );
}

/** Exactly one of two fields (Action or NotAction, ...), as a list of strings; both is a syntax error. */
function oneOf(
  statement: Record<string, unknown>,
  field: string,
  where: string,
  missing: string,
): { name: string; list: string[]; value: OneOrMany<string> } {
  const value = statement[field];
  const negated = statement[`Not${field}`];
  if (value !== undefined && negated !== undefined) {
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: both ${field} and Not${field}`);
  }
  const [name, given] = value !== undefined ? [field, value] : [`Not${field}`, negated];
  if (given === undefined) throw new MalformedPolicyDocumentError(missing, where);
  const list: unknown[] = Array.isArray(given) ? given : [given];
  if (!list.every((item): item is string => typeof item === 'string')) {
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: ${name} holds something other than strings`);
  }
  if (list.length === 0) throw new MalformedPolicyDocumentError(missing, where);
  return { name, list, value: given as OneOrMany<string> };
}

function actionsOf(statement: Record<string, unknown>, where: string): Partial<PolicyStatement> {
  const { name, list, value } = oneOf(statement, 'Action', where, NO_ACTIONS);
  for (const action of list) checkAction(action, `${where}: ${name} ${JSON.stringify(action)}`);
  return { [name]: value };
}

/** `service:Action`: a vendor, one colon; only `*` may stand alone. */
function checkAction(action: string, where: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length === 1) throw new MalformedPolicyDocumentError(NO_VENDOR, where);
  if (parts.length > 2) throw new MalformedPolicyDocumentError(ONE_COLON, where);
  const vendor = parts[0] ?? '';
  if (!/^[a-zA-Z0-9\-.*?]+$/.test(vendor)) {
    throw new MalformedPolicyDocumentError(`Vendor ${vendor} is not valid`, where);
  }
}

function resourcesOf(statement: Record<string, unknown>, where: string): Partial<PolicyStatement> {
  const { name, list, value } = oneOf(statement, 'Resource', where, NO_RESOURCES);
  const bad = list.find((resource) => resource !== '*' && !resource.startsWith('arn:'));
  if (bad !== undefined) {
    throw new MalformedPolicyDocumentError(`Resource ${bad} must be in ARN format or "*".`, where);
  }
  return { [name]: value };
}

function principalsOf(statement: Record<string, unknown>, where: string): Partial<PolicyStatement> {
  const { Principal: principal, NotPrincipal: notPrincipal } = statement;
  if (principal !== undefined && notPrincipal !== undefined) {
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: both Principal and NotPrincipal`);
  }
  if (principal !== undefined) return { Principal: principalOf(principal, where) };
  if (notPrincipal !== undefined) return { NotPrincipal: principalOf(notPrincipal, where) };
  return {};
}

/** `*`, or a map of principal types (`AWS`, `Service`, `Federated`, `CanonicalUser`) to strings. */
function principalOf(principal: unknown, where: string): '*' | Record<string, OneOrMany<string>> {
  if (principal === '*') return principal;
  if (!isRecord(principal) || Object.keys(principal).length === 0) {
    throw new MalformedPolicyDocumentError(SYNTAX, `${where}: Principal`);
  }
  for (const entries of Object.values(principal)) {
    const list: unknown[] = Array.isArray(entries) ? entries : [entries];
    if (list.length === 0 || !list.every((entry) => typeof entry === 'string')) {
      throw new MalformedPolicyDocumentError(SYNTAX, `${where}: Principal`);
    }
  }
  return principal as Record<string, OneOrMany<string>>;
}

type ConditionBlock = NonNullable<PolicyStatement['Condition']>;

/**
 * `{ operator: { key: value or values } }` with strings, numbers and booleans as values. Which operators exist
 * is the evaluator's business (an unknown one makes its statement apply to nothing, with a reason).
 */
function conditionOf(condition: unknown, where: string): ConditionBlock {
  if (!isRecord(condition)) throw new MalformedPolicyDocumentError(SYNTAX, `${where}: Condition`);
  for (const [operator, test] of Object.entries(condition)) {
    if (!isRecord(test)) throw new MalformedPolicyDocumentError(SYNTAX, `${where}: Condition ${operator}`);
    for (const [key, values] of Object.entries(test)) {
      const list: unknown[] = Array.isArray(values) ? values : [values];
      if (!list.every(isConditionValue)) {
        throw new MalformedPolicyDocumentError(SYNTAX, `${where}: Condition ${operator} ${key}`);
      }
    }
  }
  return condition as ConditionBlock;
}

function isConditionValue(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
