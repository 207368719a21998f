// Each function's execution role as `serverless deploy` (osls 3) and serverless-iam-roles-per-function 3.2.0
// would create it: names and ARNs, the statements the framework adds, provider and per-function statements,
// roles declared in resources, and what local-cloud cannot know (warnings, unknownPolicies).
import { functionRoles, type FunctionRole } from '../../src/iam/function-roles';
import { createPolicyEvaluator } from '../../src/iam/policy-evaluation';
import type { NamedPolicy, PolicyStatement } from '../../src/iam/policy-types';
import { serviceDefinition, type ServiceInput } from '../support/function-definition';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const IMAGES_TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Images`;
const IMAGES_STREAM = `${IMAGES_TABLE}/stream/2026-01-01T00:00:00.000`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`;

/** A stand-in for the platform's resolver: knows the Images table and the jobs queue, and the partition. */
function resolveValue(value: unknown): string | undefined {
  const known: Record<string, string> = {
    '{"Fn::GetAtt":["ImagesTable","Arn"]}': IMAGES_TABLE,
    '{"Fn::GetAtt":["ImagesTable","StreamArn"]}': IMAGES_STREAM,
    '{"Fn::GetAtt":["JobsQueue","Arn"]}': QUEUE,
    '{"Ref":"ImagesTable"}': 'Images',
  };
  const text = JSON.stringify(value);
  if (text in known) return known[text];
  const join = (value as Record<string, unknown>)['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join as [string, unknown[]];
    const resolved = parts.map((part) => (typeof part === 'string' ? part : resolveValue(part)));
    return resolved.every((part) => part !== undefined) ? resolved.join(separator) : undefined;
  }
  return text === '{"Ref":"AWS::Partition"}' ? 'aws' : undefined;
}

function compile(input: Partial<ServiceInput> & Pick<ServiceInput, 'functions'>) {
  return functionRoles(serviceDefinition({ service: 'thumbs', servicePath: '/srv/thumbs', ...input }), {
    accountId: ACCOUNT,
    region: REGION,
    resolveValue,
  });
}

function policyNamed(role: FunctionRole | undefined, name: string): NamedPolicy {
  const policy = role?.policies.find((candidate) => candidate.name === name);
  if (policy === undefined)
    throw new Error(`no policy ${name} in ${role?.policies.map((p) => p.name).join(', ')}`);
  return policy;
}

const statementsOf = (role: FunctionRole | undefined): PolicyStatement[] =>
  role?.policies.flatMap((policy) => policy.document.Statement) ?? [];

/** Whether the role's policies allow the action on the resource, as the evaluator decides. */
function allows(role: FunctionRole | undefined, action: string, resource: string): boolean {
  const evaluate = createPolicyEvaluator(role?.policies ?? [], 'identity');
  return evaluate({ action, resource, context: {} }).effect === 'allow';
}

const readImages = {
  Effect: 'Allow',
  Action: ['dynamodb:GetItem'],
  Resource: { 'Fn::GetAtt': ['ImagesTable', 'Arn'] },
};

