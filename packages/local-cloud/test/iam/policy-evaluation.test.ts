// Policy evaluation against AWS's documentation: "Policy evaluation logic"
// (reference_policies_evaluation-logic.html), "IAM JSON policy elements: Action / NotAction / Resource /
// NotResource / Principal", "IAM policy elements: Variables and tags", DynamoDB's "Using IAM policy conditions
// for fine-grained access control" (GameScores) and the S3 -> SNS notification topic policy of "Configuring a
// bucket for notifications" (grant-destinations-permissions-to-s3).
import { combineDecisions, createPolicyEvaluator } from '../../src/iam/policy-evaluation';
import type {
  AuthorizationRequest,
  Decision,
  NamedPolicy,
  PolicyStatement,
  RequestPrincipal,
} from '../../src/iam/policy-types';

const ACCOUNT = '123456789012';
const IMAGES = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Images`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/thumbnails-dev-us-east-1-lambdaRole`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/thumbnails-dev-us-east-1-lambdaRole/thumbnails-dev-resize`;
const FUNCTION_ROLE: RequestPrincipal = { arn: SESSION, roleArn: ROLE, accountId: ACCOUNT };

const policy = (name: string, statements: PolicyStatement[], version = '2012-10-17'): NamedPolicy => ({
  name,
  document: { Version: version, Statement: statements },
});

const request = (
  action: string,
  resource: string,
  context: AuthorizationRequest['context'] = {},
): AuthorizationRequest => ({ action, resource, context });

/** The decision of identity policy `statements` (one policy, `role statements`) for a request. */
function decide(statements: PolicyStatement[], action: string, resource: string, context = {}): Decision {
  return createPolicyEvaluator(
    [policy('role statements', statements)],
    'identity',
  )(request(action, resource, context));
}

const effectOf = (statements: PolicyStatement[], action: string, resource: string, context = {}) =>
  decide(statements, action, resource, context).effect;

describe('the evaluation logic: explicit deny, allow, implicit deny', () => {
  const policies = [
    policy('provider.iam.role.statements', [
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: IMAGES },
      { Sid: 'NoDeletes', Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
    ]),
    policy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', [
      { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' },
    ]),
  ];
  const evaluate = createPolicyEvaluator(policies, 'identity');

  it('an allow names the policy and the statement (its position, 1-based, when it has no Sid)', () => {
    expect(evaluate(request('dynamodb:GetItem', IMAGES))).toEqual({
      effect: 'allow',
      by: { policy: 'provider.iam.role.statements', statement: 'statement 1' },
    });
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::photos/cat.jpg'))).toEqual({
      effect: 'allow',
      by: { policy: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', statement: 'statement 1' },
    });
  });

  it('"an explicit deny in any policy overrides any allows", and names its Sid', () => {
    expect(evaluate(request('dynamodb:DeleteItem', IMAGES))).toEqual({
      effect: 'explicit-deny',
      by: { policy: 'provider.iam.role.statements', statement: 'NoDeletes' },
    });
  });

  it('no statement allows: the implicit deny', () => {
    expect(evaluate(request('s3:PutObject', 'arn:aws:s3:::photos/cat.jpg'))).toEqual({
      effect: 'implicit-deny',
    });
    expect(createPolicyEvaluator([], 'identity')(request('s3:GetObject', '*'))).toEqual({
      effect: 'implicit-deny',
    });
  });

  it('a deny in a later policy still wins over an earlier allow', () => {
    const later = createPolicyEvaluator(
      [
        ...policies,
        policy('boundary', [{ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::photos/*' }]),
      ],
      'identity',
    );
    expect(later(request('s3:GetObject', 'arn:aws:s3:::photos/cat.jpg'))).toEqual({
      effect: 'explicit-deny',
      by: { policy: 'boundary', statement: 'statement 1' },
    });
  });
});

describe('Action and NotAction', () => {
  it('"The prefix and the action name are case insensitive" (iam:ListAccessKeys is IAM:listaccesskeys)', () => {
    const statements: PolicyStatement[] = [{ Effect: 'Allow', Action: 'iam:ListAccessKeys', Resource: '*' }];
    expect(effectOf(statements, 'IAM:listaccesskeys', '*')).toBe('allow');
  });

  it('* and ? wildcards: "iam:*AccessKey*", "s3:Get?bject"', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: ['iam:*AccessKey*', 's3:Get?bject'], Resource: '*' },
    ];
    expect(effectOf(statements, 'iam:CreateAccessKey', '*')).toBe('allow');
    expect(effectOf(statements, 'iam:UpdateAccessKey', '*')).toBe('allow');
    expect(effectOf(statements, 's3:GetObject', '*')).toBe('allow');
    expect(effectOf(statements, 's3:GetObjectAcl', '*')).toBe('implicit-deny');
    expect(effectOf(statements, 'iam:ListUsers', '*')).toBe('implicit-deny');
  });

  it('NotAction with Allow: "allow all services except IAM" (the NotAction element example)', () => {
    const statements: PolicyStatement[] = [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }];
    expect(effectOf(statements, 's3:GetObject', 'arn:aws:s3:::photos/a')).toBe('allow');
    expect(effectOf(statements, 'iam:CreateUser', '*')).toBe('implicit-deny');
  });

  it('NotAction with Deny: deny everything but the listed actions (the MFA example shape)', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:GetSessionToken'],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ];
    expect(effectOf(statements, 'ec2:RunInstances', '*', { 'aws:MultiFactorAuthPresent': 'false' })).toBe(
      'explicit-deny',
    );
    expect(effectOf(statements, 'iam:ListUsers', '*', { 'aws:MultiFactorAuthPresent': 'false' })).toBe(
      'allow',
    );
    expect(effectOf(statements, 'ec2:RunInstances', '*', { 'aws:MultiFactorAuthPresent': 'true' })).toBe(
      'allow',
    );
  });
});

describe('Resource and NotResource', () => {
  it('DynamoDB: GetItem on table/Images does not allow Query on its index; table/Images/index/* does', () => {
    const index = `${IMAGES}/index/ImageIdIndex`;
    const tableOnly: PolicyStatement[] = [
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: IMAGES },
    ];
    expect(
      effectOf([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: IMAGES }], 'dynamodb:Query', index),
    ).toBe('implicit-deny');
    expect(effectOf(tableOnly, 'dynamodb:Query', IMAGES)).toBe('allow');
    expect(effectOf(tableOnly, 'dynamodb:Query', index)).toBe('implicit-deny');
    const withIndexes: PolicyStatement[] = [
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: [IMAGES, `${IMAGES}/index/*`] },
    ];
    expect(effectOf(withIndexes, 'dynamodb:Query', index)).toBe('allow');
    expect(effectOf(withIndexes, 'dynamodb:Query', `${IMAGES}Archive`)).toBe('implicit-deny');
  });

  it('S3: arn:aws:s3:::bucket is the bucket (ListBucket), arn:aws:s3:::bucket/* its objects', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::photos' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' },
    ];
    expect(effectOf(statements, 's3:ListBucket', 'arn:aws:s3:::photos')).toBe('allow');
    expect(effectOf(statements, 's3:GetObject', 'arn:aws:s3:::photos/2024/cat.jpg')).toBe('allow');
    expect(effectOf(statements, 's3:GetObject', 'arn:aws:s3:::photos')).toBe('implicit-deny');
    expect(effectOf(statements, 's3:ListBucket', 'arn:aws:s3:::photos/x')).toBe('implicit-deny');
    expect(effectOf(statements, 's3:GetObject', 'arn:aws:s3:::photos-archive/cat.jpg')).toBe('implicit-deny');
  });

  describe('"arn:aws:s3:::amzn-s3-demo-bucket/*/test/*": * covers / (the Resource element example)', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*/test/*' },
    ];
    it.each([
      '1/test/object.jpg',
      '1/2/test/object.jpg',
      '1/2/test/3/object.jpg',
      '1/2/3/test/4/object.jpg',
      '1///test///object.jpg',
      '1/test/.jpg',
      '/test/object.jpg',
      '1/test/',
    ])('matches amzn-s3-demo-bucket/%s', (key) => {
      expect(effectOf(statements, 's3:GetObject', `arn:aws:s3:::amzn-s3-demo-bucket/${key}`)).toBe('allow');
    });
    it.each(['1-test/object.jpg', 'test/object.jpg', '1/2/test.jpg'])(
      'does not match amzn-s3-demo-bucket/%s',
      (key) => {
        expect(effectOf(statements, 's3:GetObject', `arn:aws:s3:::amzn-s3-demo-bucket/${key}`)).toBe(
          'implicit-deny',
        );
      },
    );
  });

  it('wildcards within ARN segments; a * ending a segment "can expand to match beyond the colon boundaries"', () => {
    const queue = (arn: string): PolicyStatement[] => [
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn },
    ];
    const jobs = `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`;
    expect(effectOf(queue(`arn:aws:sqs:*:${ACCOUNT}:jobs`), 'sqs:SendMessage', jobs)).toBe('allow');
    expect(effectOf(queue(`arn:aws:sqs:us-east-?:${ACCOUNT}:jobs`), 'sqs:SendMessage', jobs)).toBe('allow');
    expect(effectOf(queue('arn:aws:sqs:*'), 'sqs:SendMessage', jobs)).toBe('allow');
    expect(effectOf(queue('arn:aws:sqs:us-east-1:*:jobs'), 'sqs:SendMessage', jobs)).toBe('allow');
    // Inside a segment, ? and a * that does not end it stay within the segment.
    expect(effectOf(queue(`arn:aws:sqs:us-e*1:${ACCOUNT}:jobs`), 'sqs:SendMessage', jobs)).toBe('allow');
    expect(
      effectOf(
        queue('arn:aws:sqs:us-east-1:1*2:jobs'),
        'sqs:SendMessage',
        `arn:aws:sqs:us-east-1:1:x:2:jobs`,
      ),
    ).toBe('implicit-deny');
    expect(effectOf(queue(`arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`), 'sqs:SendMessage', `${jobs}-dlq`)).toBe(
      'implicit-deny',
    );
  });

  it('resources compare case-sensitively ("In the Resource element, the IAM user name is case sensitive")', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${ACCOUNT}:user/Bob` },
    ];
    expect(effectOf(statements, 'iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/Bob`)).toBe('allow');
    expect(effectOf(statements, 'iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/bob`)).toBe('implicit-deny');
  });

  it('"*" matches every resource, and an action without resource-level permissions asks for "*"', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' },
      { Effect: 'Allow', Action: 'sqs:*', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs` },
    ];
    expect(effectOf(statements, 'sqs:ListQueues', '*')).toBe('allow');
    expect(effectOf(statements, 'sqs:SendMessage', '*')).toBe('implicit-deny');
  });

  it('NotResource with Deny: deny everything outside one bucket (the NotResource element example)', () => {
    const statements: PolicyStatement[] = [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 's3:*',
        NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'],
      },
    ];
    expect(effectOf(statements, 's3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/march.csv')).toBe('allow');
    expect(effectOf(statements, 's3:GetObject', 'arn:aws:s3:::HRBucket/Other/march.csv')).toBe(
      'explicit-deny',
    );
  });
});

describe('policy variables in Resource (reference_policies_variables)', () => {
  const home: PolicyStatement[] = [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::mybucket/${aws:username}/*',
    },
  ];

  it("${aws:username} is the requesting user: David reaches mybucket/David/*, not Maria's", () => {
    expect(
      effectOf(home, 's3:GetObject', 'arn:aws:s3:::mybucket/David/notes.txt', { 'aws:username': 'David' }),
    ).toBe('allow');
    expect(
      effectOf(home, 's3:GetObject', 'arn:aws:s3:::mybucket/Maria/notes.txt', { 'aws:username': 'David' }),
    ).toBe('implicit-deny');
  });

  it('a variable without value "will not match any resource" (a role session has no aws:username)', () => {
    expect(effectOf(home, 's3:GetObject', 'arn:aws:s3:::mybucket/David/notes.txt')).toBe('implicit-deny');
    expect(effectOf(home, 's3:GetObject', 'arn:aws:s3:::mybucket/${aws:username}/notes.txt')).toBe(
      'implicit-deny',
    );
  });

  it('a 2008-10-17 policy reads ${aws:username} as text ("treated as literal strings")', () => {
    const evaluate = createPolicyEvaluator([policy('old', home, '2008-10-17')], 'identity');
    const context = { 'aws:username': 'David' };
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::mybucket/David/notes.txt', context)).effect).toBe(
      'implicit-deny',
    );
    expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::mybucket/${aws:username}/a', context)).effect).toBe(
      'allow',
    );
  });

  it('a default value, and ${*} as a literal star (the special characters)', () => {
    const team: PolicyStatement[] = [
      {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}",
      },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::stars/${*}' },
    ];
    expect(effectOf(team, 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket-company-wide')).toBe('allow');
    expect(
      effectOf(team, 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket-yellow', {
        'aws:PrincipalTag/team': 'yellow',
      }),
    ).toBe('allow');
    expect(effectOf(team, 's3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket-yellow')).toBe('implicit-deny');
    expect(effectOf(team, 's3:GetObject', 'arn:aws:s3:::stars/*')).toBe('allow');
    expect(effectOf(team, 's3:GetObject', 'arn:aws:s3:::stars/sun')).toBe('implicit-deny');
  });

  it('variables count only after the fifth colon ("You can\'t use a variable to replace parts of the ARN before")', () => {
    const statements: PolicyStatement[] = [
      {
        Effect: 'Allow',
        Action: 'sqs:*',
        Resource: 'arn:aws:sqs:${aws:RequestedRegion}:*:${aws:username}-queue',
      },
    ];
    const context = { 'aws:RequestedRegion': 'us-east-2', 'aws:username': 'ana' };
    expect(
      effectOf(statements, 'sqs:SendMessage', `arn:aws:sqs:us-east-2:${ACCOUNT}:ana-queue`, context),
    ).toBe('implicit-deny');
    const documented: PolicyStatement[] = [
      { Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-2:*:${aws:username}-queue' },
    ];
    expect(
      effectOf(documented, 'sqs:SendMessage', `arn:aws:sqs:us-east-2:${ACCOUNT}:ana-queue`, context),
    ).toBe('allow');
    expect(
      effectOf(documented, 'sqs:SendMessage', `arn:aws:sqs:us-east-2:${ACCOUNT}:bo-queue`, context),
    ).toBe('implicit-deny');
  });
});

describe('DynamoDB fine-grained access: dynamodb:LeadingKeys (GameScores)', () => {
  const gameScores = `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/GameScores`;
  const statements: PolicyStatement[] = [
    {
      Sid: 'AllowAccessToOnlyItemsMatchingUserID',
      Effect: 'Allow',
      Action: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ],
      Resource: gameScores,
      Condition: {
        'ForAllValues:StringEquals': {
          'dynamodb:LeadingKeys': ['${aws:userid}'],
          'dynamodb:Attributes': ['UserId', 'GameTitle', 'Wins', 'Losses', 'TopScore', 'TopScoreDateTime'],
        },
        StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      },
    },
  ];
  const userid = 'AROAEXAMPLEROLEID:thumbnails-dev-resize';

  it('allows the items whose partition key is the caller, with the listed attributes', () => {
    const context = {
      'aws:userid': userid,
      'dynamodb:LeadingKeys': [userid],
      'dynamodb:Attributes': ['UserId', 'TopScore'],
      'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
    };
    expect(decide(statements, 'dynamodb:Query', gameScores, context)).toEqual({
      effect: 'allow',
      by: { policy: 'role statements', statement: 'AllowAccessToOnlyItemsMatchingUserID' },
    });
  });

  it("does not allow another user's partition key, nor an attribute outside the list", () => {
    const base = { 'aws:userid': userid, 'dynamodb:Attributes': ['UserId'] };
    expect(
      effectOf(statements, 'dynamodb:GetItem', gameScores, {
        ...base,
        'dynamodb:LeadingKeys': ['someone-else'],
      }),
    ).toBe('implicit-deny');
    expect(
      effectOf(statements, 'dynamodb:BatchGetItem', gameScores, {
        ...base,
        'dynamodb:LeadingKeys': [userid, 'someone-else'],
      }),
    ).toBe('implicit-deny');
    expect(
      effectOf(statements, 'dynamodb:GetItem', gameScores, {
        'aws:userid': userid,
        'dynamodb:LeadingKeys': [userid],
        'dynamodb:Attributes': ['UserId', 'PersonalDetails'],
      }),
    ).toBe('implicit-deny');
  });

  it('without aws:userid the variable has no value: no partition key matches', () => {
    expect(effectOf(statements, 'dynamodb:GetItem', gameScores, { 'dynamodb:LeadingKeys': [userid] })).toBe(
      'implicit-deny',
    );
  });

  it('ForAllValues allows a request without the key at all (Scan names no leading key): the documented pitfall', () => {
    expect(effectOf(statements, 'dynamodb:Query', gameScores, { 'aws:userid': userid })).toBe('allow');
  });
});

describe('resource-based policies: Principal and NotPrincipal', () => {
  const jobs = `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`;
  const queuePolicy = (principal: PolicyStatement['Principal']) =>
    createPolicyEvaluator(
      [
        policy('QueuePolicy', [
          { Effect: 'Allow', Principal: principal, Action: 'sqs:SendMessage', Resource: jobs },
        ]),
      ],
      'resource',
    );
  const send = request('sqs:SendMessage', jobs);
  const stranger: RequestPrincipal = {
    arn: 'arn:aws:sts::999999999999:assumed-role/other/session',
    roleArn: 'arn:aws:iam::999999999999:role/other',
    accountId: '999999999999',
  };
  const sns: RequestPrincipal = {
    arn: 'sns.amazonaws.com',
    service: 'sns.amazonaws.com',
    accountId: ACCOUNT,
  };

  it('"*" and {"AWS": "*"} are everyone, services and anonymous callers included', () => {
    for (const principal of ['*', { AWS: '*' }] as const) {
      const evaluate = queuePolicy(principal);
      expect(evaluate(send, FUNCTION_ROLE).effect).toBe('allow');
      expect(evaluate(send, stranger).effect).toBe('allow');
      expect(evaluate(send, sns).effect).toBe('allow');
      expect(evaluate(send).effect).toBe('allow');
    }
  });

  it('an account id and arn:aws:iam::<account>:root name the whole account ("behave the same way")', () => {
    for (const principal of [{ AWS: ACCOUNT }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }]) {
      const evaluate = queuePolicy(principal);
      expect(evaluate(send, FUNCTION_ROLE).effect).toBe('allow');
      expect(evaluate(send, stranger).effect).toBe('implicit-deny');
      expect(evaluate(send, sns).effect).toBe('implicit-deny');
      expect(evaluate(send).effect).toBe('implicit-deny');
    }
  });

  it('a role ARN matches its sessions; a session ARN itself; another role nothing', () => {
    expect(queuePolicy({ AWS: ROLE })(send, FUNCTION_ROLE).effect).toBe('allow');
    expect(queuePolicy({ AWS: SESSION })(send, FUNCTION_ROLE).effect).toBe('allow');
    expect(queuePolicy({ AWS: [`arn:aws:iam::${ACCOUNT}:role/other`] })(send, FUNCTION_ROLE).effect).toBe(
      'implicit-deny',
    );
  });

  it('{"Service": "sns.amazonaws.com"} matches that service only', () => {
    const evaluate = queuePolicy({ Service: 'sns.amazonaws.com' });
    expect(evaluate(send, sns).effect).toBe('allow');
    expect(evaluate(send, { ...sns, arn: 's3.amazonaws.com', service: 's3.amazonaws.com' }).effect).toBe(
      'implicit-deny',
    );
    expect(evaluate(send, FUNCTION_ROLE).effect).toBe('implicit-deny');
  });

  it('NotPrincipal: the statement applies to everyone but those named', () => {
    const evaluate = createPolicyEvaluator(
      [
        policy('QueuePolicy', [
          { Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: jobs },
          {
            Sid: 'OnlyOurRole',
            Effect: 'Deny',
            NotPrincipal: { AWS: ROLE },
            Action: 'sqs:DeleteQueue',
            Resource: jobs,
          },
        ]),
      ],
      'resource',
    );
    const deleteQueue = request('sqs:DeleteQueue', jobs);
    expect(evaluate(deleteQueue, FUNCTION_ROLE).effect).toBe('allow');
    expect(evaluate(deleteQueue, stranger)).toEqual({
      effect: 'explicit-deny',
      by: { policy: 'QueuePolicy', statement: 'OnlyOurRole' },
    });
  });

  it('the S3 -> SNS topic policy: s3.amazonaws.com may SNS:Publish for buckets ArnLike arn:aws:s3:::*-uploads', () => {
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:uploads`;
    const evaluate = createPolicyEvaluator(
      [
        policy('UploadsTopicPolicy', [
          {
            Sid: 'AllowS3Notifications',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'SNS:Publish',
            Resource: topic,
            Condition: {
              ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*-uploads' },
              StringEquals: { 'aws:SourceAccount': ACCOUNT },
            },
          },
        ]),
      ],
      'resource',
    );
    const s3: RequestPrincipal = { arn: 's3.amazonaws.com', service: 's3.amazonaws.com', accountId: ACCOUNT };
    const publish = (bucket: string, account = ACCOUNT) =>
      request('sns:Publish', topic, {
        'aws:SourceArn': `arn:aws:s3:::${bucket}`,
        'aws:SourceAccount': account,
      });
    expect(evaluate(publish('photo-uploads'), s3)).toEqual({
      effect: 'allow',
      by: { policy: 'UploadsTopicPolicy', statement: 'AllowS3Notifications' },
    });
    expect(evaluate(publish('photo-archive'), s3).effect).toBe('implicit-deny');
    expect(evaluate(publish('photo-uploads', '999999999999'), s3).effect).toBe('implicit-deny');
    expect(evaluate(request('sns:Publish', topic), s3).effect).toBe('implicit-deny');
    expect(evaluate(publish('photo-uploads'), FUNCTION_ROLE).effect).toBe('implicit-deny');
  });

  it('an identity policy ignores Principal; a resource policy statement naming none is skipped, with the reason', () => {
    const statements: PolicyStatement[] = [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: jobs }];
    expect(createPolicyEvaluator([policy('role', statements)], 'identity')(send, FUNCTION_ROLE).effect).toBe(
      'allow',
    );
    const evaluate = createPolicyEvaluator([policy('QueuePolicy', statements)], 'resource');
    expect(evaluate(send, FUNCTION_ROLE).effect).toBe('implicit-deny');
    expect(evaluate.skipped).toEqual([
      {
        by: { policy: 'QueuePolicy', statement: 'statement 1' },
        reason: 'a statement of a resource-based policy must name a Principal or a NotPrincipal',
      },
    ]);
  });
});

describe('statements local-cloud cannot evaluate', () => {
  it('an unknown condition operator: the statement allows and denies nothing, and `skipped` says why', () => {
    const evaluate = createPolicyEvaluator(
      [
        policy('role statements', [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          {
            Sid: 'Typo',
            Effect: 'Deny',
            Action: 's3:DeleteObject',
            Resource: '*',
            Condition: { StringEqualz: { 's3:prefix': 'x' } },
          },
        ]),
      ],
      'identity',
    );
    expect(evaluate(request('s3:DeleteObject', 'arn:aws:s3:::b/k')).effect).toBe('allow');
    expect(evaluate.skipped).toEqual([
      {
        by: { policy: 'role statements', statement: 'Typo' },
        reason: 'the condition operator StringEqualz is not one IAM has',
      },
    ]);
  });
});

describe('combineDecisions: identity and resource policies of the same account', () => {
  const allow: Decision = { effect: 'allow', by: { policy: 'role', statement: 'statement 1' } };
  const resourceAllow: Decision = {
    effect: 'allow',
    by: { policy: 'QueuePolicy', statement: 'statement 1' },
  };
  const deny: Decision = { effect: 'explicit-deny', by: { policy: 'QueuePolicy', statement: 'Deny' } };
  const identityDeny: Decision = { effect: 'explicit-deny', by: { policy: 'role', statement: 'Deny' } };
  const none: Decision = { effect: 'implicit-deny' };

  it.each<[string, Decision, Decision, Decision]>([
    ['an explicit deny in the resource policy wins over an identity allow', allow, deny, deny],
    [
      'an explicit deny in the identity policy wins over a resource allow',
      identityDeny,
      resourceAllow,
      identityDeny,
    ],
    ['an identity allow is enough', allow, none, allow],
    ['a resource allow is enough', none, resourceAllow, resourceAllow],
    ['neither allows: implicit deny', none, none, none],
  ])('%s', (_, identity, resource, expected) => {
    expect(combineDecisions(identity, resource)).toEqual(expected);
  });
});

describe('compiled once: three policies of ten statements', () => {
  // Not a timing assertion (timings vary by machine): the evaluator compiles at creation, so 5,000
  // authorizations stay well inside Jest's time limit even on a slow runner.
  const policies = ['provider.iam.role.statements', 'AmazonS3ReadOnlyAccess', 'QueueAccess'].map((name, p) =>
    policy(
      name,
      Array.from({ length: 10 }, (_, s) => ({
        Sid: `S${p}x${s}`,
        Effect: s === 9 ? 'Deny' : 'Allow',
        Action: [`dynamodb:Get*`, `s3:List${s}*`, `sqs:Send?essage${s}`],
        Resource: [
          `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/T${p}${s}`,
          `arn:aws:s3:::bucket-${s}/\${aws:username}/*`,
        ],
        Condition: { StringEqualsIfExists: { 'aws:PrincipalTag/team': ['blue', 'green'] } },
      })),
    ),
  );

  it('answers the same decision each time', () => {
    const evaluate = createPolicyEvaluator(policies, 'identity');
    const hit = request('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/T25`, {
      'aws:PrincipalTag/team': 'blue',
    });
    const miss = request('dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/T25`, {});
    const denied = request('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/T19`, {});
    for (let i = 0; i < 5000; i += 1) {
      expect(evaluate(hit).effect).toBe('allow');
      expect(evaluate(miss).effect).toBe('implicit-deny');
      expect(evaluate(denied).effect).toBe('explicit-deny');
    }
    expect(evaluate(hit)).toEqual({ effect: 'allow', by: { policy: 'QueueAccess', statement: 'S2x5' } });
  });
});
