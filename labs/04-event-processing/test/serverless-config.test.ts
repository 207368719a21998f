// Packages the service with the real Serverless Framework v3, offline, and checks the CloudFormation it
// would deploy: the S3 -> SNS -> functions wiring, the indexer's stream settings, and one least-privilege
// role per function.
import path from 'node:path';
import {
  packageService,
  type CloudFormationResource as Resource,
  type PackagedService,
  type PolicyStatement,
} from '@serverless-course/test-kit';

// Packaging bundles eight functions with esbuild: several seconds, done once for the whole file.
jest.setTimeout(120_000);

interface Statement extends PolicyStatement {
  Principal?: unknown;
}

const labDir = path.resolve(__dirname, '..');
let service: PackagedService;

beforeAll(async () => {
  service = await packageService(labDir);
}, 120_000);

const resource = (logicalId: string): Resource => service.resource(logicalId);
const ofType = (type: string): [string, Resource][] => service.resourcesOfType(type);

const statementsOf = (roleId: string): Statement[] => service.policyStatements(roleId);

const FUNCTIONS = [
  'CreateGroup',
  'CreateImage',
  'GenerateThumbnail',
  'NotifyConnections',
  'Connect',
  'Disconnect',
  'IndexImages',
  'SearchImages',
];

describe('serverless.yml wires S3 to SNS to the subscribers', () => {
  it('has the images bucket announce every object created under images/ on the image-uploaded topic', () => {
    const bucket = resource('ImagesBucket');

    expect(bucket.Properties.NotificationConfiguration).toEqual({
      TopicConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Topic: { Ref: 'ImageUploadedTopic' },
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'images/' }] } },
        },
      ],
    });
    expect([bucket.DependsOn].flat()).toContain('ImageUploadedTopicPolicy');
  });

  it('lets only S3, for this bucket and account, publish to the topic', () => {
    const policy = resource('ImageUploadedTopicPolicy').Properties as {
      Topics: unknown[];
      PolicyDocument: { Statement: Statement[] };
    };

    expect(policy.Topics).toEqual([{ Ref: 'ImageUploadedTopic' }]);
    expect(policy.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::event-processing-images-dev' },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }),
    ]);
  });

  it('subscribes the thumbnail generator and the WebSocket notifier to the topic', () => {
    const endpoints = ofType('AWS::SNS::Subscription').map(([, subscription]) => subscription.Properties);

    expect(endpoints).toEqual(
      expect.arrayContaining(
        ['GenerateThumbnailLambdaFunction', 'NotifyConnectionsLambdaFunction'].map((fn) => ({
          TopicArn: { Ref: 'ImageUploadedTopic' },
          Protocol: 'lambda',
          Endpoint: { 'Fn::GetAtt': [fn, 'Arn'] },
        })),
      ),
    );
  });
});

describe("serverless.yml sets up the indexer's stream for partial failures", () => {
  it('reports batch item failures, retries a bounded number of times, and sends what it gives up to the failures topic', () => {
    const [[, mapping] = ['', undefined]] = ofType('AWS::Lambda::EventSourceMapping');

    expect(mapping?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
      FunctionName: { 'Fn::GetAtt': ['IndexImagesLambdaFunction', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 2,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { Ref: 'IndexFailuresTopic' } } },
    });
  });

  it("lets the indexer's role publish to the failures topic, which the mapping needs to deliver there", () => {
    expect(statementsOf('IndexImagesIamRoleLambdaExecution')).toContainEqual(
      expect.objectContaining({ Action: ['sns:Publish'], Resource: { Ref: 'IndexFailuresTopic' } }),
    );
  });
});

describe('serverless.yml grants least privilege', () => {
  it.each(FUNCTIONS)('runs %s on nodejs24.x with a role of its own', (name) => {
    expect(resource(`${name}LambdaFunction`).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Role: { 'Fn::GetAtt': [`${name}IamRoleLambdaExecution`, 'Arn'] },
    });
  });

  it.each(FUNCTIONS)("never grants %s a wildcard action or a resource of '*'", (name) => {
    for (const statement of statementsOf(`${name}IamRoleLambdaExecution`)) {
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
      expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
    }
  });

  it.each([
    ['CreateImage', ['dynamodb:GetItem', 'dynamodb:PutItem', 's3:PutObject']],
    ['GenerateThumbnail', ['s3:GetObject', 's3:PutObject', 's3:ListBucket']],
    ['NotifyConnections', ['dynamodb:Scan', 'dynamodb:DeleteItem', 'execute-api:ManageConnections']],
    ['Connect', ['dynamodb:PutItem']],
    ['Disconnect', ['dynamodb:DeleteItem']],
    ['SearchImages', ['s3:GetObject', 's3:ListBucket']],
  ])('gives %s exactly the actions it uses: %j', (name, expected) => {
    const actions = statementsOf(`${name}IamRoleLambdaExecution`)
      .flatMap((statement) => [statement.Action].flat())
      .filter((action) => !action.startsWith('logs:'));

    expect([...new Set(actions)].sort()).toEqual([...expected].sort());
  });

  it('lets the notifier manage connections of its own WebSocket API and stage only', () => {
    const statement = statementsOf('NotifyConnectionsIamRoleLambdaExecution').find((candidate) =>
      [candidate.Action].flat().includes('execute-api:ManageConnections'),
    );

    expect(JSON.stringify(statement?.Resource)).toContain('{"Ref":"WebsocketsApi"}');
    expect(JSON.stringify(statement?.Resource)).toContain('/dev/POST/@connections/*');
  });
});