describe('the shared role the framework creates', () => {
  it('is named <service>-<stage>-<region>-lambdaRole, with the provider statements and the log statements', () => {
    const { roles, warnings } = compile({
      provider: { iamRole: { statements: [readImages] } },
      functions: { resize: {}, list: {} },
    });
    const role = roles.resize;
    expect(role).toMatchObject({
      roleName: 'thumbs-dev-us-east-1-lambdaRole',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/thumbs-dev-us-east-1-lambdaRole`,
      sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/thumbs-dev-us-east-1-lambdaRole/thumbs-dev-resize`,
      declaredAt: 'provider.iam.role.statements',
    });
    expect(roles.list?.sessionArn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/thumbs-dev-us-east-1-lambdaRole/thumbs-dev-list`,
    );
    expect(policyNamed(role, 'provider.iam.role.statements').document.Statement).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: IMAGES_TABLE },
    ]);
    const logGroups = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/thumbs-dev*`;
    expect(statementsOf(role)).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'],
          Resource: [`${logGroups}:*`],
        },
        { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: [`${logGroups}:*:*`] },
      ]),
    );
    expect(role?.unknownPolicies).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('takes provider.iam.role.name and path, and covers a function with its own name: by its log group', () => {
    const { roles } = compile({
      provider: { iamRole: { name: 'thumbs-role', path: '/app/' } },
      functions: { resize: { name: 'resizer' } },
    });
    expect(roles.resize).toMatchObject({
      roleName: 'thumbs-role',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/app/thumbs-role`,
      sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/thumbs-role/resizer`,
    });
    expect(
      allows(
        roles.resize,
        'logs:PutLogEvents',
        `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/resizer:log-stream:x`,
      ),
    ).toBe(true);
  });

  it('reads the v2 keys folded into the object form (statements and managed policies)', () => {
    const { roles, warnings } = compile({
      provider: {
        iamRole: {
          statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }],
          managedPolicies: [
            {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSQSFullAccess']],
            },
          ],
        },
      },
      functions: { resize: {} },
    });
    expect(
      policyNamed(roles.resize, 'arn:aws:iam::aws:policy/AmazonSQSFullAccess').document.Statement,
    ).toEqual([{ Effect: 'Allow', Action: ['sqs:*'], Resource: '*' }]);
    expect(allows(roles.resize, 's3:GetObject', 'arn:aws:s3:::photos/a.jpg')).toBe(true);
    expect(allows(roles.resize, 'sqs:SendMessage', QUEUE)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('adds the statements of every function’s stream and sqs events, onError and destinations', () => {
    const { roles } = compile({
      functions: {
        indexer: {
          events: [
            { stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] } } },
            { sqs: { arn: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] } } },
          ],
          deadLetterTarget: `arn:aws:sns:${REGION}:${ACCOUNT}:failures`,
          destinations: { onSuccess: 'notify', onFailure: `arn:aws:sqs:${REGION}:${ACCOUNT}:failed` },
        },
        notify: {},
      },
    });
    const role = roles.notify;
    expect(allows(role, 'dynamodb:GetRecords', IMAGES_STREAM)).toBe(true);
    expect(allows(role, 'dynamodb:GetItem', IMAGES_TABLE)).toBe(false);
    expect(allows(role, 'sqs:ReceiveMessage', QUEUE)).toBe(true);
    expect(allows(role, 'sqs:SendMessage', QUEUE)).toBe(false);
    expect(allows(role, 'sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:failures`)).toBe(true);
    expect(
      allows(role, 'lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:thumbs-dev-notify`),
    ).toBe(true);
    expect(allows(role, 'sqs:SendMessage', `arn:aws:sqs:${REGION}:${ACCOUNT}:failed`)).toBe(true);
    // The framework adds X-Ray's statement for provider.tracing.lambda, which the definition does not carry.
    expect(allows(role, 'xray:PutTraceSegments', '*')).toBe(false);
  });

  it('lets functions post to WebSocket connections when any function has a websocket event', () => {
    const { roles } = compile({ functions: { connect: { events: [{ websocket: { route: '$connect' } }] } } });
    expect(
      allows(
        roles.connect,
        'execute-api:ManageConnections',
        `arn:aws:execute-api:${REGION}:${ACCOUNT}:abc/dev/POST/@connections/x`,
      ),
    ).toBe(true);
  });
  it('takes policies attached to IamRoleLambdaExecution in resources, and the VPC policy for a function in a VPC', () => {
    const { roles, warnings } = compile({
      resources: {
        ExtraPolicy: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'extra',
            Roles: [{ Ref: 'IamRoleLambdaExecution' }],
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE }] },
          },
        },
      },
      functions: { resize: { settingsNotRead: ['vpc'] } },
    });
    expect(roles.resize?.policies.map((policy) => policy.name)).toEqual([
      expect.stringContaining('IamRoleLambdaExecution'),
      'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      'resources.Resources.ExtraPolicy',
    ]);
    expect(allows(roles.resize, 'sqs:SendMessage', QUEUE)).toBe(true);
    expect(allows(roles.resize, 'ec2:CreateNetworkInterface', '*')).toBe(true);
    expect(warnings).toEqual([]);
  });
});

