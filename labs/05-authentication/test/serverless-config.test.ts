// Packages the service with the real Serverless Framework v3, offline, and checks the CloudFormation it would
// deploy: which routes the authorizers guard, how the authorizers are configured, what each function may do.
import path from 'node:path';
import {
  packageService,
  type CloudFormationResource as Resource,
  type PackagedService,
  type PolicyStatement,
} from '@serverless-course/test-kit';

// Packaging bundles seven functions with esbuild: several seconds, done once for the whole file.
jest.setTimeout(240_000);

const labDir = path.resolve(__dirname, '..');
let service: PackagedService;

beforeAll(async () => {
  service = await packageService(labDir);
});

const resource = (logicalId: string): Resource => service.resource(logicalId);
const resourcesOfType = (type: string): [string, Resource][] => service.resourcesOfType(type);

const statementsOf = (roleId: string): PolicyStatement[] => service.policyStatements(roleId);

function serviceActions(roleId: string): string[] {
  return statementsOf(roleId)
    .flatMap((statement) => [statement.Action].flat())
    .filter((action) => !action.startsWith('logs:'))
    .sort();
}

describe('serverless.yml, packaged', () => {
  it('runs every function on nodejs24.x', () => {
    const functions = resourcesOfType('AWS::Lambda::Function');

    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) expect(fn.Properties.Runtime).toBe('nodejs24.x');
  });

  it('puts the JWT authorizer in front of the three write endpoints', () => {
    for (const methodId of [
      'ApiGatewayMethodImagesPost',
      'ApiGatewayMethodImagesImageidVarPatch',
      'ApiGatewayMethodImagesImageidVarDelete',
    ]) {
      expect(resource(methodId).Properties).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: 'JwtAuthorizerApiGatewayAuthorizer' },
      });
    }
  });

  it('configures the JWT authorizer as a TOKEN authorizer on the Authorization header, cached 300 s', () => {
    expect(resource('JwtAuthorizerApiGatewayAuthorizer').Properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  it('leaves reading an image public', () => {
    expect(resource('ApiGatewayMethodImagesImageidVarGet').Properties.AuthorizationType).toBe('NONE');
  });

  it('guards GET /mock/me with the mock authorizer', () => {
    expect(resource('ApiGatewayMethodMockMeGet').Properties).toMatchObject({
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: 'MockAuthorizerApiGatewayAuthorizer' },
    });
  });

  it('reads the issuer settings from stage parameters, empty by default so local-cloud can stand in', () => {
    expect(resource('JwtAuthorizerLambdaFunction').Properties).toMatchObject({
      Environment: { Variables: { AUTH_ISSUER: '', AUTH_JWKS_URI: '', AUTH_AUDIENCE: 'udagram' } },
    });
  });

  it('generates the signing key in Secrets Manager at deploy time, never in the repository', () => {
    const [[, secret] = ['', undefined]] = resourcesOfType('AWS::SecretsManager::Secret');

    expect(secret?.Properties).toMatchObject({
      Name: 'authentication/dev/signing-key',
      GenerateSecretString: { PasswordLength: 48 },
    });
    expect(secret?.Properties.SecretString).toBeUndefined();
  });

  it.each([
    ['GetImageIamRoleLambdaExecution', ['dynamodb:GetItem']],
    ['CreateImageIamRoleLambdaExecution', ['dynamodb:PutItem', 'secretsmanager:GetSecretValue']],
    ['UpdateImageIamRoleLambdaExecution', ['dynamodb:GetItem', 'dynamodb:PutItem']],
    ['DeleteImageIamRoleLambdaExecution', ['dynamodb:DeleteItem', 'dynamodb:GetItem']],
  ])('gives %s only %j (least privilege)', (roleId, actions) => {
    expect(serviceActions(roleId)).toEqual(actions);
  });

  it('scopes every statement to the images table or the signing key, never "*"', () => {
    const statements = [
      'GetImageIamRoleLambdaExecution',
      'CreateImageIamRoleLambdaExecution',
      'UpdateImageIamRoleLambdaExecution',
      'DeleteImageIamRoleLambdaExecution',
    ].flatMap((roleId) =>
      statementsOf(roleId).filter((statement) => !String(statement.Action).startsWith('logs:')),
    );

    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect([
        JSON.stringify({ 'Fn::GetAtt': ['ImagesTable', 'Arn'] }),
        JSON.stringify({ Ref: 'SigningKeySecret' }),
      ]).toContain(JSON.stringify(statement.Resource));
    }
  });

  it('lets the authorizers do nothing but write their logs', () => {
    expect(serviceActions('IamRoleLambdaExecution')).toEqual([]);
    expect(resource('JwtAuthorizerLambdaFunction').Properties.Role).toEqual({
      'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'],
    });
  });

  it("adds CORS headers to the gateway's own 4XX answers, so a browser sees the 401", () => {
    expect(resource('GatewayResponseDefault4XX').Properties).toMatchObject({
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
    });
  });
});
