import type { MiddlewareObj } from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import type { Context } from 'aws-lambda';

/** A handler's context once the signing key middleware has run. */
export interface SigningKeyContext extends Context {
  signingKey: string;
}

/**
 * Five minutes: a sandbox calls Secrets Manager at most once per five minutes instead of once per request
 * ($0.05 per 10,000 calls, and a network round trip each), and a rotated key reaches every sandbox within
 * five minutes.
 */
export const SECRET_CACHE_TTL_MS = 5 * 60 * 1000;

/**
 * Puts the secret `secretId` (its name or ARN) into `context.signingKey`. The value is fetched on the first
 * invocation of a sandbox and kept in module scope, outside the handler, for SECRET_CACHE_TTL_MS; every
 * invocation meanwhile reuses it without calling Secrets Manager.
 */
export function signingKey(secretId: string): MiddlewareObj {
  // BEGIN SOLUTION cached-secret
  // TODO(cached-secret): use @middy/secrets-manager: fetch secretId as signingKey into the context, cached for SECRET_CACHE_TTL_MS.
  return secretsManager({
    fetchData: { signingKey: secretId },
    cacheKey: `signing-key:${secretId}`,
    cacheExpiry: SECRET_CACHE_TTL_MS,
    setToContext: true,
    // Fetch on the first invocation rather than while the module loads, so a failure is an invocation's
    // error (and retried on the next one) instead of a broken sandbox.
    disablePrefetch: true,
  }) as MiddlewareObj;
  // END SOLUTION
}
