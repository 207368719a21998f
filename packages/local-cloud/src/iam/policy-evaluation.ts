// Decides whether a set of IAM policies allows a request, as AWS's policy evaluation logic does
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): "an explicit
// deny in any policy overrides any allows", a statement that allows is needed for anything else, and without
// one the request is implicitly denied. Identity policies (a function role's) and resource policies (a queue's,
// a topic's, whose statements apply only to the principals they name) go through the same statements.
//
// Policies change rarely and every AWS call a function makes is authorized, so `createPolicyEvaluator`
// compiles them once (wildcards into RegExps, conditions into tests) and an evaluation only runs them.
import {
  cachedRegExp,
  compileCondition,
  contextKeys,
  fixedPieces,
  parsePolicyString,
  resolvePolicyString,
  wildcardRegExp,
  wildcardSource,
  type ContextKeys,
  type PolicyString,
} from './condition-operators';
import type {
  AuthorizationRequest,
  Decision,
  DecidingStatement,
  NamedPolicy,
  OneOrMany,
  PolicyStatement,
  RequestPrincipal,
} from './policy-types';

/** A statement the evaluator leaves out (it then allows and denies nothing), and why: for a log line. */
export interface SkippedStatement {
  by: DecidingStatement;
  reason: string;
}

export type PolicyEvaluator = ((request: AuthorizationRequest, principal?: RequestPrincipal) => Decision) & {
  /** Statements that apply to nothing because local-cloud cannot evaluate them (an unknown operator, ...). */
  readonly skipped: readonly SkippedStatement[];
};

type Lazy<T> = () => T;

interface CompiledStatement {
  by: DecidingStatement;
  effect: 'Allow' | 'Deny';
  action(action: string): boolean;
  resource(resource: string, keys: Lazy<ContextKeys>): boolean;
  principal(principal: RequestPrincipal | undefined): boolean;
  condition(keys: Lazy<ContextKeys>): boolean;
}

/**
 * Compiles `policies` into one evaluator. `kind: 'resource'`: a statement applies only to the principals its
 * `Principal` names (or its `NotPrincipal` does not); `'identity'`: to the identity the policies belong to.
 */
export function createPolicyEvaluator(
  policies: NamedPolicy[],
  kind: 'identity' | 'resource',
): PolicyEvaluator {
  const skipped: SkippedStatement[] = [];
  const statements = policies.flatMap((policy) =>
    policy.document.Statement.flatMap((statement, index) => {
      const by = { policy: policy.name, statement: statement.Sid || `statement ${index + 1}` };
      const compiled = compileStatement(statement, by, kind, policy.document.Version === '2012-10-17');
      if (typeof compiled === 'string') {
        skipped.push({ by, reason: compiled });
        return [];
      }
      return [compiled];
    }),
  );
  const evaluate = (request: AuthorizationRequest, principal?: RequestPrincipal): Decision => {
    let keys: ContextKeys | undefined;
    const lazyKeys = () => (keys ??= contextKeys(request.context));
    let allowedBy: DecidingStatement | undefined;
    for (const statement of statements) {
      if (!applies(statement, request, principal, lazyKeys)) continue;
      if (statement.effect === 'Deny') return { effect: 'explicit-deny', by: statement.by };
      allowedBy ??= statement.by;
    }
    return allowedBy ? { effect: 'allow', by: allowedBy } : { effect: 'implicit-deny' };
  };
  return Object.assign(evaluate, { skipped });
}

/** Cheapest first: the action rules most statements out. */
function applies(
  statement: CompiledStatement,
  request: AuthorizationRequest,
  principal: RequestPrincipal | undefined,
  keys: Lazy<ContextKeys>,
): boolean {
  return (
    statement.action(request.action) &&
    statement.resource(request.resource, keys) &&
    statement.principal(principal) &&
    statement.condition(keys)
  );
}

/**
 * For a request both an identity policy and a resource policy of the same account decide: "an explicit deny
 * in any of these policies overrides the allow", and otherwise an allow in either is enough.
 */
export function combineDecisions(identity: Decision, resource: Decision): Decision {
  if (identity.effect === 'explicit-deny') return identity;
  if (resource.effect === 'explicit-deny') return resource;
  if (identity.effect === 'allow') return identity;
  return resource;
}

function compileStatement(
  statement: PolicyStatement,
  by: DecidingStatement,
  kind: 'identity' | 'resource',
  variables: boolean,
): CompiledStatement | string {
  const condition = compileCondition(statement.Condition, { variables });
  if ('unevaluable' in condition) return condition.unevaluable;
  const principal = kind === 'resource' ? principalTest(statement) : () => true;
  if (!principal) return 'a statement of a resource-based policy must name a Principal or a NotPrincipal';
  return {
    by,
    effect: statement.Effect,
    action: actionTest(statement),
    resource: resourceTest(statement, variables),
    principal,
    condition: statement.Condition ? (keys) => condition.test(keys()) : () => true,
  };
}

