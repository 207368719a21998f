// Packages the service with the real Serverless Framework v3, offline (no AWS account needed), and checks the
// CloudFormation template it would deploy: what serverless.yml says is what AWS would get.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// Packaging bundles five functions with esbuild: a few seconds, done once for the whole file.
jest.setTimeout(60_000);

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

interface Template {
  Resources: Record<string, Resource>;
}

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const labDir = path.resolve(__dirname, '..');
let packageDir: string;
let template: Template;

beforeAll(async () => {
  packageDir = await mkdtemp(path.join(tmpdir(), 'lab-01-package-'));
  const serverless = require.resolve('serverless/bin/serverless.js');
  try {
    await promisify(execFile)(process.execPath, [serverless, 'package', '--package', packageDir], {
      cwd: labDir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      timeout: 50_000,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `serverless package failed; run it in labs/01-hello-lambda to see why:\n${stdout}\n${stderr}`,
    );
  }
  const json = await readFile(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8');
  template = JSON.parse(json) as Template;
});

afterAll(async () => {
  await rm(packageDir, { recursive: true, force: true });
});

function resource(logicalId: string): Resource {
  const found = template.Resources[logicalId];
  if (found === undefined) throw new Error(`the template has no resource ${logicalId}`);
  return found;
}

function resourcesOfType(type: string): Resource[] {
  return Object.values(template.Resources).filter((candidate) => candidate.Type === type);
}

describe('serverless.yml, packaged', () => {
  it('defines exactly the five functions of the lab', () => {
    const names = resourcesOfType('AWS::Lambda::Function').map((fn) => fn.Properties.FunctionName);

    expect(names.sort()).toEqual([
      'hello-lambda-dev-classifyEvent',
      'hello-lambda-dev-greetCallback',
      'hello-lambda-dev-hello',
      'hello-lambda-dev-processBatch',
      'hello-lambda-dev-sandboxInfo',
    ]);
  });

  it.each([
    ['HelloLambdaFunction', 'src/handlers/hello.handler', 6],
    ['GreetCallbackLambdaFunction', 'src/handlers/greet-callback.handler', 6],
    ['ProcessBatchLambdaFunction', 'src/handlers/process-batch.handler', 10],
    ['ClassifyEventLambdaFunction', 'src/handlers/classify-event.handler', 6],
    ['SandboxInfoLambdaFunction', 'src/handlers/sandbox-info.handler', 6],
  ])('runs %s on nodejs20.x with handler %s, 128 MB and a %i s timeout', (logicalId, handler, timeout) => {
    expect(resource(logicalId).Properties).toMatchObject({
      Runtime: 'nodejs20.x',
      Handler: handler,
      MemorySize: 128,
      Timeout: timeout,
    });
  });

  it.each([
    ['hello', 'HelloLambdaFunction'],
    ['greet', 'GreetCallbackLambdaFunction'],
    ['sandbox', 'SandboxInfoLambdaFunction'],
  ])('routes GET /%s to %s through a Lambda proxy integration', (pathPart, functionId) => {
    const route = Object.entries(template.Resources).find(
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
