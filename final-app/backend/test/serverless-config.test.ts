// Packages the service with the real Serverless Framework v3, offline (no AWS account needed), and checks the
// CloudFormation template it would deploy: what serverless.yml says is what AWS would get.
import path from 'node:path';
import {
  packageService,
  type CloudFormationResource as Resource,
  type PackagedService,
  type PolicyStatement,
} from '@serverless-course/test-kit';

// Packaging bundles fourteen functions with esbuild: tens of seconds on a busy machine, done once.
jest.setTimeout(240_000);

const serviceDir = path.resolve(__dirname, '..');
let service: PackagedService;

const FUNCTIONS = {
  authorize: 'Authorize',
  getConfig: 'GetConfig',
  listGroups: 'ListGroups',
  createGroup: 'CreateGroup',
  getGroup: 'GetGroup',
  listImages: 'ListImages',
  createImage: 'CreateImage',
  getImage: 'GetImage',
  deleteImage: 'DeleteImage',
  searchImages: 'SearchImages',
  makeThumbnail: 'MakeThumbnail',
  indexImages: 'IndexImages',
  connect: 'Connect',
  disconnect: 'Disconnect',
};

beforeAll(async () => {
  service = await packageService(serviceDir);
});

const resource = (logicalId: string): Resource => service.resource(logicalId);
const resourcesOfType = (type: string): [string, Resource][] => service.resourcesOfType(type);
const statementsOf = (functionKey: keyof typeof FUNCTIONS): PolicyStatement[] =>
  service.policyStatements(`${FUNCTIONS[functionKey]}IamRoleLambdaExecution`);

/** The actions a function may take beyond logs and X-Ray, with the resources, as text. */
function grants(functionKey: keyof typeof FUNCTIONS): string[] {
  return statementsOf(functionKey)
    .flatMap((statement) =>
      [statement.Action].flat().map((action) => ({ action, resource: statement.Resource })),
    )
    .filter(({ action }) => !action.startsWith('logs:') && !action.startsWith('xray:'))
    .map(({ action, resource }) => `${action} ${JSON.stringify(resource)}`);
}

function methodFor(httpMethod: string, pathPart: string): Resource['Properties'] {
  const routes = resourcesOfType('AWS::ApiGateway::Resource').filter(
    ([, r]) => r.Properties.PathPart === pathPart,
  );
  const methods = resourcesOfType('AWS::ApiGateway::Method').filter(
    ([, method]) =>
      method.Properties.HttpMethod === httpMethod &&
      routes.some(
        ([routeId]) => JSON.stringify(method.Properties.ResourceId) === JSON.stringify({ Ref: routeId }),
      ),
  );
  expect(methods).toHaveLength(1);
  return methods[0]![1].Properties;
}

