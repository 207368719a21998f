// The Condition element against the examples of AWS's IAM User Guide: "IAM JSON policy elements: Condition
// operators" (reference_policies_elements_condition_operators.html), "Conditions with multiple context keys
// or values" (reference_policies_condition-logic-multiple-context-keys-or-values.html), "Single-valued vs.
// multivalued context keys" and "Creating a condition that tests multiple key values"
// (reference_policies_multi-value-conditions.html), and "IAM policy elements: Variables and tags"
// (reference_policies_variables.html).
import { evaluateCondition } from '../../src/iam/condition-operators';
import type { AuthorizationRequest, PolicyStatement } from '../../src/iam/policy-types';

type Condition = NonNullable<PolicyStatement['Condition']>;
type Context = AuthorizationRequest['context'];

/** Whether `condition` holds for `context` (a 2012-10-17 policy unless `variables` is false). */
function holds(condition: Condition, context: Context, variables = true): boolean {
  const result = evaluateCondition(condition, context, { variables });
  if ('unevaluable' in result) throw new Error(result.unevaluable);
  return result.matches;
}

describe('string condition operators', () => {
  const jobCategory = { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } };

  it('StringEquals matches exactly, case-sensitively; an absent key does not match (the job-category example)', () => {
    expect(holds(jobCategory, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe(true);
    expect(holds(jobCategory, { 'aws:PrincipalTag/job-category': 'IAMUSER-ADMIN' })).toBe(false);
    // "If a user without the tag attempts to view or edit an access key, the condition returns false"
    expect(holds(jobCategory, {})).toBe(false);
  });

  it('StringNotEquals is true for an absent key ("the condition is true" for negated operators)', () => {
    const condition = { StringNotEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } };
    expect(holds(condition, {})).toBe(true);
    expect(holds(condition, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe(false);
    expect(holds(condition, { 'aws:PrincipalTag/job-category': 'other' })).toBe(true);
  });

  it('StringEqualsIgnoreCase and StringNotEqualsIgnoreCase ignore case', () => {
    expect(
      holds(
        { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'Blue' } },
        { 'aws:PrincipalTag/team': 'BLUE' },
      ),
    ).toBe(true);
    expect(
      holds(
        { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'Blue' } },
        { 'aws:PrincipalTag/team': 'blue' },
      ),
    ).toBe(false);
  });

  it('StringLike with a policy variable: the S3 home-directory example ("", "home/", "home/${aws:username}/")', () => {
    const condition = { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } };
    expect(holds(condition, { 's3:prefix': '', 'aws:username': 'David' })).toBe(true);
    expect(holds(condition, { 's3:prefix': 'home/', 'aws:username': 'David' })).toBe(true);
    expect(holds(condition, { 's3:prefix': 'home/David/', 'aws:username': 'David' })).toBe(true);
    expect(holds(condition, { 's3:prefix': 'home/Maria/', 'aws:username': 'David' })).toBe(false);
  });

  it('StringLike: * is any run of characters, ? exactly one, case-sensitively', () => {
    const condition = { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm?.large'] } };
    expect(holds(condition, { 'ec2:InstanceType': 't2.micro' })).toBe(true);
    expect(holds(condition, { 'ec2:InstanceType': 'm5.large' })).toBe(true);
    expect(holds(condition, { 'ec2:InstanceType': 'm10.large' })).toBe(false);
    expect(holds(condition, { 'ec2:InstanceType': 'T2.micro' })).toBe(false);
  });

  it('StringNotLike is true when the key is absent (the "Important" note of the operators page)', () => {
    expect(holds({ StringNotLike: { 's3:prefix': 'private/*' } }, {})).toBe(true);
    expect(holds({ StringNotLike: { 's3:prefix': 'private/*' } }, { 's3:prefix': 'private/a' })).toBe(false);
  });
});

