// The key that signs `nextKey` tokens lives in Secrets Manager. @middy/secrets-manager fetches it on the
// first invocation and keeps it in module scope (outside the handler) for the sandbox's life, so a warm
// sandbox pays no Secrets Manager call per request. A rotated key reaches new sandboxes; a token signed
// with the old key is then a 400, and the client starts again from the first page.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import secretsManager from '@middy/secrets-manager';
import type { Context } from 'aws-lambda';
import { traced } from '../adapters/aws-clients';
import { HmacPageTokens } from '../adapters/hmac-page-tokens';
import { setting } from '../adapters/environment';
import type { PageTokens } from '../core/ports';

export function paginationSecret() {
  return secretsManager({
    AwsClient: SecretsManagerClient,
    fetchData: { paginationSecret: setting('PAGINATION_SECRET_ARN') },
    setToContext: true,
    // Never expires: an expiry would also start a refresh timer that keeps the event loop busy.
    cacheExpiry: -1,
    // Fetched inside the first invocation, not at init: its span then belongs to that invocation's trace.
    disablePrefetch: true,
    awsClientCapture: (client: SecretsManagerClient) => traced(client, 'SecretsManager'),
  });
}

export function pageTokensOf(context: Context): PageTokens {
  // The secret is JSON, {"key": "..."} (serverless.yml generates it so), which the middleware parses.
  const secret = (context as Context & { paginationSecret?: { key?: unknown } }).paginationSecret;
  if (typeof secret?.key !== 'string' || secret.key === '') {
    throw new Error(
      'The pagination secret has no key. Store {"key": "<random text>"} in PAGINATION_SECRET_ARN',
    );
  }
  return new HmacPageTokens(secret.key);
}
