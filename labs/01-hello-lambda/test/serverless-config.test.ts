// Packages the service with the real Serverless Framework v3, offline (no AWS account needed), and checks the
// CloudFormation template it would deploy: what serverless.yml says is what AWS would get.
import path from 'node:path';
import {
  packageService,
  type CloudFormationResource as Resource,
  type PackagedService,
  type PolicyStatement,
} from '@serverless-course/test-kit';

// Packaging bundles five functions with esbuild: a few seconds, done once for the whole file.
jest.setTimeout(120_000);

const labDir = path.resolve(__dirname, '..');
let service: PackagedService;

beforeAll(async () => {
  service = await packageService(labDir);
});

const resource = (logicalId: string): Resource => service.resource(logicalId);
const resourcesOfType = (type: string): Resource[] => service.resourcesOfType(type).map(([, found]) => found);

describe('serverless.yml, packaged', () => {
  it('defines exactly the five functions of the lab', () => {
    const names = resourcesOfType('AWS::Lambda::Function').map((fn) => fn.Properties.FunctionName);

    expect(names.sort()).toEqual([
      'hello-lambda-dev-classifyEvent',
      'hello-lambda-dev-greet',
      'hello-lambda-dev-hello',
      'hello-lambda-dev-processBatch',
      'hello-lambda-dev-sandboxInfo',
    ]);
  });

  it.each([
    ['HelloLambdaFunction', 'src/handlers/hello.handler', 6],
    ['GreetLambdaFunction', 'src/handlers/greet.handler', 6],
    ['ProcessBatchLambdaFunction', 'src/handlers/process-batch.handler', 10],
    ['ClassifyEventLambdaFunction', 'src/handlers/classify-event.handler', 6],
    ['SandboxInfoLambdaFunction', 'src/handlers/sandbox-info.handler', 6],
  ])('runs %s on nodejs24.x with handler %s, 128 MB and a %i s timeout', (logicalId, handler, timeout) => {
    expect(resource(logicalId).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: handler,
      MemorySize: 128,
      Timeout: timeout,
    });
  });

  it.each([
    ['hello', 'HelloLambdaFunction'],
    ['greet', 'GreetLambdaFunction'],
    ['sandbox', 'SandboxInfoLambdaFunction'],
  ])('routes GET /%s to %s through a Lambda proxy integration', (pathPart, functionId) => {
    const route = Object.entries(service.template.Resources).find(
      ([, candidate]) =>
        candidate.Type === 'AWS::ApiGateway::Resource' && candidate.Properties.PathPart === pathPart,
    );
    expect(route).toBeDefined();
    const [routeId] = route ?? [''];

    const methods = resourcesOfType('AWS::ApiGateway::Method').filter(
      (method) => JSON.stringify(method.Properties.ResourceId) === JSON.stringify({ Ref: routeId }),
    );

    expect(methods).toHaveLength(1);
    const [method] = methods;
    expect(method?.Properties).toMatchObject({ HttpMethod: 'GET', Integration: { Type: 'AWS_PROXY' } });
    expect(JSON.stringify(method?.Properties.Integration)).toContain(`"${functionId}"`);
  });

  it('gives processBatch and classifyEvent no HTTP route: they are invoked directly', () => {
    const integrations = resourcesOfType('AWS::ApiGateway::Method').map((method) =>
      JSON.stringify(method.Properties.Integration),
    );

    expect(integrations).toHaveLength(3);
    for (const integration of integrations) {
      expect(integration).not.toContain('ProcessBatchLambdaFunction');
      expect(integration).not.toContain('ClassifyEventLambdaFunction');
    }
  });

  it('keeps every function log group for a limited time', () => {
    const retention = resourcesOfType('AWS::Logs::LogGroup').map((group) => group.Properties.RetentionInDays);

    expect(retention).toHaveLength(5);
    for (const days of retention) {
      expect(days).toEqual(expect.any(Number));
    }
  });

  it('grants the functions nothing beyond writing their own logs (least privilege)', () => {
    const roles = resourcesOfType('AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    const role = roles[0]?.Properties as {
      Policies?: { PolicyDocument: { Statement: PolicyStatement[] } }[];
      ManagedPolicyArns?: unknown[];
    };

    const statements = (role.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat());

    expect(role.ManagedPolicyArns ?? []).toEqual([]);
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action).toMatch(/^logs:/);
    }
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(JSON.stringify(statement.Resource)).toContain('log-group:/aws/lambda/hello-lambda-dev');
    }
  });
});
