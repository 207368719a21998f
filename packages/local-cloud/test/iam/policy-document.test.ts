// Reading policy documents as IAM does: the grammar of "IAM JSON policy language grammar"
// (reference_policies_grammar.html) and the MalformedPolicyDocument messages IAM answers PutRolePolicy and
// CreatePolicy with ("Policy statement must contain actions.", "Syntax errors in policy.", ...).
import {
  MalformedPolicyDocumentError,
  parsePolicyDocument,
  parseStatements,
} from '../../src/iam/policy-document';

const WHERE = 'the role of function resize';
const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' };
const document = (statements: unknown, extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: statements,
  ...extra,
});

/** The error parsing `value` throws (a test failure if it does not). */
function refusal(value: unknown, parse = parsePolicyDocument): MalformedPolicyDocumentError {
  try {
    parse(value, WHERE);
  } catch (error) {
    if (error instanceof MalformedPolicyDocumentError) return error;
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('documents IAM accepts', () => {
  it('reads JSON text and objects alike; a single Statement object becomes a list', () => {
    const expected = { Version: '2012-10-17', Statement: [statement] };
    expect(parsePolicyDocument(JSON.stringify(document(statement)), WHERE)).toEqual(expected);
    expect(parsePolicyDocument(document(statement), WHERE)).toEqual(expected);
    expect(parsePolicyDocument(document([statement]), WHERE)).toEqual(expected);
  });

  it('keeps Action and Resource strings as strings, lists as lists, and every other element', () => {
    const full = {
      Sid: 'TopicPolicy',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: ['SNS:Publish'],
      Resource: 'arn:aws:sns:us-east-1:123456789012:uploads',
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*-uploads' }, NumericLessThan: { 'x:n': 3 } },
    };
    expect(parsePolicyDocument(document(full, { Id: 'uploads-policy' }), WHERE)).toEqual({
      Version: '2012-10-17',
      Id: 'uploads-policy',
      Statement: [full],
    });
    const negated = { Effect: 'Deny', NotAction: 'iam:*', NotResource: ['*'], NotPrincipal: '*' };
    expect(parsePolicyDocument(document(negated), WHERE).Statement).toEqual([negated]);
  });

  it('accepts the 2008-10-17 language and a document without Version (an inline policy)', () => {
    expect(parsePolicyDocument(document(statement, { Version: '2008-10-17' }), WHERE).Version).toBe(
      '2008-10-17',
    );
    expect(parsePolicyDocument({ Statement: statement }, WHERE)).toEqual({ Statement: [statement] });
  });

  it('accepts * as action and resource, wildcards in service prefixes and an empty Condition', () => {
    const wide = {
      Effect: 'Allow',
      Action: ['*', 'dynamodb:*', 's3:Get?bject'],
      Resource: '*',
      Condition: {},
    };
    expect(parsePolicyDocument(document(wide), WHERE).Statement).toEqual([wide]);
  });

  it('leaves unknown condition operators to the evaluator (which skips the statement, saying why)', () => {
    const typo = { ...statement, Condition: { StringEqualz: { 's3:prefix': 'a' } } };
    expect(parsePolicyDocument(document(typo), WHERE).Statement).toEqual([typo]);
  });
});

describe('parseStatements: provider.iam.role.statements of serverless.yml', () => {
  it('wraps the list in a 2012-10-17 document, so policy variables work', () => {
    expect(parseStatements([statement], WHERE)).toEqual({ Version: '2012-10-17', Statement: [statement] });
    expect(parseStatements([], WHERE)).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('refuses what is not a list, and bad statements as parsePolicyDocument does', () => {
    expect(refusal(statement, parseStatements).reason).toBe('Syntax errors in policy.');
    const error = refusal([statement, { Effect: 'Allow', Resource: '*' }], parseStatements);
    expect(error.reason).toBe('Policy statement must contain actions.');
    expect(error.message).toBe(`Policy statement must contain actions. (${WHERE}, statement 2)`);
  });
});

describe('documents IAM refuses with MalformedPolicyDocument', () => {
  it.each<[string, unknown, string]>([
    ['text that is not JSON', '{"Version": "2012-10-17", ', 'Syntax errors in policy.'],
    ['a document that is not an object', '[]', 'Syntax errors in policy.'],
    ['no Statement', { Version: '2012-10-17' }, 'Syntax errors in policy.'],
    ['an empty Statement list', document([]), 'Syntax errors in policy.'],
    ['a statement that is not an object', document(['afd']), 'Syntax errors in policy.'],
    [
      'an unknown top-level field',
      document(statement, { 'Extra field': 'value' }),
      'Syntax errors in policy.',
    ],
    ['an unknown statement field', document({ ...statement, Actions: 's3:*' }), 'Syntax errors in policy.'],
    [
      'a Version other than 2012-10-17 or 2008-10-17',
      document(statement, { Version: '2013-10-17' }),
      'Syntax errors in policy.',
    ],
    ['an Id that is not a string', document(statement, { Id: ['x'] }), 'Syntax errors in policy.'],
    ['a Sid that is not a string', document({ ...statement, Sid: {} }), 'Syntax errors in policy.'],
    ['no Effect', document({ Action: 's3:*', Resource: '*' }), 'Syntax errors in policy.'],
    [
      'an Effect other than Allow or Deny',
      document({ ...statement, Effect: 'invalid' }),
      'Syntax errors in policy.',
    ],
    [
      'a miscased Effect ("The Effect value is case sensitive")',
      document({ ...statement, Effect: 'allow' }),
      'The policy failed legacy parsing',
    ],
    [
      'neither Action nor NotAction',
      document({ Effect: 'Allow', Resource: '*' }),
      'Policy statement must contain actions.',
    ],
    [
      'an empty Action list',
      document({ ...statement, Action: [] }),
      'Policy statement must contain actions.',
    ],
    ['both Action and NotAction', document({ ...statement, NotAction: 'iam:*' }), 'Syntax errors in policy.'],
    [
      'an action that is not a string',
      document({ ...statement, Action: ['s3:GetObject', 3] }),
      'Syntax errors in policy.',
    ],
    ['an Action that is an object', document({ ...statement, Action: {} }), 'Syntax errors in policy.'],
    [
      'an action without a service prefix (Query for dynamodb:Query)',
      document({ ...statement, Action: 'Query' }),
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [
      'an empty NotAction',
      document({ Effect: 'Allow', NotAction: '', Resource: '*' }),
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [
      'an action with two colons',
      document({ ...statement, Action: 's3:List:Bucket' }),
      'Actions/Condition can contain only one colon.',
    ],
    [
      'a vendor with a space',
      document({ ...statement, Action: 'a a:ListBucket' }),
      'Vendor a a is not valid',
    ],
    [
      'neither Resource nor NotResource',
      document({ Effect: 'Allow', Action: 's3:*' }),
      'Policy statement must contain resources.',
    ],
    [
      'an empty Resource list',
      document({ ...statement, Resource: [] }),
      'Policy statement must contain resources.',
    ],
    [
      'both Resource and NotResource',
      document({ ...statement, NotResource: '*' }),
      'Syntax errors in policy.',
    ],
    [
      'a Resource that is an object',
      document({ ...statement, Resource: { a: 'arn:aws:s3:::b' } }),
      'Syntax errors in policy.',
    ],
    [
      'a resource that is no ARN',
      document({ ...statement, Resource: 'invalid resource' }),
      'Resource invalid resource must be in ARN format or "*".',
    ],
    [
      'both Principal and NotPrincipal',
      document({ ...statement, Principal: '*', NotPrincipal: '*' }),
      'Syntax errors in policy.',
    ],
    [
      'a Principal that is neither * nor a map',
      document({ ...statement, Principal: ['*'] }),
      'Syntax errors in policy.',
    ],
    [
      'a Principal entry that is not a string',
      document({ ...statement, Principal: { AWS: [1] } }),
      'Syntax errors in policy.',
    ],
    ['a Condition that is a list', document({ ...statement, Condition: [] }), 'Syntax errors in policy.'],
    [
      'a condition operator whose value is no map',
      document({ ...statement, Condition: { StringEquals: 'b' } }),
      'Syntax errors in policy.',
    ],
    [
      'a condition value that is an object',
      document({ ...statement, Condition: { DateGreaterThan: { a: {} } } }),
      'Syntax errors in policy.',
    ],
    [
      'two statements with one Sid',
      document([
        { ...statement, Sid: 'sdf' },
        { ...statement, Sid: 'sdf' },
      ]),
      'Statement IDs (SID) in a single policy must be unique.',
    ],
  ])('refuses %s', (_, value, reason) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(MalformedPolicyDocumentError);
    expect(error.code).toBe('MalformedPolicyDocument');
    expect(error.reason).toBe(reason);
    expect(error.message.startsWith(`${reason} (${WHERE}`)).toBe(true);
  });

  it('says which statement is wrong', () => {
    const error = refusal(document([statement, { ...statement, Action: 'Query' }]));
    expect(error.where).toBe(`${WHERE}, statement 2: Action "Query"`);
  });
});
