// Packages the service with the real Serverless Framework v3, offline (no AWS account needed), and checks the
// CloudFormation template it would deploy: what serverless.yml says is what AWS would get.
import path from 'node:path';
import {
  packageService,
  type CloudFormationResource as Resource,
  type PackagedService,
  type PolicyStatement,
} from '@serverless-course/test-kit';

// Packaging bundles two functions with esbuild: a few seconds, done once for the whole file.
jest.setTimeout(120_000);

const labDir = path.resolve(__dirname, '..');
let service: PackagedService;

beforeAll(async () => {
  service = await packageService(labDir);
});

const resource = (logicalId: string): Resource => service.resource(logicalId);
const resourcesOfType = (type: string): Resource[] => service.resourcesOfType(type).map(([, found]) => found);

function methodsOn(pathPart: string): Resource[] {
  const route = Object.entries(service.template.Resources).find(
    ([, candidate]) =>
      candidate.Type === 'AWS::ApiGateway::Resource' && candidate.Properties.PathPart === pathPart,
  );
  if (route === undefined) throw new Error(`the API has no /${pathPart} resource`);
  return resourcesOfType('AWS::ApiGateway::Method').filter(
    (method) => JSON.stringify(method.Properties.ResourceId) === JSON.stringify({ Ref: route[0] }),
  );
}

describe('serverless.yml, packaged', () => {
  it('defines the Groups table, keyed by the string id, billed per request', () => {
    expect(resource('GroupsTable').Type).toBe('AWS::DynamoDB::Table');
    expect(resource('GroupsTable').Properties).toEqual({
      TableName: 'rest-api-groups-dev',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
  });

  it.each([
    ['GetGroupsLambdaFunction', 'src/handlers/get-groups.handler'],
    ['CreateGroupLambdaFunction', 'src/handlers/create-group.handler'],
  ])('runs %s on nodejs24.x with handler %s and the table name in its environment', (logicalId, handler) => {
    expect(resource(logicalId).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: handler,
      Environment: { Variables: { GROUPS_TABLE: 'rest-api-groups-dev', ALLOWED_ORIGIN: '*' } },
    });
  });

  it.each([
    ['GET', 'GetGroupsLambdaFunction'],
    ['POST', 'CreateGroupLambdaFunction'],
  ])('routes %s /groups to %s through a Lambda proxy integration', (httpMethod, functionId) => {
    const method = methodsOn('groups').find((candidate) => candidate.Properties.HttpMethod === httpMethod);

    expect(method?.Properties).toMatchObject({ Integration: { Type: 'AWS_PROXY' } });
    expect(JSON.stringify(method?.Properties.Integration)).toContain(`"${functionId}"`);
  });

  it('answers the CORS preflight on /groups in API Gateway, for GET and POST', () => {
    const options = methodsOn('groups').find((candidate) => candidate.Properties.HttpMethod === 'OPTIONS');

    const integration = options?.Properties.Integration as {
      Type: string;
      IntegrationResponses: { ResponseParameters: Record<string, string> }[];
    };
    const headers = integration.IntegrationResponses[0]?.ResponseParameters ?? {};

    expect(integration.Type).toBe('MOCK');
    expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe("'*'");
    const methods = headers['method.response.header.Access-Control-Allow-Methods'] ?? '';
    expect(methods.replaceAll("'", '').split(',').sort()).toEqual(['GET', 'OPTIONS', 'POST']);
    expect(headers['method.response.header.Access-Control-Allow-Headers']).toContain('Content-Type');
  });

  it.each(['DEFAULT_4XX', 'DEFAULT_5XX'])(
    "adds Access-Control-Allow-Origin to API Gateway's own %s responses",
    (responseType) => {
      const responses = resourcesOfType('AWS::ApiGateway::GatewayResponse').filter(
        (candidate) => candidate.Properties.ResponseType === responseType,
      );

      expect(responses).toHaveLength(1);
      expect(responses[0]?.Properties).toMatchObject({
        RestApiId: { Ref: 'ApiGatewayRestApi' },
        ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      });
    },
  );

  it('lets the functions do only Scan and PutItem, only on the Groups table (least privilege)', () => {
    const roles = resourcesOfType('AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    const role = roles[0]?.Properties as {
      Policies?: { PolicyDocument: { Statement: PolicyStatement[] } }[];
      ManagedPolicyArns?: unknown[];
    };
    const statements = (role.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);

    const dynamoStatements = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
    );
    expect(role.ManagedPolicyArns ?? []).toEqual([]);
    expect(dynamoStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:Scan', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': ['GroupsTable', 'Arn'] },
      },
    ]);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
      for (const action of [statement.Action].flat()) {
        expect(action).toMatch(/^(logs|dynamodb):/);
        expect(action).not.toContain('*');
      }
    }
  });
});