describe('serverless-iam-roles-per-function', () => {
  const provider = {
    iamRole: { statements: [{ Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' }] },
  };

  it('gives a function with iamRoleStatements its own role, without the provider statements unless it inherits', () => {
    const { roles } = compile({
      provider,
      functions: {
        resize: { iam: { statements: [readImages] }, events: [{ sqs: QUEUE }] },
        list: { iam: { statements: [readImages], inherit: true } },
        health: {},
      },
    });
    const resize = roles.resize;
    expect(resize).toMatchObject({
      roleName: 'thumbs-dev-resize-us-east-1-lambdaRole',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/thumbs-dev-resize-us-east-1-lambdaRole`,
      sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/thumbs-dev-resize-us-east-1-lambdaRole/thumbs-dev-resize`,
      declaredAt: 'functions.resize.iamRoleStatements',
    });
    expect(policyNamed(resize, 'functions.resize.iamRoleStatements').document.Statement).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: IMAGES_TABLE },
    ]);
    expect(allows(resize, 'sqs:ReceiveMessage', QUEUE)).toBe(true);
    expect(
      allows(
        resize,
        'logs:PutLogEvents',
        `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/thumbs-dev-resize:log-stream:x`,
      ),
    ).toBe(true);
    expect(allows(resize, 'xray:PutTraceSegments', '*')).toBe(false);
    expect(allows(roles.list, 'xray:PutTraceSegments', '*')).toBe(true);
    expect(roles.health?.roleName).toBe('thumbs-dev-us-east-1-lambdaRole');
    expect(allows(roles.health, 'dynamodb:GetItem', IMAGES_TABLE)).toBe(false);
  });

  it('inherits with custom.serverless-iam-roles-per-function.defaultInherit, and takes iamRoleStatementsName', () => {
    const { roles } = compile({
      provider,
      custom: { 'serverless-iam-roles-per-function': { defaultInherit: true } },
      functions: { resize: { iam: { statements: [], roleName: 'resize-role' } } },
    });
    expect(roles.resize?.roleName).toBe('resize-role');
    expect(allows(roles.resize, 'xray:PutTraceSegments', '*')).toBe(true);
  });

  it('drops -lambdaRole from a name over 64 characters, and warns when that is not enough', () => {
    const key = 'generateThumbnailsForEveryUploadedImage'; // thumbs-dev-<key>-us-east-1-lambdaRole: 71 characters
    const { roles, warnings } = compile({ functions: { [key]: { iam: { statements: [] } } } });
    expect(roles[key]?.roleName).toBe(`thumbs-dev-${key}-us-east-1`);
    expect(warnings).toEqual([]);

    const exactly64 = `${key}Also`; // 64 characters without -lambdaRole
    const fits = compile({ functions: { [exactly64]: { iam: { statements: [] } } } });
    expect(fits.roles[exactly64]?.roleName).toBe(`thumbs-dev-${exactly64}-us-east-1`);
    expect(fits.warnings).toEqual([]);

    const longer = `${key}Also1`; // 65 characters without -lambdaRole
    const tooLong = compile({ functions: { [longer]: { iam: { statements: [] } } } });
    expect(tooLong.roles[longer]?.roleName).toHaveLength(64);
    expect(tooLong.warnings).toEqual([expect.stringContaining('Fix: set iamRoleStatementsName')]);
  });
});

describe('roles declared in resources and named by role:', () => {
  const resources = {
    ImagesRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'images-role',
        Policies: [
          {
            PolicyName: 'read-images',
            PolicyDocument: { Version: '2012-10-17', Statement: [readImages] },
          },
        ],
        ManagedPolicyArns: [
          'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          { Ref: 'QueueAccess' },
        ],
      },
    },
    QueueAccess: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: {
          Statement: {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
          },
        },
      },
    },
    WriteImages: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'write-images',
        Roles: [{ Ref: 'ImagesRole' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'dynamodb:PutItem',
              Resource: { 'Fn::GetAtt': ['ImagesTable', 'Arn'] },
            },
          ],
        },
      },
    },
  };

  it('reads inline Policies, ManagedPolicyArns (AWS and customer managed) and an AWS::IAM::Policy attached by Roles', () => {
    const { roles, warnings } = compile({
      resources,
      functions: {
        resize: { iam: { role: 'ImagesRole' } },
        list: { iam: { role: { 'Fn::GetAtt': ['ImagesRole', 'Arn'] } } },
      },
    });
    const role = roles.resize;
    expect(role).toMatchObject({
      roleName: 'images-role',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/images-role`,
      sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/images-role/thumbs-dev-resize`,
      declaredAt: 'resources.Resources.ImagesRole',
    });
    expect(role?.policies.map((policy) => policy.name)).toEqual([
      'resources.Resources.ImagesRole.Policies[0] (read-images)',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'resources.Resources.QueueAccess',
      'resources.Resources.WriteImages',
    ]);
    expect(allows(role, 'dynamodb:GetItem', IMAGES_TABLE)).toBe(true);
    expect(allows(role, 'dynamodb:PutItem', IMAGES_TABLE)).toBe(true);
    expect(allows(role, 'sqs:SendMessage', QUEUE)).toBe(true);
    expect(allows(role, 'logs:CreateLogGroup', '*')).toBe(true);
    expect(allows(role, 'dynamodb:DeleteItem', IMAGES_TABLE)).toBe(false);
    expect(roles.list?.roleName).toBe('images-role');
    expect(warnings).toEqual([]);
  });

  it('finds a role named by ARN in resources by its name', () => {
    const { roles } = compile({
      resources,
      functions: { resize: { iam: { role: `arn:aws:iam::${ACCOUNT}:role/images-role` } } },
    });
    expect(roles.resize?.declaredAt).toBe('resources.Resources.ImagesRole');
    expect(allows(roles.resize, 'dynamodb:GetItem', IMAGES_TABLE)).toBe(true);
  });

  it('cannot know the policies of an existing role named by ARN that resources do not declare', () => {
    const arn = `arn:aws:iam::210987654321:role/shared/legacy-lambda`;
    const { roles, warnings } = compile({ provider: { iamRole: arn }, functions: { resize: {} } });
    expect(roles.resize).toMatchObject({
      roleName: 'legacy-lambda',
      roleArn: arn,
      sessionArn: 'arn:aws:sts::210987654321:assumed-role/legacy-lambda/thumbs-dev-resize',
      policies: [],
      declaredAt: 'provider.iam.role',
    });
    expect(roles.resize?.unknownPolicies).toContain('not declared in resources.Resources');
    expect(warnings).toEqual([]);
  });

  it('uses the function’s role: over its iamRoleStatements, saying the deploy would fail', () => {
    const { roles, warnings } = compile({
      resources,
      functions: { resize: { iam: { role: 'ImagesRole', statements: [readImages] } } },
    });
    expect(roles.resize?.roleName).toBe('images-role');
    expect(warnings).toEqual([expect.stringContaining('has both role and iamRoleStatements')]);
  });
});

