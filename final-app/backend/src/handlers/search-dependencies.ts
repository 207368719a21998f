// The search index, apart from dependencies.ts so that only the two functions that search bundle the
// search clients.
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { s3 } from '../adapters/aws-clients';
import { setting } from '../adapters/environment';
import { MiniSearchSearchIndex } from '../adapters/minisearch-search-index';
import { OpenSearchSearchIndex } from '../adapters/opensearch-search-index';
import type { SearchIndex } from '../core/ports';
import { once } from './dependencies';

/** OpenSearch when OPENSEARCH_ENDPOINT is set (production scale), else MiniSearch over an S3 object. */
export const searchIndex = once<SearchIndex>(() => {
  const endpoint = process.env.OPENSEARCH_ENDPOINT;
  if (endpoint) {
    const client = new Client({
      ...AwsSigv4Signer({
        region: setting('AWS_REGION'),
        service: 'es',
        getCredentials: () => s3.config.credentials(),
      }),
      node: endpoint,
    });
    return new OpenSearchSearchIndex(client);
  }
  return new MiniSearchSearchIndex(s3, setting('SEARCH_INDEX_BUCKET'));
});
