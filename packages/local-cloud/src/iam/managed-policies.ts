// The AWS managed policies a course or a typical Serverless project attaches to a function's role
// (`provider.iam.role.managedPolicies`, a role's `ManagedPolicyArns`), as the documents IAM holds for them: the
// default version listed in the AWS Managed Policy Reference
// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/), version and date noted on each. A
// role's permissions come from these documents, so a policy local-cloud does not know grants nothing, and
// the caller says so (function-roles.ts) rather than guessing.
//
// Where AWS's document also grants services local-cloud does not emulate (console helpers: CloudWatch alarms,
// Data Pipeline, EC2 descriptions, KMS, ...), those actions or statements are left out, as each comment says:
// no function's call here can reach them, and a shorter document is easier to read in a denial's log line.
// `iam:PassRole` statements stay: local-cloud checks PassRole when a rule or schedule names a role.
import type { PolicyDocument } from './policy-types';

const VERSION = '2012-10-17';

/** Lambda's own writes to CloudWatch Logs, in every Lambda execution-role policy. */
const LOGS_WRITE = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * By the part of the ARN after `arn:<partition>:iam::aws:policy/`: the path matters (the Lambda execution
 * roles live under `service-role/`), as it does in IAM.
 */
const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  // v1, 2015-02-06.
  AdministratorAccess: {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  // v1, 2015-04-09.
  'service-role/AWSLambdaBasicExecutionRole': {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: LOGS_WRITE, Resource: '*' }],
  },
  // v1, 2015-04-09.
  'service-role/AWSLambdaDynamoDBExecutionRole': {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
          ...LOGS_WRITE,
        ],
        Resource: '*',
      },
    ],
  },
  // v1, 2018-06-14.
  'service-role/AWSLambdaSQSQueueExecutionRole': {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS_WRITE],
        Resource: '*',
      },
    ],
  },
  // v2, 2018-11-19.
  'service-role/AWSLambdaKinesisExecutionRole': {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
          'kinesis:ListStreams',
          'kinesis:SubscribeToShard',
          ...LOGS_WRITE,
        ],
        Resource: '*',
      },
    ],
  },
  // v3, 2024-01-05. The framework attaches it to its role when a function has `vpc:`.
  'service-role/AWSLambdaVPCAccessExecutionRole': {
    Version: VERSION,
    Statement: [
      {
        Sid: 'AWSLambdaVPCAccessExecutionPermissions',
        Effect: 'Allow',
        Action: [
          ...LOGS_WRITE,
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
    ],
  },
  // v2, 2024-02-13.
  AWSXRayDaemonWriteAccess: {
    Version: VERSION,
    Statement: [
      {
        Sid: 'AWSXRayDaemonWriteAccess',
        Effect: 'Allow',
        Action: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:GetSamplingStatisticSummaries',
        ],
        Resource: ['*'],
      },
    ],
  },
  // v15, 2021-01-29. Left out of the first statement: dax, application-autoscaling, cloudwatch, datapipeline,
  // ec2, iam:GetRole/ListRoles, kms, resource-groups and tag actions; and the statements for
  // cloudwatch:GetInsightRuleReport, iam:PassRole to application-autoscaling and DAX, and
  // iam:CreateServiceLinkedRole.
  AmazonDynamoDBFullAccess: {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:*',
          'sns:CreateTopic',
          'sns:DeleteTopic',
          'sns:ListSubscriptions',
          'sns:ListSubscriptionsByTopic',
          'sns:ListTopics',
          'sns:Subscribe',
          'sns:Unsubscribe',
          'sns:SetTopicAttributes',
          'lambda:CreateFunction',
          'lambda:ListFunctions',
          'lambda:ListEventSourceMappings',
          'lambda:CreateEventSourceMapping',
          'lambda:DeleteEventSourceMapping',
          'lambda:GetFunctionConfiguration',
          'lambda:DeleteFunction',
          'kinesis:ListStreams',
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
        ],
        Resource: '*',
      },
    ],
  },
  // v15, 2024-11-18. Left out of GeneralReadOnlyAccess: application-autoscaling, cloudwatch, datapipeline,
  // dax, ec2, iam, kms, resource-groups and tag actions; and the CCIAccess statement
  // (cloudwatch:GetInsightRuleReport).
  AmazonDynamoDBReadOnlyAccess: {
    Version: VERSION,
    Statement: [
      {
        Sid: 'GeneralReadOnlyAccess',
        Effect: 'Allow',
        Action: [
          'dynamodb:BatchGetItem',
          'dynamodb:Describe*',
          'dynamodb:List*',
          'dynamodb:GetAbacStatus',
          'dynamodb:GetItem',
          'dynamodb:GetResourcePolicy',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:PartiQLSelect',
          'sns:ListSubscriptionsByTopic',
          'sns:ListTopics',
          'lambda:ListFunctions',
          'lambda:ListEventSourceMappings',
          'lambda:GetFunctionConfiguration',
          'kinesis:ListStreams',
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamSummary',
        ],
        Resource: '*',
      },
    ],
  },
  // v2, 2021-09-27.
  AmazonS3FullAccess: {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }],
  },
  // v3, 2023-08-10.
  AmazonS3ReadOnlyAccess: {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
        Resource: '*',
      },
    ],
  },
  // v2, 2024-09-24. Left out: the SMSAccessViaSNS statement (sms-voice actions, when called via SNS).
  AmazonSNSFullAccess: {
    Version: VERSION,
    Statement: [{ Sid: 'SNSFullAccess', Effect: 'Allow', Action: 'sns:*', Resource: '*' }],
  },
  // v1, 2015-02-06.
  AmazonSQSFullAccess: {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: ['sqs:*'], Resource: '*' }],
  },
  // v1, 2015-02-06.
  AmazonKinesisFullAccess: {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }],
  },
  // v7, 2026-02-12. Left out: the two iam:CreateServiceLinkedRole statements (API destinations, schemas).
  AmazonEventBridgeFullAccess: {
    Version: VERSION,
    Statement: [
      {
        Sid: 'EventBridgeActions',
        Effect: 'Allow',
        Action: ['events:*', 'schemas:*', 'scheduler:*', 'pipes:*'],
        Resource: '*',
      },
      {
        Sid: 'SecretsManagerAccessForApiDestinations',
        Effect: 'Allow',
        Action: [
          'secretsmanager:CreateSecret',
          'secretsmanager:UpdateSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
        ],
        Resource: 'arn:aws:secretsmanager:*:*:secret:events!*',
      },
      passRoleTo('IAMPassRoleAccessForEventBridge', 'events.amazonaws.com'),
      passRoleTo('IAMPassRoleAccessForScheduler', 'scheduler.amazonaws.com'),
      passRoleTo('IAMPassRoleAccessForPipes', 'pipes.amazonaws.com'),
    ],
  },
  // v1, 2017-01-11.
  AWSStepFunctionsFullAccess: {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: 'states:*', Resource: '*' }],
  },
  // v6, 2026-08-25. Left out of BasePermissions: cloudformation, docdb-elastic, ec2, kms, rds, redshift,
  // redshift-serverless and tag actions; and the SARPermissions (serverlessrepo) and CloudFormationTagOnCreate
  // statements.
  SecretsManagerReadWrite: {
    Version: VERSION,
    Statement: [
      {
        Sid: 'BasePermissions',
        Effect: 'Allow',
        Action: ['secretsmanager:*', 'lambda:ListFunctions'],
        Resource: '*',
      },
      {
        Sid: 'LambdaPermissions',
        Effect: 'Allow',
        Action: [
          'lambda:AddPermission',
          'lambda:CreateFunction',
          'lambda:GetFunction',
          'lambda:InvokeFunction',
          'lambda:UpdateFunctionConfiguration',
        ],
        Resource: 'arn:aws:lambda:*:*:function:SecretsManager*',
      },
      {
        Sid: 'S3Permissions',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [
          'arn:aws:s3:::awsserverlessrepo-changesets*',
          'arn:aws:s3:::secrets-manager-rotation-apps-*/*',
        ],
      },
    ],
  },
  // v1, 2015-05-29.
  AmazonSSMReadOnlyAccess: {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: ['ssm:Describe*', 'ssm:Get*', 'ssm:List*'], Resource: '*' }],
  },
  // v1, 2020-10-07. What the Lambda Insights extension writes, to its own log group.
  CloudWatchLambdaInsightsExecutionRolePolicy: {
    Version: VERSION,
    Statement: [
      { Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: 'arn:aws:logs:*:*:log-group:/aws/lambda-insights:*',
      },
    ],
  },
};