describe('what local-cloud cannot resolve or does not know', () => {
  it('leaves an unresolvable Resource out of a statement, with a warning naming where it is', () => {
    const { roles, warnings } = compile({
      provider: {
        iamRole: {
          statements: [
            {
              Effect: 'Allow',
              Action: 'dynamodb:Query',
              Resource: [{ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }, { 'Fn::GetAtt': ['ArchiveTable', 'Arn'] }],
            },
            { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: { 'Fn::GetAtt': ['ArchiveTable', 'Arn'] } },
          ],
        },
      },
      functions: { list: {} },
    });
    expect(policyNamed(roles.list, 'provider.iam.role.statements').document.Statement).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: [IMAGES_TABLE] },
    ]);
    expect(warnings).toEqual([
      expect.stringContaining(
        'provider.iam.role.statements[0].Resource[1] is {"Fn::GetAtt":["ArchiveTable","Arn"]}',
      ),
      expect.stringContaining('leaves the whole statement provider.iam.role.statements[1] out'),
    ]);
  });

  it('resolves intrinsics inside Condition values, and leaves out a statement whose condition cannot be', () => {
    const condition = (value: unknown) => ({
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/table': value } },
    });
    const { roles, warnings } = compile({
      provider: {
        iamRole: { statements: [condition({ Ref: 'ImagesTable' }), condition({ Ref: 'Nowhere' })] },
      },
      functions: { list: {} },
    });
    expect(policyNamed(roles.list, 'provider.iam.role.statements').document.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/table': 'Images' } },
      },
    ]);
    expect(warnings).toEqual([
      expect.stringContaining('provider.iam.role.statements[1].Condition.StringEquals'),
    ]);
  });

  it('warns about an AWS managed policy it does not know, and grants nothing from it', () => {
    const { roles, warnings } = compile({
      provider: {
        iamRole: {
          managedPolicies: [
            'arn:aws:iam::aws:policy/AmazonRekognitionFullAccess',
            'arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole',
          ],
        },
      },
      functions: { resize: {} },
    });
    expect(roles.resize?.policies.map((policy) => policy.name)).not.toContain(
      'arn:aws:iam::aws:policy/AmazonRekognitionFullAccess',
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /local-cloud does not know the managed policy arn:aws:iam::aws:policy\/AmazonRekognitionFullAccess; the role gets nothing from it\. Fix: /,
      ),
      expect.stringContaining(
        'Fix: AWS has it as arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ),
    ]);
  });

  it('warns that a role: naming no declared role makes the deploy fail', () => {
    const { roles, warnings } = compile({ functions: { resize: { iam: { role: 'MissingRole' } } } });
    expect(roles.resize?.unknownPolicies).toBeDefined();
    expect(warnings).toEqual([expect.stringContaining('names MissingRole, which is not an AWS::IAM::Role')]);
  });
});