const listOf = (value: OneOrMany<string> | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Action / NotAction: "The prefix and the action name are case insensitive", with `*` and `?`. One RegExp for
 * all of a statement's actions.
 */
function actionTest(statement: PolicyStatement): (action: string) => boolean {
  const negated = statement.Action === undefined;
  const actions = listOf(statement.Action ?? statement.NotAction);
  const sources = actions.map((action) => wildcardSource([{ text: action, literal: false }], 'plain'));
  const regExp = cachedRegExp(`^(?:${sources.join('|')})$`, 'is');
  return (action) => regExp.test(action) !== negated;
}

/**
 * Resource / NotResource, case-sensitive, with the Resource element's wildcard rules. Variables may stand
 * only "in the resource portion of the ARN. This portion of the ARN appears after the fifth colon"; a resource
 * whose variable has no value "will not match any resource".
 */
function resourceTest(
  statement: PolicyStatement,
  variables: boolean,
): (resource: string, keys: Lazy<ContextKeys>) => boolean {
  const negated = statement.Resource === undefined;
  const templates = listOf(statement.Resource ?? statement.NotResource).map((resource) =>
    resourceTemplate(resource, variables),
  );
  const fixed = templates.filter((template) => !template.variables);
  const withVariables = templates.filter((template) => template.variables);
  const fixedSources = fixed.map((template) => `(?:${wildcardSource(fixedPieces(template), 'resource')})`);
  const fixedRegExp = fixed.length > 0 ? cachedRegExp(`^(?:${fixedSources.join('|')})$`, 's') : undefined;
  const matchesVariable = (resource: string, keys: ContextKeys) =>
    withVariables.some((template) => {
      const pieces = resolvePolicyString(template, keys);
      return pieces !== undefined && wildcardRegExp(pieces, 'resource').test(resource);
    });
  return (resource, keys) => {
    const matches =
      fixedRegExp?.test(resource) === true || (withVariables.length > 0 && matchesVariable(resource, keys()));
    return matches !== negated;
  };
}

function resourceTemplate(resource: string, variables: boolean): PolicyString {
  const fifthColon = nthIndexOf(resource, ':', 5);
  if (fifthColon < 0) return parsePolicyString(resource, false);
  const tail = parsePolicyString(resource.slice(fifthColon + 1), variables);
  return {
    parts: [{ text: resource.slice(0, fifthColon + 1), literal: false }, ...tail.parts],
    variables: tail.variables,
  };
}

function nthIndexOf(text: string, char: string, n: number): number {
  let index = -1;
  for (let found = 0; found < n; found += 1) {
    index = text.indexOf(char, index + 1);
    if (index < 0) return -1;
  }
  return index;
}

type PrincipalElement = NonNullable<PolicyStatement['Principal']>;

/** The statement's principal test for a resource-based policy; undefined when it names none. */
function principalTest(statement: PolicyStatement): ((principal?: RequestPrincipal) => boolean) | undefined {
  if (statement.Principal !== undefined) return principalMatcher(statement.Principal);
  if (statement.NotPrincipal === undefined) return undefined;
  // NotPrincipal: everyone but those named.
  const named = principalMatcher(statement.NotPrincipal);
  return (principal) => !named(principal);
}

/**
 * `"*"` and `{"AWS": "*"}`: everyone, services and anonymous callers included. An account (`123456789012` or
 * `arn:aws:iam::123456789012:root`): every principal of that account. A role ARN: the role's sessions too.
 * `{"Service": "s3.amazonaws.com"}`: that service acting (a notification, a delivery).
 */
function principalMatcher(element: PrincipalElement): (principal?: RequestPrincipal) => boolean {
  if (element === '*') return () => true;
  const aws = listOf(element.AWS);
  if (aws.includes('*')) return () => true;
  const services = new Set(listOf(element.Service).map((service) => service.toLowerCase()));
  const accounts = new Set(aws.flatMap((entry) => accountOf(entry) ?? []));
  const arns = new Set(aws);
  return (principal) => {
    if (!principal) return false;
    if (principal.service !== undefined) return services.has(principal.service.toLowerCase());
    return (
      accounts.has(principal.accountId) ||
      arns.has(principal.arn) ||
      (principal.roleArn !== undefined && arns.has(principal.roleArn))
    );
  };
}

/** The account an `AWS` principal entry names as a whole: `123456789012` or `arn:aws:iam::123456789012:root`. */
function accountOf(entry: string): string | undefined {
  return /^(\d{12})$/.exec(entry)?.[1] ?? /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry)?.[1];
}
