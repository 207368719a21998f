// The environment a sandbox's process sees. On AWS a function sees its own variables plus the ones the runtime
// defines, nothing of the machine that runs it; so the emulator's own process.env (which may hold real AWS
// credentials, a profile, NODE_OPTIONS for Jest...) is not passed on, only what a process needs to run here.
import { randomBytes } from 'node:crypto';
import type { FunctionDefinition, ServiceDefinition } from '../config/service-definition';
import { EnvironmentTooLargeError, ReservedEnvironmentVariableError } from './errors';

export const ENVIRONMENT_LIMIT_BYTES = 4096;

/** Variables Lambda sets and refuses to let a function set (its deploy fails with "reserved keys"). */
export const RESERVED_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
] as const;

/** Taken from the emulator's environment: what programs and npm packages need to run on this machine. */
const HOST_ESSENTIALS = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot', 'WINDIR', 'LD_LIBRARY_PATH'];

/** Throws when the function's own environment would make its deploy fail. */
export function checkFunctionEnvironment(fn: FunctionDefinition): void {
  const reserved = Object.keys(fn.environment).filter((key) =>
    (RESERVED_VARIABLES as readonly string[]).includes(key),
  );
  if (reserved.length > 0) throw new ReservedEnvironmentVariableError(fn.key, reserved);
  let size = 0;
  let largest = { key: '', bytes: 0 };
  for (const [key, value] of Object.entries(fn.environment)) {
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(value);
    size += bytes;
    if (bytes > largest.bytes) largest = { key, bytes };
  }
  if (size > ENVIRONMENT_LIMIT_BYTES) {
    throw new EnvironmentTooLargeError(
      fn.key,
      size,
      ENVIRONMENT_LIMIT_BYTES,
      `${largest.key} (${largest.bytes} bytes)`,
    );
  }
}

/**
 * Everything but the log stream, which differs per sandbox (each execution environment writes its own).
 * `extraEnvironment` (the emulator's endpoints and local access keys) wins over the function's own variables:
 * handlers must reach local-cloud, not AWS.
 */
export function functionEnvironment(
  service: ServiceDefinition,
  fn: FunctionDefinition,
  extraEnvironment: Record<string, string> = {},
): Record<string, string> {
  const host: Record<string, string> = {};
  for (const key of HOST_ESSENTIALS) {
    const value = process.env[key];
    if (value !== undefined) host[key] = value;
  }
  return {
    ...host,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...fn.environment,
    AWS_REGION: service.provider.region,
    AWS_DEFAULT_REGION: service.provider.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn),
    LAMBDA_TASK_ROOT: service.servicePath,
    _HANDLER: fn.handler,
    ...extraEnvironment,
  };
}

export function logGroupName(fn: FunctionDefinition): string {
  return `/aws/lambda/${fn.name}`;
}

/** `2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef`, as Lambda names an execution environment's stream. */
export function newLogStreamName(now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
