// One DynamoDB Local for many in-memory services: a test run starts a Java process per test file otherwise,
// which costs about 2 CPU-seconds and 1.5 s of waiting each time. The shared process runs without -sharedDb,
// so DynamoDB Local keeps a separate database for each access key; every service that borrows it gets an
// access key of its own (its namespace), which its signature proxy puts on each request it forwards. Two test
// files can then declare the same table names and never see each other's items.
//
// The process is announced in an environment variable, so anything started after it (Jest's workers, spawned
// after its globalSetup) finds it: `jest-global-setup.ts` starts it for `npm test`.
import { randomBytes } from 'node:crypto';
import type { AccessKeyPair } from '../../protocol/sigv4';

/**
 * The URL of a DynamoDB Local (started without -sharedDb) that in-memory services may borrow; `off` makes
 * every service start its own, as it does when the variable is unset outside `npm test`.
 */
export const SHARED_DYNAMODB_LOCAL_ENV = 'LOCAL_CLOUD_SHARED_DYNAMODB_LOCAL';
export const SHARING_OFF = 'off';

export interface BorrowedDynamoDbLocal {
  url: string;
  port: number;
  /** The key this service's requests carry to DynamoDB Local: its own database there. */
  namespace: AccessKeyPair;
}

/**
 * The shared DynamoDB Local announced in `env`, with a fresh namespace, or undefined when there is none or
 * its URL is not a loopback one (the variable is for local-cloud's own test runs, never a remote host).
 */
export function borrowSharedDynamoDbLocal(env: NodeJS.ProcessEnv): BorrowedDynamoDbLocal | undefined {
  const announced = env[SHARED_DYNAMODB_LOCAL_ENV];
  if (!announced || announced === SHARING_OFF) return undefined;
  let url: URL;
  try {
    url = new URL(announced);
  } catch {
    throw new Error(
      `${SHARED_DYNAMODB_LOCAL_ENV} is "${announced}", which is not a URL. Fix: unset it, set it to ${SHARING_OFF}, or to http://127.0.0.1:<port> of a DynamoDB Local started without -sharedDb`,
    );
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.port === '') {
    throw new Error(
      `${SHARED_DYNAMODB_LOCAL_ENV} is "${announced}"; it must be http://127.0.0.1:<port>. Fix: unset it, or point it at a DynamoDB Local on this machine`,
    );
  }
  return {
    url: `http://127.0.0.1:${url.port}`,
    port: Number(url.port),
    namespace: namespaceKeys(newNamespace()),
  };
}

/** What a namespace's access key id looks like: DynamoDB Local names its database files after it. */
export const NAMESPACE_PATTERN = /^LCNS[0-9A-F]{16}$/;

/** A new namespace's access key id: letters and digits keep the database's file name plain. */
export function newNamespace(): string {
  return `LCNS${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** The key pair of a namespace: DynamoDB Local checks no signature, so the secret is a placeholder. */
export function namespaceKeys(accessKeyId: string): AccessKeyPair {
  return { accessKeyId, secretAccessKey: 'namespace-key-dynamodb-local-checks-no-signature' };
}

/**
 * The Authorization header with its credential's access key replaced, so DynamoDB Local files the request
 * under `accessKeyId`. The signature no longer matches, which is fine: DynamoDB Local checks none, and the
 * proxy verified the original before this.
 */
export function withAccessKey(authorization: string, accessKeyId: string): string {
  return authorization.replace(/Credential=[^/,\s]+\//, `Credential=${accessKeyId}/`);
}
