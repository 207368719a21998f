// Runs the Serverless Framework v3's own `serverless print --format json` in the service folder, so every
// variable (${file()}, ${self:}, ${opt:}, ${env:}, plugins' sources) resolves exactly as it does on deploy.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACCOUNT_ID } from '../common/account';
import { localSecretsFile } from './local-files';
import { ServiceConfigError } from './service-config-error';

export interface ServerlessPrintOptions {
  servicePath: string;
  /** The service's configuration file (absolute), for error messages. */
  configFile: string;
  stage?: string;
  region?: string;
}

export interface ServerlessPrintOutput {
  /** The resolved configuration, as the framework prints it. */
  config: Record<string, unknown>;
  /** The framework's own warnings (configuration validation), one line each. */
  warnings: string[];
}

/** Injected by tests to count or replace the framework run. */
export type ServerlessPrintRunner = (options: ServerlessPrintOptions) => Promise<ServerlessPrintOutput>;

export interface ServerlessFramework {
  /** Absolute path of serverless/bin/serverless.js. */
  bin: string;
  version: string;
}

const PRINT_TIMEOUT_MS = 60_000;
const LOCAL_VARIABLES_PRELOAD = path.join(__dirname, 'local-variables-preload.js');

/** The framework the service itself installed, else the one local-cloud is installed beside. */
export function findServerlessFramework(servicePath: string, configFile: string): ServerlessFramework {
  let bin: string;
  try {
    bin = require.resolve('serverless/bin/serverless.js', { paths: [servicePath, __dirname] });
  } catch {
    throw new ServiceConfigError(
      configFile,
      'the Serverless Framework is not installed, and local-cloud reads serverless.yml through it',
      'install osls, the maintained Serverless Framework v3 that needs no login, under the name serverless: `npm install --save-dev serverless@npm:osls@3`',
    );
  }
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(bin), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  if (!manifest.version.startsWith('3.')) {
    throw new ServiceConfigError(
      configFile,
      `found Serverless Framework ${manifest.version}, but local-cloud needs v3 (v4 requires a login)`,
      'install osls, the maintained v3, under the name serverless: `npm install --save-dev serverless@npm:osls@3`',
    );
  }
  return { bin, version: manifest.version };
}

export const runServerlessPrint: ServerlessPrintRunner = async ({
  servicePath,
  configFile,
  stage,
  region,
}) => {
  const { bin } = findServerlessFramework(servicePath, configFile);
  const args = [
    // ${ssm:}, ${aws:}, ${cf:} and ${s3:} read local-cloud's values instead of AWS (see the file).
    '--require',
    LOCAL_VARIABLES_PRELOAD,
    bin,
    'print',
    '--format',
    'json',
    ...(stage ? ['--stage', stage] : []),
    ...(region ? ['--region', region] : []),
  ];
  const env = {
    ...process.env,
    // Offline and quiet: no telemetry calls home, no update notices, no deprecation prompts.
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    LOCAL_CLOUD_SECRETS_FILE: localSecretsFile(servicePath),
    LOCAL_CLOUD_ACCOUNT_ID: ACCOUNT_ID,
  };
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: servicePath, env, timeout: PRINT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, out, err) => {
        if (error) {
          // Depending on the error, the framework writes it to stderr or to stdout.
          const message = withoutFrameworkFrames(
            frameworkErrorMessage(err) || frameworkErrorMessage(out) || error.message,
          );
          reject(
            new ServiceConfigError(
              configFile,
              `\`serverless print\` rejected it: ${message}`,
              fixFor(message, servicePath),
            ),
          );
        } else {
          resolve({ stdout: out, stderr: err });
        }
      },
    );
  });
  let config: unknown;
  try {
    config = JSON.parse(stdout);
  } catch {
    throw new ServiceConfigError(
      configFile,
      `\`serverless print --format json\` printed something other than JSON: ${stdout.slice(0, 200)}`,
      `check that no plugin writes to standard output, with \`${inFolder(servicePath, 'npx serverless print --format json')}\``,
    );
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ServiceConfigError(
      configFile,
      'the resolved configuration is not a mapping',
      'correct serverless.yml',
    );
  }
  return { config: config as Record<string, unknown>, warnings: frameworkWarnings(stderr) };
};

/** A stack as the framework prints it, cut after the last frame outside the framework's own plugin manager. */
function withoutFrameworkFrames(message: string): string {
  return message.replace(/\s+at (?:async )?PluginManager\..*$/s, '');
}

/** The frame of a plugin's own code, just before the framework's plugin manager called it. */
const PLUGIN_FRAME = /\(([^()]+?):(\d+):\d+\)$/;

/** What to do about the framework's error, as commands that work from the current folder. */
export function fixFor(frameworkMessage: string, servicePath: string): string {
  if (/plugin .* not found/i.test(frameworkMessage)) {
    return 'run `npm install` so the plugins serverless.yml lists are installed';
  }
  if (/Value not found at "ssm" source/.test(frameworkMessage)) {
    const file = path.relative(process.cwd(), localSecretsFile(servicePath)) || localSecretsFile(servicePath);
    return `locally, \${ssm:...} reads local-cloud's Parameter Store: add the parameter to ${file} under "parameters" (for example { "parameters": { "/my/param": "value" } }), or declare it in resources as AWS::SSM::Parameter`;
  }
  const plugin = PLUGIN_FRAME.exec(frameworkMessage);
  // The framework's own frames are not a plugin's: what failed there is the configuration, or the framework.
  if (plugin && !plugin[1]!.split(path.sep).join('/').includes('/node_modules/serverless/')) {
    const file = path.relative(process.cwd(), plugin[1]!) || plugin[1]!;
    return `a plugin failed as the framework loaded it (${file}, line ${plugin[2]}): update it to a version made for Serverless Framework v3 and Node.js ${process.versions.node.split('.')[0]}, or remove it from \`plugins\` in serverless.yml to start without it`;
  }
  return `correct serverless.yml, then check it with \`${inFolder(servicePath, 'npx serverless print')}\``;
}

/** `command`, run in the service's folder: the framework reads serverless.yml from where it is started. */
function inFolder(servicePath: string, command: string): string {
  const folder = path.relative(process.cwd(), servicePath);
  return folder ? `cd ${folder} && ${command}` : command;
}

/**
 * The framework prints `Error:` then the message, a code frame for YAML errors, then an environment footer.
 * Keeps the message, without the code frame and the footer.
 */
export function frameworkErrorMessage(stderr: string): string {
  const lines = stderr.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'Error:');
  if (start === -1) return '';
  const body = lines.slice(start + 1);
  const message: string[] = [];
  for (const line of body) {
    if (line.trim() === '' && message.length > 0) break;
    if (line.trim() === '') continue;
    message.push(line.trim());
  }
  return message.join(' ');
}

/** `Warning: Invalid configuration encountered` and the `at '<path>': <problem>` lines beneath it. */
export function frameworkWarnings(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at '"))
    .map((line) => `serverless.yml ${line}`);
}