describe('numeric, date, Boolean and binary condition operators', () => {
  it('NumericLessThanEquals s3:max-keys "10" (the ListBucket example)', () => {
    const condition = { NumericLessThanEquals: { 's3:max-keys': '10' } };
    expect(holds(condition, { 's3:max-keys': '10' })).toBe(true);
    expect(holds(condition, { 's3:max-keys': '2' })).toBe(true);
    expect(holds(condition, { 's3:max-keys': '11' })).toBe(false);
    expect(holds(condition, { 's3:max-keys': 'ten' })).toBe(false);
    expect(holds(condition, {})).toBe(false);
  });

  it('the other numeric operators, numbers as JSON numbers too', () => {
    const maxKeys = { 's3:max-keys': '10' };
    expect(holds({ NumericEquals: { 's3:max-keys': 10 } }, maxKeys)).toBe(true);
    expect(holds({ NumericNotEquals: { 's3:max-keys': [10, 20] } }, maxKeys)).toBe(false);
    expect(holds({ NumericNotEquals: { 's3:max-keys': [5, 20] } }, maxKeys)).toBe(true);
    expect(holds({ NumericLessThan: { 's3:max-keys': '10' } }, maxKeys)).toBe(false);
    expect(holds({ NumericGreaterThan: { 's3:max-keys': '9.5' } }, maxKeys)).toBe(true);
    expect(holds({ NumericGreaterThanEquals: { 's3:max-keys': '10' } }, maxKeys)).toBe(true);
  });

  it('DateGreaterThan aws:TokenIssueTime "2020-01-01T00:00:01Z": ISO 8601 or epoch seconds; absent is false', () => {
    const condition = { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } };
    expect(holds(condition, { 'aws:TokenIssueTime': '2020-06-01T12:00:00Z' })).toBe(true);
    expect(holds(condition, { 'aws:TokenIssueTime': '2019-12-31T23:59:59Z' })).toBe(false);
    expect(holds(condition, { 'aws:TokenIssueTime': '1590000000' })).toBe(true);
    // "The aws:TokenIssueTime key is present in the request context only when the principal uses temporary
    // credentials": an IAM user's request is denied.
    expect(holds(condition, {})).toBe(false);
  });

  it('the other date operators (aws:CurrentTime between two dates, the date-range example)', () => {
    const condition = {
      DateGreaterThan: { 'aws:CurrentTime': '2017-07-01T00:00:00Z' },
      DateLessThan: { 'aws:CurrentTime': '2017-12-31T23:59:59Z' },
    };
    expect(holds(condition, { 'aws:CurrentTime': '2017-09-01T00:00:00Z' })).toBe(true);
    expect(holds(condition, { 'aws:CurrentTime': '2018-01-01T00:00:00Z' })).toBe(false);
    expect(holds({ DateEquals: { 'aws:EpochTime': '2017-07-01' } }, { 'aws:EpochTime': '1498867200' })).toBe(
      true,
    );
    expect(
      holds({ DateNotEquals: { 'aws:EpochTime': '2017-07-01' } }, { 'aws:EpochTime': '1498867200' }),
    ).toBe(false);
    expect(
      holds({ DateLessThanEquals: { 'aws:EpochTime': 1498867200 } }, { 'aws:EpochTime': '1498867200' }),
    ).toBe(true);
    expect(
      holds({ DateGreaterThanEquals: { 'aws:CurrentTime': 'soon' } }, { 'aws:CurrentTime': '2020-01-01' }),
    ).toBe(false);
  });

  it('Bool aws:SecureTransport "false" (the deny-without-SSL example), booleans as JSON booleans too', () => {
    expect(holds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' })).toBe(
      true,
    );
    expect(holds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'true' })).toBe(
      false,
    );
    expect(holds({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' })).toBe(true);
  });

  it('BinaryEquals compares the bytes of base-64 values ("QmluYXJ5VmFsdWVJbkJhc2U2NA==")', () => {
    const condition = { BinaryEquals: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } };
    expect(holds(condition, { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' })).toBe(true);
    expect(holds(condition, { key: 'T3RoZXI=' })).toBe(false);
  });
});

describe('IP address condition operators', () => {
  const range = { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } };

  it('IpAddress 203.0.113.0/24: "the IP range 203.0.113.0 to 203.0.113.255"', () => {
    expect(holds(range, { 'aws:SourceIp': '203.0.113.0' })).toBe(true);
    expect(holds(range, { 'aws:SourceIp': '203.0.113.255' })).toBe(true);
    expect(holds(range, { 'aws:SourceIp': '203.0.114.1' })).toBe(false);
    expect(holds(range, {})).toBe(false);
  });

  it('mixes IPv4 and IPv6 ranges ("203.0.113.0/24", "2001:DB8:1234:5678::/64")', () => {
    const condition = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } };
    expect(holds(condition, { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' })).toBe(true);
    expect(holds(condition, { 'aws:SourceIp': '2001:db8:1234:5679::1' })).toBe(false);
    expect(holds(condition, { 'aws:SourceIp': '203.0.113.7' })).toBe(true);
  });

  it('an address without a prefix is /32, and NotIpAddress negates', () => {
    expect(holds({ IpAddress: { 'aws:SourceIp': '198.51.100.7' } }, { 'aws:SourceIp': '198.51.100.7' })).toBe(
      true,
    );
    expect(holds({ IpAddress: { 'aws:SourceIp': '198.51.100.7' } }, { 'aws:SourceIp': '198.51.100.8' })).toBe(
      false,
    );
    expect(
      holds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '192.0.2.1' }),
    ).toBe(true);
    expect(
      holds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.9' }),
    ).toBe(false);
  });
});

