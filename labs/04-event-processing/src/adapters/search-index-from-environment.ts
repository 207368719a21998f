import { S3Client } from '@aws-sdk/client-s3';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { ConfigurationError } from '../core/errors';
import type { SearchIndex } from '../ports/search-index';
import { requireEnv } from '../config/environment';
import { MiniSearchIndex } from './minisearch-index';
import { OpenSearchIndex } from './opensearch-index';

/**
 * SEARCH_ENGINE picks the adapter: `minisearch` (the default; an embedded index saved in S3) or `opensearch`
 * (a cluster at OPENSEARCH_ENDPOINT, requests signed with the function's role).
 */
export function searchIndexFromEnvironment(env: NodeJS.ProcessEnv = process.env): SearchIndex {
  const engine = env.SEARCH_ENGINE ?? 'minisearch';
  if (engine === 'minisearch') {
    return new MiniSearchIndex(new S3Client({}), requireEnv('SEARCH_INDEX_BUCKET', env));
  }
  if (engine === 'opensearch') {
    const node = requireEnv('OPENSEARCH_ENDPOINT', env);
    const region = requireEnv('AWS_REGION', env);
    return new OpenSearchIndex(new Client({ ...AwsSigv4Signer({ region, service: 'es' }), node }));
  }
  throw new ConfigurationError(
    `SEARCH_ENGINE is ${JSON.stringify(engine)}. Set it to minisearch or opensearch in serverless.yml.`,
  );
}
