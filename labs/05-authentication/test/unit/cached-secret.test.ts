// The signing key middleware with Secrets Manager mocked: what it fetches, how often, and for how long it
// trusts its cache. Each test uses its own secret id, because the cache lives in module scope, exactly as it
// lives in a Lambda sandbox across invocations.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import { createContext } from '@serverless-course/test-kit';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Context } from 'aws-lambda';
import { SECRET_CACHE_TTL_MS, signingKey, type SigningKeyContext } from '../../src/secrets/signing-key';

const secrets = mockClient(SecretsManagerClient);
let secretNumber = 0;

beforeEach(() => {
  secrets.reset();
  jest.useFakeTimers({ now: new Date('2026-11-21T10:00:00Z') });
});

afterEach(() => {
  jest.useRealTimers();
});

/** A fresh secret id and a handler that answers with the key the middleware put in its context. */
function handlerReading() {
  secretNumber += 1;
  const secretId = `arn:aws:secretsmanager:us-east-1:123456789012:secret:authentication/test/key-${secretNumber}`;
  const handler = middy(
    async (_event: unknown, context: Context) => (context as SigningKeyContext).signingKey,
  ).use(signingKey(secretId));
  return { secretId, invoke: () => handler({}, createContext()) };
}

describe('the cached signing key', () => {
  it('puts the secret into the context', async () => {
    const { secretId, invoke } = handlerReading();
    secrets.on(GetSecretValueCommand, { SecretId: secretId }).resolves({ SecretString: 'k3y-one' });

    await expect(invoke()).resolves.toBe('k3y-one');
  });

  it('fetches the secret once for many invocations of the same sandbox', async () => {
    const { invoke } = handlerReading();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'k3y-one' });

    for (let invocation = 0; invocation < 5; invocation += 1) {
      await expect(invoke()).resolves.toBe('k3y-one');
    }

    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('keeps the value for five minutes, then fetches it again (a rotated key arrives)', async () => {
    const { invoke } = handlerReading();
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'old-key' })
      .resolves({ SecretString: 'new-key' });
    await invoke();

    jest.advanceTimersByTime(SECRET_CACHE_TTL_MS - 1000);
    await expect(invoke()).resolves.toBe('old-key');
    jest.advanceTimersByTime(2000);
    const afterTtl = await invoke();

    expect(SECRET_CACHE_TTL_MS).toBe(300_000);
    expect(afterTtl).toBe('new-key');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('fails the invocation when Secrets Manager fails, and tries again on the next one', async () => {
    const { invoke } = handlerReading();
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: 'k3y-one' });

    await expect(invoke()).rejects.toThrow(Error);
    await expect(invoke()).resolves.toBe('k3y-one');
  });

  // BEGIN HIDDEN TESTS
  it('does not fetch anything before the first invocation', () => {
    handlerReading();

    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });
  // END HIDDEN TESTS
});