function passRoleTo(sid: string, service: string): PolicyDocument['Statement'][number] {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: 'arn:aws:iam::*:role/*',
    Condition: { StringLike: { 'iam:PassedToService': service } },
  };
}

const AWS_MANAGED_ARN = /^arn:[a-z-]+:iam::aws:policy\/(.+)$/;

/** Whether an ARN names an AWS managed policy (`arn:aws:iam::aws:policy/...`), known here or not. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return AWS_MANAGED_ARN.test(arn);
}

/** The document of an AWS managed policy local-cloud knows, by ARN (any partition), or undefined. */
export function awsManagedPolicy(arn: string): PolicyDocument | undefined {
  const key = AWS_MANAGED_ARN.exec(arn)?.[1];
  return key !== undefined && Object.hasOwn(AWS_MANAGED_POLICIES, key)
    ? AWS_MANAGED_POLICIES[key]
    : undefined;
}

/**
 * The ARN of a known policy with the same name under another path, for the fix in a warning: Lambda's
 * execution-role policies are under `service-role/`, and `arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole`
 * names nothing.
 */
export function awsManagedPolicyWithName(arn: string): string | undefined {
  const name = AWS_MANAGED_ARN.exec(arn)?.[1]?.split('/').pop();
  const key = Object.keys(AWS_MANAGED_POLICIES).find((known) => known.split('/').pop() === name);
  return key === undefined ? undefined : `arn:aws:iam::aws:policy/${key}`;
}

/** The ARNs local-cloud knows, for the warning about one it does not. */
export function knownAwsManagedPolicies(): string[] {
  return Object.keys(AWS_MANAGED_POLICIES).map((key) => `arn:aws:iam::aws:policy/${key}`);
}