describe('serverless.yml, packaged', () => {
  it('defines the fourteen functions on nodejs24.x, traced by X-Ray, each with a role of its own', () => {
    for (const [key, logicalPrefix] of Object.entries(FUNCTIONS)) {
      expect(resource(`${logicalPrefix}LambdaFunction`).Properties).toMatchObject({
        FunctionName: `udagram-dev-${key}`,
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        Role: { 'Fn::GetAtt': [`${logicalPrefix}IamRoleLambdaExecution`, 'Arn'] },
      });
    }
    expect(resourcesOfType('AWS::Lambda::Function')).toHaveLength(14);
  });

  it('grants each function only the actions it needs, on its own resources (least privilege)', () => {
    expect(grants('authorize')).toEqual([]);
    expect(grants('getConfig')).toEqual([]);
    expect(grants('createGroup')).toEqual(['dynamodb:PutItem {"Fn::GetAtt":["GroupsTable","Arn"]}']);
    expect(grants('getGroup')).toEqual(['dynamodb:GetItem {"Fn::GetAtt":["GroupsTable","Arn"]}']);
    expect(grants('listGroups')).toEqual([
      'dynamodb:Scan {"Fn::GetAtt":["GroupsTable","Arn"]}',
      'secretsmanager:GetSecretValue {"Ref":"PaginationSecret"}',
    ]);
    expect(grants('connect')).toEqual(['dynamodb:PutItem {"Fn::GetAtt":["ConnectionsTable","Arn"]}']);
    expect(grants('disconnect')).toEqual(['dynamodb:DeleteItem {"Fn::GetAtt":["ConnectionsTable","Arn"]}']);
    expect(grants('indexImages').join('\n')).not.toMatch(
      /ImagesBucket|GroupsTable|dynamodb:(Put|Update|Delete)/,
    );
    expect(grants('deleteImage').join('\n')).not.toMatch(/GroupsTable|s3:PutObject/);
  });

  it('never grants a wildcard action, and a wildcard resource only to X-Ray', () => {
    for (const key of Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[]) {
      for (const statement of statementsOf(key)) {
        const actions = [statement.Action].flat();
        expect(actions.filter((action) => action.includes('*'))).toEqual([]);
        if (statement.Resource === '*')
          expect(actions.every((action) => action.startsWith('xray:'))).toBe(true);
      }
    }
  });

  it('guards writes with the TOKEN authorizer (cached 300 s, Bearer checked before it runs) and leaves reads public', () => {
    expect(resource('AuthorizeApiGatewayAuthorizer').Properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      IdentityValidationExpression: '^Bearer [-0-9A-Za-z_.]+$',
      AuthorizerResultTtlInSeconds: 300,
    });
    for (const [method, pathPart] of [
      ['POST', 'groups'],
      ['POST', 'images'],
      ['DELETE', '{imageId}'],
    ]) {
      expect(methodFor(method!, pathPart!)).toMatchObject({ AuthorizationType: 'CUSTOM' });
    }
    for (const pathPart of ['config', '{groupId}', 'search']) {
      expect(methodFor('GET', pathPart)).toMatchObject({ AuthorizationType: 'NONE' });
    }
  });

  it('adds CORS headers to API Gateway’s own 4xx and 5xx answers', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      const [, response] = resourcesOfType('AWS::ApiGateway::GatewayResponse').find(
        ([, r]) => r.Properties.ResponseType === type,
      )!;
      expect(response.Properties.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.Access-Control-Allow-Headers': "'Content-Type,Authorization'",
      });
    }
  });

  it('lets browsers PUT to the images bucket, which tells the images topic about uploads under images/', () => {
    const bucket = resource('ImagesBucket');

    expect(bucket.Properties.CorsConfiguration).toEqual({
      CorsRules: [
        {
          AllowedOrigins: ['*'],
          AllowedMethods: ['GET', 'PUT', 'HEAD'],
          AllowedHeaders: ['*'],
          MaxAge: 3000,
        },
      ],
    });
    expect(bucket.Properties.NotificationConfiguration).toEqual({
      TopicConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Topic: { Ref: 'ImagesTopic' },
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'images/' }] } },
        },
      ],
    });
    expect([bucket.DependsOn].flat()).toEqual(['ImagesTopicPolicy']);
    expect(JSON.stringify(resource('ImagesTopicPolicy').Properties)).toContain(
      '"Service":"s3.amazonaws.com"',
    );
  });

  it('subscribes makeThumbnail to the topic, with the memory sharp needs and sharp from a layer', () => {
    const [, subscription] = resourcesOfType('AWS::SNS::Subscription')[0]!;

    expect(subscription.Properties).toMatchObject({ Protocol: 'lambda', TopicArn: { Ref: 'ImagesTopic' } });
    expect(resource('MakeThumbnailLambdaFunction').Properties).toMatchObject({
      MemorySize: 1024,
      Timeout: 30,
    });
    expect(JSON.stringify(resource('MakeThumbnailLambdaFunction').Properties.Layers)).toContain(
      'layer:sharp:1',
    );
  });

  it('feeds the images stream to indexImages, reporting failures per item', () => {
    const [, mapping] = resourcesOfType('AWS::Lambda::EventSourceMapping')[0]!;

    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      StartingPosition: 'TRIM_HORIZON',
    });
    expect(resource('ImagesTable').Properties.StreamSpecification).toEqual({
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });

  it('lists a group’s images through a (groupId, timestamp) index, and expires connections by TTL', () => {
    expect(resource('ImagesTable').Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'group-index',
        KeySchema: [
          { AttributeName: 'groupId', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(resource('ConnectionsTable').Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  it('generates the pagination secret at deploy, so no one ever writes it down', () => {
    expect(resource('PaginationSecret').Properties).toMatchObject({
      GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'key', PasswordLength: 48 },
    });
  });

  it('routes the WebSocket API’s $connect and $disconnect', () => {
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);

    expect(routes.sort()).toEqual(['$connect', '$disconnect']);
  });
});
