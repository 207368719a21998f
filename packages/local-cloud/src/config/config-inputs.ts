// Everything `serverless print` reads to resolve a service: the configuration file, the files it pulls in
// through ${file(...)} (and the files those pull in), and the environment variables it reads through ${env:}.
// Their digest is the cache key: when none of them changed, the resolved configuration cannot have changed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { localSecretsFile } from './local-files';

/** The names the framework v3 looks for, in its order. */
export const CONFIG_FILE_NAMES = [
  'serverless.yml',
  'serverless.yaml',
  'serverless.json',
  'serverless.js',
  'serverless.ts',
];

export function findConfigFile(servicePath: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => path.join(servicePath, name)).find((file) => existsSync(file));
}

export interface ConfigInputs {
  /** The service folder; the digest names files relative to it, so a copied service keeps its cache. */
  servicePath: string;
  /** Absolute paths, the configuration file first; files referenced but absent are listed too. */
  files: string[];
  /** Names read through ${env:NAME}. */
  environmentVariables: string[];
  /**
   * False when a ${file()} path has a variable in its folder part, so the files it may read cannot be
   * listed: such a service is resolved on every start.
   */
  cacheable: boolean;
}

const FILE_REFERENCE = /\$\{file\(\s*([^)]+?)\s*\)/g;
const ENV_REFERENCE = /\$\{env:\s*([A-Za-z_][A-Za-z0-9_]*)/g;
const VARIABLE = /\$\{[^}]*\}?/g;

/** Follows ${file()} references from the configuration file; paths are relative to the service folder. */
export function collectConfigInputs(servicePath: string, configFile: string): ConfigInputs {
  const files: string[] = [];
  const environmentVariables = new Set<string>();
  let cacheable = true;
  const pending = [configFile];
  while (pending.length > 0) {
    const file = pending.shift()!;
    if (files.includes(file)) continue;
    files.push(file);
    const text = readText(file);
    if (text === undefined || !/\.(ya?ml|json)$/.test(file)) continue;
    for (const match of text.matchAll(ENV_REFERENCE)) environmentVariables.add(match[1]!);
    for (const match of text.matchAll(FILE_REFERENCE)) {
      const reference = match[1]!.replace(/^['"]|['"]$/g, '');
      if (!reference.includes('${')) {
        pending.push(path.resolve(servicePath, reference));
        continue;
      }
      const absolute = path.resolve(servicePath, reference);
      if (path.dirname(absolute).includes('${')) {
        cacheable = false;
        continue;
      }
      // `config.${sls:stage}.json`: every file the name could stand for.
      pending.push(...filesMatching(path.dirname(absolute), path.basename(absolute)));
    }
  }
  // ${ssm:...} resolves from local-cloud's secrets file (local-variables-preload.js): a changed value there is a
  // changed configuration.
  if (files.some((file) => readText(file)?.includes('${ssm:'))) files.push(localSecretsFile(servicePath));
  return { servicePath, files, environmentVariables: [...environmentVariables].sort(), cacheable };
}

/** sha256 over the inputs' contents, the values of the variables they read, and what else shapes the output. */
export function digestConfigInputs(inputs: ConfigInputs, extra: Record<string, unknown>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(extra));
  for (const file of inputs.files) {
    hash.update(`\0file:${path.relative(inputs.servicePath, file)}\0`);
    hash.update(readText(file) ?? '\0absent');
  }
  for (const name of inputs.environmentVariables) {
    hash.update(`\0env:${name}=${process.env[name] ?? '\0unset'}`);
  }
  return hash.digest('hex');
}

function filesMatching(folder: string, namePattern: string): string[] {
  const parts = namePattern.split(VARIABLE).map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
  const pattern = new RegExp(`^${parts.join('.*')}$`);
  try {
    return readdirSync(folder)
      .filter((name) => pattern.test(name))
      .sort()
      .map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
