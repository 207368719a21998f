// Packages a service with the real Serverless Framework v3, offline (no AWS account needed), and hands back
// the CloudFormation template it would deploy, so a test asserts what AWS would get from serverless.yml. Each
// lab's and the app's serverless-config tests start here.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface CloudFormationResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  UpdatePolicy?: Record<string, unknown>;
}

export interface CloudFormationTemplate {
  Resources: Record<string, CloudFormationResource>;
  Outputs?: Record<string, unknown>;
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export interface PackagedService {
  template: CloudFormationTemplate;
  /** The resource with this logical id; throws, naming it, when the template has none. */
  resource(logicalId: string): CloudFormationResource;
  /** Every resource of a CloudFormation type, with its logical id. */
  resourcesOfType(type: string): [string, CloudFormationResource][];
  /** Every statement of an IAM role's inline policies (none when it has no policies). */
  policyStatements(roleLogicalId: string): PolicyStatement[];
}

const SERVERLESS = require.resolve('serverless/bin/serverless.js');
// Makes a failed build end the framework at once instead of leaving it running (see the file).
const ONE_SHOT_ESBUILD = path.join(__dirname, 'one-shot-esbuild.js');
// No telemetry, no update notices: the framework must not reach the network from a test.
const QUIET = { SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };

/** `serverless package --stage <stage>` into a temporary folder (removed after), then the parsed template. */
export async function packageService(
  serviceDir: string,
  options: { stage?: string } = {},
): Promise<PackagedService> {
  const packageDir = await mkdtemp(path.join(tmpdir(), 'serverless-package-'));
  try {
    await runServerless(serviceDir, ['package', '--package', packageDir, ...stageArgs(options.stage)]);
    const json = await readFile(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8');
    return packaged(JSON.parse(json) as CloudFormationTemplate);
  } finally {
    await rm(packageDir, { recursive: true, force: true });
  }
}

/** `serverless print --format json`: the configuration as the framework resolves it for a stage. */
export async function printService<T = Record<string, unknown>>(
  serviceDir: string,
  options: { stage?: string } = {},
): Promise<T> {
  const { stdout } = await runServerless(serviceDir, [
    'print',
    '--format',
    'json',
    ...stageArgs(options.stage),
  ]);
  return JSON.parse(stdout) as T;
}

/** The actions of a policy statement as a list, whether written as one string or several. */
export function actionsOf(statement: PolicyStatement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

function packaged(template: CloudFormationTemplate): PackagedService {
  return {
    template,
    resource(logicalId) {
      const found = template.Resources[logicalId];
      if (found === undefined) throw new Error(`the template has no resource ${logicalId}`);
      return found;
    },
    resourcesOfType(type) {
      return Object.entries(template.Resources).filter(([, candidate]) => candidate.Type === type);
    },
    policyStatements(roleLogicalId) {
      const role = this.resource(roleLogicalId).Properties as {
        Policies?: { PolicyDocument: { Statement: PolicyStatement[] } }[];
      };
      return (role.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
    },
  };
}

function stageArgs(stage: string | undefined): string[] {
  return stage === undefined ? [] : ['--stage', stage];
}

async function runServerless(serviceDir: string, args: string[]): Promise<{ stdout: string }> {
  try {
    return await promisify(execFile)(process.execPath, ['--require', ONE_SHOT_ESBUILD, SERVERLESS, ...args], {
      cwd: serviceDir,
      env: { ...process.env, ...QUIET },
      // Packaging bundles every function with esbuild: seconds alone, minutes on a busy two-core CI machine.
      timeout: 200_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `serverless ${args[0]} failed; see why with \`${reproduction(serviceDir, args)}\`:\n${stdout}\n${stderr}`,
    );
  }
}

/**
 * The command that shows the failure, pasted in the repository root where the course's commands run (Jest's
 * own working directory may be the lab's folder). The temporary --package folder is gone by then, so it is
 * left out: the framework's default, .serverless/ in the service folder, is ignored by git.
 */
export function reproduction(serviceDir: string, args: string[]): string {
  const shown = args.filter((arg, index) => arg !== '--package' && args[index - 1] !== '--package');
  return `cd ${fromRepositoryRoot(serviceDir)} && npx serverless ${shown.join(' ')}`;
}

/** The folder relative to the repository root (the folder with package-lock.json), else absolute. */
function fromRepositoryRoot(serviceDir: string): string {
  for (let dir = path.dirname(serviceDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package-lock.json')))
      return path.relative(dir, serviceDir).split(path.sep).join('/');
  }
  return serviceDir;
}
