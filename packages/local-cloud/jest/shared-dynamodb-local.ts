// Jest's globalSetup and globalTeardown for a whole test run (the root jest.config.js names them): one
// DynamoDB Local that every in-memory local-cloud service of every test file borrows, each in its own
// namespace, instead of one Java process per test file. Jest starts its workers after globalSetup, so they
// inherit the variable that announces it. Without Java nothing is announced, and each service reports the
// missing Java itself, as it would without this.
import {
  startDynamoDbLocal,
  type DynamoDbLocalProcess,
} from '../src/services/dynamodb/dynamodb-local-process';
import { checkJava, defaultJavaCommand, probeJava } from '../src/services/dynamodb/java';
import { SHARED_DYNAMODB_LOCAL_ENV } from '../src/services/dynamodb/shared-dynamodb-local';

// globalSetup and globalTeardown run in Jest's main process; globalThis is how they share what they hold.
const holder = globalThis as { sharedDynamoDbLocal?: DynamoDbLocalProcess };

export async function setup(): Promise<void> {
  // Set by an outer run (a test that runs Jest), whose DynamoDB Local is already shared, or `off`.
  if (process.env[SHARED_DYNAMODB_LOCAL_ENV]) return;
  const javaCommand = defaultJavaCommand();
  try {
    await checkJava(javaCommand, probeJava);
  } catch {
    return;
  }
  const dynamoDbLocal = await startDynamoDbLocal({ javaCommand, startTimeoutMs: 60_000 });
  holder.sharedDynamoDbLocal = dynamoDbLocal;
  process.env[SHARED_DYNAMODB_LOCAL_ENV] = dynamoDbLocal.url;
}

export async function teardown(): Promise<void> {
  const dynamoDbLocal = holder.sharedDynamoDbLocal;
  if (!dynamoDbLocal) return;
  delete process.env[SHARED_DYNAMODB_LOCAL_ENV];
  holder.sharedDynamoDbLocal = undefined;
  await dynamoDbLocal.stop();
}
