// Secrets and parameters a service declares in CloudFormation: AWS::SecretsManager::Secret (SecretString, or
// GenerateSecretString, generated once and kept under the data directory so it survives restarts, as a
// deployed secret does) and AWS::SSM::Parameter (String or StringList; CloudFormation cannot create
// SecureString parameters).
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceDefinition } from '../../config/service-definition';
import {
  generatedPhysicalName,
  isRecord,
  resolveString,
  resourcesOfType,
  type CloudFormationContext,
} from '../../cloudformation/values';
import type { LocalSecrets, ParameterType } from './secrets-file';

export interface DeclaredSecrets extends LocalSecrets {
  /** Secrets declared without a value: they exist, but GetSecretValue finds no AWSCURRENT version. */
  secretsWithoutValue: Set<string>;
  warnings: string[];
}

export interface DeclaredSecretsOptions {
  region: string;
  accountId: string;
  /** Where generated values persist; none: generated again on every start. */
  dataDir?: string;
}

export function declaredSecrets(
  service: ServiceDefinition,
  options: DeclaredSecretsOptions,
): DeclaredSecrets {
  const stackName = `${service.service}-${service.provider.stage}`;
  const declared: DeclaredSecrets = {
    secrets: new Map(),
    parameters: new Map(),
    secretsWithoutValue: new Set(),
    warnings: [],
  };
  const names = new Map<string, string>();
  const context: CloudFormationContext = {
    region: options.region,
    accountId: options.accountId,
    stackName,
    ref: (logicalId) => names.get(logicalId),
    getAtt: () => undefined,
  };
  const generated = new GeneratedValues(options.dataDir);

  const secretResources = resourcesOfType(service.resources, 'AWS::SecretsManager::Secret');
  const parameterResources = resourcesOfType(service.resources, 'AWS::SSM::Parameter');
  for (const { logicalId, properties } of secretResources) {
    names.set(
      logicalId,
      resolveString(properties.Name, context) ?? generatedPhysicalName(stackName, logicalId),
    );
  }
  for (const { logicalId, properties } of parameterResources) {
    // CloudFormation names an unnamed parameter `CFN-<LogicalId>-<random>`.
    const suffix = generatedPhysicalName(stackName, logicalId).slice(-12);
    names.set(logicalId, resolveString(properties.Name, context) ?? `CFN-${logicalId}-${suffix}`);
  }

  for (const { logicalId, properties } of secretResources) {
    const name = names.get(logicalId) ?? logicalId;
    if (properties.SecretString !== undefined) {
      const value = resolveString(properties.SecretString, context);
      if (value === undefined) {
        declared.warnings.push(
          `resources.${logicalId}.SecretString refers to something local-cloud cannot resolve; give "${name}" a value in .local-cloud/secrets.json`,
        );
        declared.secretsWithoutValue.add(name);
      } else {
        declared.secrets.set(name, value);
      }
    } else if (isRecord(properties.GenerateSecretString)) {
      const settings = properties.GenerateSecretString;
      declared.secrets.set(
        name,
        generated.get(`${logicalId}:${name}`, () => generateSecretString(settings)),
      );
    } else {
      declared.secretsWithoutValue.add(name);
    }
  }
  generated.save();

  for (const { logicalId, properties } of parameterResources) {
    const name = names.get(logicalId) ?? logicalId;
    const type: ParameterType = properties.Type === 'StringList' ? 'StringList' : 'String';
    const value = resolveString(properties.Value, context);
    if (value === undefined) {
      declared.warnings.push(
        `resources.${logicalId}.Value refers to something local-cloud cannot resolve; give "${name}" a value in .local-cloud/secrets.json`,
      );
      continue;
    }
    declared.parameters.set(name, { type, value });
  }
  return declared;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** As Secrets Manager's GetRandomPassword: 32 characters by default, one of each included kind. */
export function generateSecretString(settings: Record<string, unknown>): string {
  const password = randomPassword(settings);
  const template = settings.SecretStringTemplate;
  const key = settings.GenerateStringKey;
  if (typeof template !== 'string' || typeof key !== 'string') return password;
  const object = JSON.parse(template) as Record<string, unknown>;
  object[key] = password;
  return JSON.stringify(object);
}

function randomPassword(settings: Record<string, unknown>): string {
  const length = typeof settings.PasswordLength === 'number' ? settings.PasswordLength : 32;
  const excluded = new Set(typeof settings.ExcludeCharacters === 'string' ? settings.ExcludeCharacters : '');
  const kinds = [
    settings.ExcludeUppercase === true ? '' : UPPER,
    settings.ExcludeLowercase === true ? '' : LOWER,
    settings.ExcludeNumbers === true ? '' : DIGITS,
    settings.ExcludePunctuation === true ? '' : PUNCTUATION,
    settings.IncludeSpace === true ? ' ' : '',
  ]
    .map((kind) => [...kind].filter((char) => !excluded.has(char)).join(''))
    .filter((kind) => kind.length > 0);
  const all = kinds.join('');
  if (all.length === 0) return '';
  const pick = (from: string) => from[randomInt(from.length)] ?? '';
  const chars = Array.from({ length }, () => pick(all));
  if (settings.RequireEachIncludedType !== false && length >= kinds.length) {
    // Put one of each kind at distinct random places.
    const places = [...Array(length).keys()];
    for (const kind of kinds) {
      const place = places.splice(randomInt(places.length), 1)[0] ?? 0;
      chars[place] = pick(kind);
    }
  }
  return chars.join('');
}

/** `<dataDir>/generated.json`: values generated for the service's secrets, kept across restarts. */
class GeneratedValues {
  private readonly values: Record<string, string> = {};
  private changed = false;

  constructor(private readonly dataDir: string | undefined) {
    const file = this.file();
    if (file && existsSync(file)) {
      try {
        Object.assign(this.values, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
      } catch {
        // A damaged file only means new values are generated, as for a first start.
      }
    }
  }

  get(key: string, generate: () => string): string {
    const existing = this.values[key];
    if (existing !== undefined) return existing;
    this.changed = true;
    return (this.values[key] = generate());
  }

  save(): void {
    const file = this.file();
    if (!file || !this.changed || !this.dataDir) return;
    mkdirSync(this.dataDir, { recursive: true });
    if (!existsSync(path.join(this.dataDir, '.gitignore')))
      writeFileSync(path.join(this.dataDir, '.gitignore'), '*\n');
    writeFileSync(`${file}.tmp`, `${JSON.stringify(this.values, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  private file(): string | undefined {
    return this.dataDir ? path.join(this.dataDir, 'generated.json') : undefined;
  }
}
