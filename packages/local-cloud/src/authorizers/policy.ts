// The IAM policy a Lambda authorizer returns, evaluated as API Gateway evaluates it against the method ARN
// of the request (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`): a statement
// applies when one of its actions matches `execute-api:Invoke` and one of its resources matches the ARN,
// with `*` (any characters, `/` and `:` included) and `?` (one character) as wildcards. An applicable Deny
// wins over any Allow; without an applicable Allow the request is denied implicitly.
import { isRecord } from '../common/records';

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  /** As written, for log lines. */
  actions: string[];
  resources: string[];
  actionPatterns: RegExp[];
  resourcePatterns: RegExp[];
}

export interface CompiledPolicy {
  statements: PolicyStatement[];
}

export type PolicyParse = { ok: true; policy: CompiledPolicy } | { ok: false; problem: string };

/** The action every API Gateway method call is checked for. */
export const INVOKE_ACTION = 'execute-api:Invoke';

/**
 * Checks and compiles a `policyDocument`. `Statement` may be a list or a single statement, `Action` and
 * `Resource` a string or a list, as IAM's grammar allows. What API Gateway would fail on (no statements, an
 * Effect other than Allow or Deny, a statement without Action or Resource) gives the reason, for the
 * execution log; the gateway answers it with 500.
 */
export function parsePolicyDocument(raw: unknown): PolicyParse {
  if (!isRecord(raw)) return fail(`policyDocument is ${describe(raw)}, not an object`);
  const statementValue = raw.Statement;
  const statements = Array.isArray(statementValue)
    ? (statementValue as unknown[])
    : isRecord(statementValue)
      ? [statementValue]
      : undefined;
  if (!statements)
    return fail(`policyDocument.Statement is ${describe(statementValue)}, not a list of statements`);
  const compiled: PolicyStatement[] = [];
  for (const [index, statement] of statements.entries()) {
    const at = `policyDocument.Statement[${index}]`;
    if (!isRecord(statement)) return fail(`${at} is ${describe(statement)}, not an object`);
    for (const unsupported of ['NotAction', 'NotResource', 'Condition', 'NotPrincipal']) {
      if (statement[unsupported] !== undefined) {
        return fail(
          `${at} uses ${unsupported}, which local-cloud does not evaluate; use Action and Resource with wildcards`,
        );
      }
    }
    const { Effect: effect } = statement;
    if (effect !== 'Allow' && effect !== 'Deny') {
      return fail(`${at}.Effect is ${describe(effect)}; it must be "Allow" or "Deny"`);
    }
    const actions = stringList(statement.Action);
    if (!actions) return fail(`${at}.Action is ${describe(statement.Action)}; use "execute-api:Invoke"`);
    const resources = stringList(statement.Resource);
    if (!resources) {
      return fail(`${at}.Resource is ${describe(statement.Resource)}; use the method ARN or a pattern of it`);
    }
    compiled.push({
      effect,
      actions,
      resources,
      // IAM compares action names case-insensitively and resource ARNs case-sensitively.
      actionPatterns: actions.map((action) => wildcardPattern(action, 'i')),
      resourcePatterns: resources.map((resource) => wildcardPattern(resource, '')),
    });
  }
  if (compiled.length === 0) return fail('policyDocument.Statement is empty');
  return { ok: true, policy: { statements: compiled } };
}

export function evaluatePolicy(policy: CompiledPolicy, methodArn: string): PolicyDecision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!appliesTo(statement, methodArn)) continue;
    if (statement.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function appliesTo(statement: PolicyStatement, methodArn: string): boolean {
  return (
    statement.actionPatterns.some((pattern) => pattern.test(INVOKE_ACTION)) &&
    statement.resourcePatterns.some((pattern) => pattern.test(methodArn))
  );
}

/** Whether an IAM resource (or action) pattern with `*` and `?` matches the whole value. */
export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  return wildcardPattern(pattern, ignoreCase ? 'i' : '').test(value);
}

function wildcardPattern(pattern: string, flags: string): RegExp {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, `s${flags}`);
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string' && value !== '') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return value;
  }
  return undefined;
}

function fail(problem: string): PolicyParse {
  return { ok: false, problem };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
