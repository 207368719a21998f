// `<service>/.local-cloud/secrets.json`: the values a deployed service would find in Secrets Manager and
// Parameter Store, kept on the developer's machine (`.local-cloud/` is gitignored). Its shape:
//
//   {
//     "secrets": {
//       "udagram/dev/db": { "username": "admin", "password": "s3cret" },   // an object: stored as JSON text
//       "udagram/dev/api-key": "plain text"
//     },
//     "parameters": {
//       "/udagram/dev/table": "images",                                    // a String parameter
//       "/udagram/dev/signing-key": { "value": "...", "type": "SecureString" },
//       "/udagram/dev/origins": { "value": ["http://localhost:5173"], "type": "StringList" }
//     }
//   }
//
// Errors name the file, the entry and the fix, never a value: secrets must not reach a terminal or a log.
import { readFileSync } from 'node:fs';
import { ServiceConfigError } from '../../config/service-config-error';
import { isRecord } from '../../common/records';

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface LocalSecrets {
  /** Secret name to SecretString. */
  secrets: Map<string, string>;
  parameters: Map<string, { type: ParameterType; value: string }>;
}

const FIX_SHAPE =
  'write { "secrets": { "name": "value or object" }, "parameters": { "/path": "value" or { "value": "...", "type": "SecureString" } } }';

export function emptySecrets(): LocalSecrets {
  return { secrets: new Map(), parameters: new Map() };
}

/** Reads and checks the file; throws ServiceConfigError (one line, no values) when it is malformed. */
export function readSecretsFile(file: string): LocalSecrets {
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse's own message quotes the text around the error, which may be a secret: give the place only.
    throw new ServiceConfigError(file, `is not valid JSON${where(text, error)}`, 'fix the JSON syntax there');
  }
  if (!isRecord(parsed)) throw new ServiceConfigError(file, 'must hold a JSON object', FIX_SHAPE);
  const unknown = Object.keys(parsed).filter((key) => key !== 'secrets' && key !== 'parameters');
  if (unknown.length > 0) {
    throw new ServiceConfigError(file, `has unknown top-level key "${unknown[0]}"`, FIX_SHAPE);
  }
  const result = emptySecrets();
  const secrets = parsed.secrets ?? {};
  if (!isRecord(secrets))
    throw new ServiceConfigError(file, '"secrets" must be an object of name to value', FIX_SHAPE);
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value === 'string') result.secrets.set(name, value);
    else if (isRecord(value) || Array.isArray(value)) result.secrets.set(name, JSON.stringify(value));
    else {
      throw new ServiceConfigError(
        file,
        `secrets."${name}" must be a string or an object`,
        'quote the value, or give an object',
      );
    }
  }
  const parameters = parsed.parameters ?? {};
  if (!isRecord(parameters)) {
    throw new ServiceConfigError(file, '"parameters" must be an object of name to value', FIX_SHAPE);
  }
  for (const [name, value] of Object.entries(parameters)) {
    checkParameterName(file, name);
    result.parameters.set(name, parameterOf(file, name, value));
  }
  return result;
}

function parameterOf(file: string, name: string, value: unknown): { type: ParameterType; value: string } {
  if (typeof value === 'string') return { type: 'String', value };
  const fix = 'give a string, or { "value": "...", "type": "String" | "StringList" | "SecureString" }';
  if (!isRecord(value))
    throw new ServiceConfigError(file, `parameters."${name}" must be a string or an object`, fix);
  const type = value.type ?? 'String';
  if (type !== 'String' && type !== 'StringList' && type !== 'SecureString') {
    throw new ServiceConfigError(
      file,
      `parameters."${name}".type must be String, StringList or SecureString`,
      fix,
    );
  }
  if (
    type === 'StringList' &&
    Array.isArray(value.value) &&
    value.value.every((item) => typeof item === 'string')
  ) {
    return { type, value: value.value.join(',') };
  }
  if (typeof value.value !== 'string' || value.value === '') {
    throw new ServiceConfigError(file, `parameters."${name}".value must be a non-empty string`, fix);
  }
  return { type, value: value.value };
}

function checkParameterName(file: string, name: string): void {
  const valid =
    /^[A-Za-z0-9_.\-/]{1,2048}$/.test(name) &&
    (!name.includes('/') || name.startsWith('/')) &&
    !/^\/?(aws|ssm)/i.test(name);
  if (!valid) {
    throw new ServiceConfigError(
      file,
      `parameters."${name}" is not a valid parameter name`,
      'use letters, digits and . - _ /; a name with / must begin with /, and must not begin with aws or ssm',
    );
  }
}

/** ` (line L, column C)` when the parser says where, else nothing. */
function where(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` (line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1})`;
}
