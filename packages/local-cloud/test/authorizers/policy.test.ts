// The IAM policy evaluation API Gateway applies to an authorizer's output: wildcards in Resource and Action,
// explicit Deny over Allow, implicit deny, and the policies it refuses as malformed.
import {
  evaluatePolicy,
  matchesWildcard,
  parsePolicyDocument,
  type CompiledPolicy,
} from '../../src/authorizers/policy';
import { API_ARN, methodArn } from './support/authorizer-fixtures';

function compile(statements: unknown): CompiledPolicy {
  const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.policy;
}

const allow = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({
  Effect: 'Allow',
  Action,
  Resource,
});
const deny = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({
  Effect: 'Deny',
  Action,
  Resource,
});

describe('resource patterns', () => {
  it.each([
    [methodArn('GET', '/groups/42'), true],
    [`${API_ARN}/dev/GET/groups/*`, true],
    [`${API_ARN}/dev/*/groups/42`, true],
    [`${API_ARN}/dev/*`, true],
    [`${API_ARN}/*`, true],
    ['arn:aws:execute-api:*:*:*', true],
    ['*', true],
    [`${API_ARN}/dev/GET/groups/4?`, true],
    [`${API_ARN}/dev/GET/groups/?`, false],
    [`${API_ARN}/dev/POST/groups/*`, false],
    [`${API_ARN}/prod/*`, false],
    [`${API_ARN}/dev/GET/groups`, false],
    [`${API_ARN}/dev/get/groups/42`, false],
  ])('%s matches GET /groups/42: %s', (resource, expected) => {
    const decision = evaluatePolicy(compile([allow(resource)]), methodArn('GET', '/groups/42'));

    expect(decision).toBe(expected ? 'allow' : 'implicit-deny');
  });

  it('matches the root resource, whose method ARN ends with a slash', () => {
    expect(evaluatePolicy(compile([allow(`${API_ARN}/dev/GET/`)]), methodArn('GET', '/'))).toBe('allow');
  });

  it('treats regular-expression characters in a pattern literally', () => {
    expect(matchesWildcard('a.c', 'abc')).toBe(false);
    expect(matchesWildcard('a+(b)', 'a+(b)')).toBe(true);
  });

  it('accepts a list of resources', () => {
    const policy = compile([allow([methodArn('GET', '/a'), methodArn('GET', '/b')])]);

    expect(evaluatePolicy(policy, methodArn('GET', '/b'))).toBe('allow');
    expect(evaluatePolicy(policy, methodArn('GET', '/c'))).toBe('implicit-deny');
  });
});

describe('actions', () => {
  it.each([
    ['execute-api:Invoke', 'allow'],
    ['execute-api:*', 'allow'],
    ['*', 'allow'],
    ['EXECUTE-API:invoke', 'allow'],
    [['s3:GetObject', 'execute-api:Invoke'], 'allow'],
    ['execute-api:ManageConnections', 'implicit-deny'],
    ['s3:*', 'implicit-deny'],
  ])('%j applies to a method call: %s', (action, expected) => {
    expect(evaluatePolicy(compile([allow('*', action)]), methodArn('GET', '/groups'))).toBe(expected);
  });
});

describe('decisions', () => {
  it('lets an explicit Deny win over any Allow', () => {
    const policy = compile([allow('*'), deny(methodArn('DELETE', '/groups/*'))]);

    expect(evaluatePolicy(policy, methodArn('DELETE', '/groups/1'))).toBe('explicit-deny');
    expect(evaluatePolicy(policy, methodArn('GET', '/groups/1'))).toBe('allow');
  });

  it('denies implicitly when no statement applies', () => {
    expect(evaluatePolicy(compile([deny(methodArn('GET', '/a'))]), methodArn('GET', '/b'))).toBe(
      'implicit-deny',
    );
  });

  it('accepts a single statement object, as IAM grammar allows', () => {
    const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: allow('*') });

    expect(parsed.ok && evaluatePolicy(parsed.policy, methodArn('GET', '/'))).toBe('allow');
  });
});

describe('malformed policies', () => {
  it.each([
    ['not an object', 'Allow', /policyDocument is "Allow"/],
    ['no Statement', { Version: '2012-10-17' }, /Statement is missing/],
    ['an empty Statement list', { Statement: [] }, /Statement is empty/],
    [
      'a lower-case effect',
      { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] },
      /Effect is "allow"/,
    ],
    ['no Action', { Statement: [{ Effect: 'Allow', Resource: '*' }] }, /Action is missing/],
    [
      'an empty Resource list',
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: [] }] },
      /Resource is \[\]/,
    ],
    [
      'a Condition',
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: {} } }] },
      /uses Condition, which local-cloud does not evaluate/,
    ],
  ])('refuses a policy with %s, saying why', (_, document, problem) => {
    const parsed = parsePolicyDocument(document);

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });
});