describe('ARN condition operators', () => {
  const value = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
  const pattern = 'arn:aws:someservice:*:111122223333:finance/*';

  it('StringLike lets the first * run over colons, ArnLike checks the six components separately (documented example)', () => {
    expect(holds({ StringLike: { 'aws:SourceArn': pattern } }, { 'aws:SourceArn': value })).toBe(true);
    expect(holds({ ArnLike: { 'aws:SourceArn': pattern } }, { 'aws:SourceArn': value })).toBe(false);
    expect(
      holds(
        { ArnLike: { 'aws:SourceArn': pattern } },
        { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:111122223333:finance/a/b:c' },
      ),
    ).toBe(true);
  });

  it('ArnEquals aws:SourceArn: SNS may send to the queue only for its topic (the queue-policy example)', () => {
    const condition = { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:TOPIC-ID' } };
    expect(holds(condition, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:TOPIC-ID' })).toBe(true);
    expect(holds(condition, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:OTHER' })).toBe(false);
    // "If an IAM user attempts to perform this operation directly, the condition returns false"
    expect(holds(condition, {})).toBe(false);
  });

  it('ArnEquals behaves as ArnLike; ArnNotEquals and ArnNotLike negate', () => {
    const source = { 'aws:SourceArn': 'arn:aws:s3:::photo-uploads' };
    expect(holds({ ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::*-uploads' } }, source)).toBe(true);
    expect(holds({ ArnNotEquals: { 'aws:SourceArn': 'arn:aws:s3:::*-uploads' } }, source)).toBe(false);
    expect(holds({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::other' } }, source)).toBe(true);
    expect(
      holds(
        { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::photo-uploads' } },
        { 'aws:SourceArn': 'not an arn' },
      ),
    ).toBe(false);
  });
});

describe('...IfExists and Null', () => {
  const instanceTypes = { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] };

  it('StringLikeIfExists: the RunInstances example, true for resources without ec2:InstanceType', () => {
    expect(holds({ StringLike: instanceTypes }, {})).toBe(false);
    expect(holds({ StringLikeIfExists: instanceTypes }, {})).toBe(true);
    expect(holds({ StringLikeIfExists: instanceTypes }, { 'ec2:InstanceType': 't2.micro' })).toBe(true);
    expect(holds({ StringLikeIfExists: instanceTypes }, { 'ec2:InstanceType': 'm4.large' })).toBe(false);
  });

  it('a negated ...IfExists is true when the key is missing ("the request is still denied even if the tag is missing")', () => {
    expect(holds({ StringNotEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } }, {})).toBe(true);
    expect(
      holds(
        { StringNotEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } },
        { 'aws:ResourceTag/env': 'prod' },
      ),
    ).toBe(false);
  });

  it('Null aws:TokenIssueTime "true": the key must not exist (the no-temporary-credentials example)', () => {
    expect(holds({ Null: { 'aws:TokenIssueTime': 'true' } }, {})).toBe(true);
    expect(
      holds({ Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' }),
    ).toBe(false);
    expect(
      holds({ Null: { 'aws:TokenIssueTime': false } }, { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' }),
    ).toBe(true);
  });
});

describe('several operators, keys and values (reference_policies_condition-logic-multiple-context-keys-or-values)', () => {
  const department = {
    'aws:PrincipalTag/department': ['finance', 'hr', 'legal'],
    'aws:PrincipalTag/role': ['audit', 'security'],
  };
  const people = ['arn:aws:iam::222222222222:user/Ana', 'arn:aws:iam::222222222222:user/Mary'];
  const mary = 'arn:aws:iam::222222222222:user/Mary';
  const nikki = 'arn:aws:iam::222222222222:user/Nikki';

  it.each<[string, Context, boolean]>([
    [
      'legal, audit, Mary',
      { 'aws:PrincipalTag/department': 'legal', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': mary },
      true,
    ],
    [
      'hr, audit, Nikki',
      { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': nikki },
      false,
    ],
    [
      'hr, payroll, Mary',
      { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalTag/role': 'payroll', 'aws:PrincipalArn': mary },
      false,
    ],
    ['no role tag', { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalArn': mary }, false],
    ['no tags at all', { 'aws:PrincipalArn': mary }, false],
  ])('operators AND, keys AND, values OR: %s (the evaluation table)', (_, context, expected) => {
    expect(holds({ StringEquals: department, ArnLike: { 'aws:PrincipalArn': people } }, context)).toBe(
      expected,
    );
  });

  it.each<[string, Context, boolean]>([
    [
      'legal, audit, Nikki',
      { 'aws:PrincipalTag/department': 'legal', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': nikki },
      true,
    ],
    [
      'hr, audit, Mary',
      { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': mary },
      false,
    ],
    [
      'hr, payroll, Nikki',
      { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalTag/role': 'payroll', 'aws:PrincipalArn': nikki },
      false,
    ],
    ['no role tag', { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalArn': nikki }, false],
    ['no tags at all', { 'aws:PrincipalArn': nikki }, false],
  ])('a negated operator NORs its values: %s (the ArnNotLike evaluation table)', (_, context, expected) => {
    expect(holds({ StringEquals: department, ArnNotLike: { 'aws:PrincipalArn': people } }, context)).toBe(
      expected,
    );
  });

  it('condition key names are case-insensitive, values per operator', () => {
    expect(holds({ Bool: { 'AWS:SecureTransport': 'TRUE' } }, { 'aws:securetransport': 'true' })).toBe(true);
    expect(
      holds({ StringEquals: { 'AWS:PrincipalTag/Team': 'Blue' } }, { 'aws:principaltag/team': 'blue' }),
    ).toBe(false);
  });
});

describe('set operators on multivalued keys (reference_policies_multi-value-conditions)', () => {
  const allowed = {
    'ForAllValues:StringLike': { 'dynamodb:requestedAttributes': ['PostDateTime', 'Message', 'Tags'] },
  };
  const forbidden = { 'ForAnyValue:StringLike': { 'dynamodb:requestedAttributes': ['ID', 'PostDateTime'] } };

  it('ForAllValues: every requested attribute must be listed (GetItem on the Thread table)', () => {
    expect(holds(allowed, { 'dynamodb:requestedAttributes': ['PostDateTime', 'Message'] })).toBe(true);
    expect(holds(allowed, { 'dynamodb:requestedAttributes': ['PostDateTime', 'UserName'] })).toBe(false);
  });

  it('ForAnyValue: one listed attribute is enough (the PutItem deny example)', () => {
    expect(
      holds(forbidden, { 'dynamodb:requestedAttributes': ['UserName', 'Message', 'PostDateTime'] }),
    ).toBe(true);
    expect(holds(forbidden, { 'dynamodb:requestedAttributes': ['UserName'] })).toBe(false);
  });

  it('with the key absent ForAllValues is true ("It also returns true if there are no context keys in the request") and ForAnyValue false', () => {
    expect(holds(allowed, {})).toBe(true);
    expect(holds(allowed, { 'dynamodb:requestedAttributes': [] })).toBe(true);
    expect(holds(forbidden, {})).toBe(false);
    expect(holds(forbidden, { 'dynamodb:requestedAttributes': [] })).toBe(false);
  });

  it('ForAllValues with Null false: the documented guard against the absent key', () => {
    const guarded = { ...allowed, Null: { 'dynamodb:requestedAttributes': 'false' } };
    expect(holds(guarded, {})).toBe(false);
    expect(holds(guarded, { 'dynamodb:requestedAttributes': ['Message'] })).toBe(true);
  });

  it('negated set operators: ForAllValues:StringNotEquals needs every value outside the list, ForAnyValue one', () => {
    const tags = ['Department', 'CostCenter'];
    expect(
      holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': tags } }, { 'aws:TagKeys': ['Owner', 'Env'] }),
    ).toBe(true);
    expect(
      holds(
        { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': tags } },
        { 'aws:TagKeys': ['Owner', 'Department'] },
      ),
    ).toBe(false);
    expect(
      holds(
        { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': tags } },
        { 'aws:TagKeys': ['Owner', 'Department'] },
      ),
    ).toBe(true);
    expect(
      holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': tags } }, { 'aws:TagKeys': ['Department'] }),
    ).toBe(false);
  });

  it('ForAnyValue:StringEqualsIfExists is true for an absent key: IfExists decides before the set operator', () => {
    expect(holds({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'Department' } }, {})).toBe(true);
  });
});

describe('policy variables in conditions (reference_policies_variables)', () => {
  it('a variable with no value: StringEquals does not match, StringNotEquals does ("Policy variables with no value")', () => {
    const sameTeam = { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' };
    const context = { 's3:ExistingObjectTag/Team': 'blue' };
    expect(holds({ StringEquals: sameTeam }, context)).toBe(false);
    expect(holds({ StringNotEquals: sameTeam }, context)).toBe(true);
    expect(holds({ StringEquals: sameTeam }, { ...context, 'aws:PrincipalTag/Team': 'blue' })).toBe(true);
    expect(holds({ StringNotEquals: sameTeam }, { ...context, 'aws:PrincipalTag/Team': 'blue' })).toBe(false);
  });

  it("a default value stands in for a missing key (${aws:PrincipalTag/team, 'company-wide'})", () => {
    const condition = { StringEquals: { 's3:prefix': "${aws:PrincipalTag/team, 'company-wide'}" } };
    expect(holds(condition, { 's3:prefix': 'company-wide' })).toBe(true);
    expect(holds(condition, { 's3:prefix': 'yellow', 'aws:PrincipalTag/team': 'yellow' })).toBe(true);
    expect(holds(condition, { 's3:prefix': 'company-wide', 'aws:PrincipalTag/team': 'yellow' })).toBe(false);
  });

  it('${*}, ${?} and ${$} are the characters themselves, not wildcards', () => {
    const condition = { StringLike: { 's3:prefix': 'a${*}b${?}${$}*' } };
    expect(holds(condition, { 's3:prefix': 'a*b?$rest' })).toBe(true);
    expect(holds(condition, { 's3:prefix': 'axxbc$rest' })).toBe(false);
  });

  it('variable names are case-insensitive, their values are text even when they hold * (a user named "*")', () => {
    const condition = { StringLike: { 's3:prefix': 'home/${AWS:UserName}/*' } };
    expect(holds(condition, { 's3:prefix': 'home/David/x', 'aws:username': 'David' })).toBe(true);
    expect(holds(condition, { 's3:prefix': 'home/David/x', 'aws:username': '*' })).toBe(false);
  });

  it('a multivalued key is no variable, and numeric operators take none ("You can\'t use a policy variable with ... Numeric")', () => {
    expect(
      holds(
        { StringEquals: { 's3:prefix': '${aws:TagKeys}' } },
        { 's3:prefix': 'a', 'aws:TagKeys': ['a', 'b'] },
      ),
    ).toBe(false);
    expect(
      holds({ NumericEquals: { 's3:max-keys': '${aws:limit}' } }, { 's3:max-keys': '5', 'aws:limit': '5' }),
    ).toBe(false);
  });

  it('a policy of an older Version reads ${...} as text ("variables ... are treated as literal strings")', () => {
    const condition = { StringEquals: { 's3:prefix': '${aws:username}' } };
    expect(holds(condition, { 's3:prefix': 'David', 'aws:username': 'David' }, false)).toBe(false);
    expect(holds(condition, { 's3:prefix': '${aws:username}', 'aws:username': 'David' }, false)).toBe(true);
  });
});

describe('operators IAM does not have', () => {
  it.each(['StringEqualz', 'ForEveryValue:StringEquals', 'NullIfExists', 'IfExists'])(
    '%s makes the condition unevaluable, with the reason',
    (operator) => {
      const result = evaluateCondition(
        { [operator]: { 'aws:username': 'David' } },
        { 'aws:username': 'David' },
      );
      expect(result).toEqual({ unevaluable: `the condition operator ${operator} is not one IAM has` });
    },
  );
});
