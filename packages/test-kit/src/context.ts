import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface FakeContextOptions {
  functionName?: string;
  functionVersion?: string;
  /** Memory size in MB, 128 to 10,240 as on Lambda. */
  memoryLimitInMB?: number;
  /** The function's timeout in milliseconds; the AWS default is 3 s. */
  timeoutMs?: number;
  region?: string;
  accountId?: string;
  awsRequestId?: string;
}

const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 10_240;
const MAX_TIMEOUT_MS = 900_000;

/**
 * A Lambda `context` as the Node.js runtime passes it. `getRemainingTimeInMillis()` counts down from the
 * moment the context is created, using `Date.now()`, so Jest's fake timers move it too.
 */
export function createContext(options: FakeContextOptions = {}): Context {
  const functionName = options.functionName ?? 'test-function';
  const functionVersion = options.functionVersion ?? '$LATEST';
  const memory = options.memoryLimitInMB ?? 1024;
  const timeoutMs = options.timeoutMs ?? 3000;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  if (!Number.isInteger(memory) || memory < MIN_MEMORY_MB || memory > MAX_MEMORY_MB) {
    throw new RangeError(
      `memoryLimitInMB must be a whole number from 128 to 10240 (Lambda's range), got ${memory}`,
    );
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new RangeError(
      `timeoutMs must be a whole number from 1 to 900000 (Lambda's 15 minutes), got ${timeoutMs}`,
    );
  }
  const deadline = Date.now() + timeoutMs;
  const legacy = (name: string) => () => {
    throw new Error(
      `context.${name}() is the legacy Node.js 0.10 completion API; return a value (or throw) from an async handler, or call the callback, instead`,
    );
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    // The Node.js runtime passes the memory size as a string.
    memoryLimitInMB: String(memory),
    awsRequestId: options.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${logStreamDate(new Date())}/[${functionVersion}]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: legacy('done'),
    fail: legacy('fail'),
    succeed: legacy('succeed'),
  };
}

function logStreamDate(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '/');
}
