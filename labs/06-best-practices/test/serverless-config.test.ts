// Packages the service with the real Serverless Framework v3, offline (no AWS account needed), and checks the
// CloudFormation it would deploy: the canary resources the plugin adds, active tracing, and one role per
// function allowing only what that function does.
import path from 'node:path';
import {
  packageService,
  type CloudFormationResource as Resource,
  type PackagedService,
  type PolicyStatement,
} from '@serverless-course/test-kit';

// Packaging bundles five functions with esbuild: several seconds, done once for the whole file.
jest.setTimeout(240_000);

const labDir = path.resolve(__dirname, '..');
let service: PackagedService;

beforeAll(async () => {
  service = await packageService(labDir);
});

const resource = (logicalId: string): Resource => service.resource(logicalId);
const resourcesOfType = (type: string): [string, Resource][] => service.resourcesOfType(type);

/** The statements of a function's own role, logs and X-Ray left out. */
function ownStatements(functionId: string): PolicyStatement[] {
  const role = resource(`${functionId}IamRoleLambdaExecution`).Properties as {
    Policies: { PolicyDocument: { Statement: PolicyStatement[] } }[];
  };
  return role.Policies.flatMap((policy) => policy.PolicyDocument.Statement).filter(
    (statement) => ![statement.Action].flat().every((action) => /^(logs|xray):/.test(action)),
  );
}

describe('serverless.yml, packaged', () => {
  it('defines the three API functions and the two traffic hooks', () => {
    const names = resourcesOfType('AWS::Lambda::Function').map(([, fn]) => fn.Properties.FunctionName);

    expect(names.sort()).toEqual([
      'best-practices-dev-checkAfterTraffic',
      'best-practices-dev-checkBeforeTraffic',
      'best-practices-dev-createImage',
      'best-practices-dev-getImage',
      'best-practices-dev-listImages',
    ]);
  });

  it('runs every function on nodejs24.x', () => {
    for (const [, fn] of resourcesOfType('AWS::Lambda::Function'))
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
  });

  it('turns on active X-Ray tracing for every function', () => {
    for (const [, fn] of resourcesOfType('AWS::Lambda::Function')) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });
});

describe('canary deployments', () => {
  it('creates a CodeDeploy application for Lambda', () => {
    const applications = resourcesOfType('AWS::CodeDeploy::Application');

    expect(applications).toHaveLength(1);
    expect(applications[0]?.[1].Properties).toEqual({ ComputePlatform: 'Lambda' });
  });

  it.each([
    ['CreateImage', 'Canary10Percent5Minutes', 'CreateImageErrorsAlarm'],
    ['GetImage', 'Linear10PercentEvery1Minute', 'GetImageErrorsAlarm'],
  ])('shifts %s traffic %s and rolls back when %s fires', (fn, type, alarm) => {
    const group = resource(`${fn}LambdaFunctionDeploymentGroup`).Properties;

    expect(JSON.stringify(group.DeploymentConfigName)).toContain(type);
    expect(group.AutoRollbackConfiguration).toEqual({
      Enabled: true,
      Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) as unknown,
    });
    expect(group.AlarmConfiguration).toEqual({ Alarms: [{ Name: { Ref: alarm } }], Enabled: true });
  });

  it.each([['CreateImage'], ['GetImage']])('deploys %s through the alias Live with both hooks', (fn) => {
    const alias = resource(`${fn}LambdaFunctionAliasLive`);

    expect(alias.Properties).toMatchObject({ Name: 'Live', FunctionName: { Ref: `${fn}LambdaFunction` } });
    expect(alias.UpdatePolicy).toMatchObject({
      CodeDeployLambdaAliasUpdate: {
        BeforeAllowTrafficHook: { Ref: 'CheckBeforeTrafficLambdaFunction' },
        AfterAllowTrafficHook: { Ref: 'CheckAfterTrafficLambdaFunction' },
        DeploymentGroupName: { Ref: `${fn}LambdaFunctionDeploymentGroup` },
      },
    });
  });

  it('points API Gateway at the alias, so the weights apply to real traffic', () => {
    const createRoute = resource('ApiGatewayMethodGroupsGroupidVarImagesPost').Properties;

    expect(JSON.stringify(createRoute.Integration)).toContain('"CreateImageLambdaFunctionAliasLive"');
  });

  it.each([['CreateImage'], ['GetImage']])(
    'alarms on errors of the %s alias, not of the whole function',
    (fn) => {
      const alarm = resource(`${fn}ErrorsAlarm`).Properties;

      expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 0 });
      expect(JSON.stringify(alarm.Dimensions)).toContain('"Live"');
    },
  );
});

describe('least privilege', () => {
  it.each([
    ['CreateImage', ['dynamodb:PutItem']],
    ['GetImage', ['dynamodb:GetItem']],
    ['ListImages', ['dynamodb:Query']],
  ])('lets %s do only %p, on the images table only', (fn, actions) => {
    const statements = ownStatements(fn);

    expect(statements.flatMap((statement) => [statement.Action].flat())).toEqual(actions);
    expect(statements.map((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': ['ImagesTable', 'Arn'] },
    ]);
  });

  it.each([['CheckBeforeTraffic'], ['CheckAfterTraffic']])(
    'lets the hook %s report its verdict to this service deployment groups only',
    (fn) => {
      const report = ownStatements(fn).find((statement) =>
        [statement.Action].flat().includes('codedeploy:PutLifecycleEventHookExecutionStatus'),
      );

      expect(JSON.stringify(report?.Resource)).toContain('deploymentgroup:best-practices-dev-');
    },
  );

  it('gives no function a wildcard beyond X-Ray, which has no resource-level permissions', () => {
    for (const [id] of resourcesOfType('AWS::Lambda::Function')) {
      for (const statement of ownStatements(id.replace(/LambdaFunction$/, ''))) {
        expect(JSON.stringify(statement.Action)).not.toContain('*');
        expect(statement.Resource).not.toEqual('*');
      }
    }
  });
});
