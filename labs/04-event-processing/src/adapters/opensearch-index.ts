import { errors, type Client } from '@opensearch-project/opensearch';
import type { ImageDocument, IndexChange, SearchIndex } from '../ports/search-index';

export const OPENSEARCH_INDEX = 'images';

type BulkAction = { index: { _index: string; _id: string } } | { delete: { _index: string; _id: string } };

interface BulkItemResult {
  status: number;
  error?: { type: string; reason: string };
}

/**
 * Amazon OpenSearch Service (or any OpenSearch cluster): a search engine that runs beside the functions, so
 * every sandbox sees the same index with no file to pass around, at the price of a cluster that runs (and is
 * billed) all the time.
 */
export class OpenSearchIndex implements SearchIndex {
  constructor(
    private readonly client: Client,
    private readonly indexName: string = OPENSEARCH_INDEX,
  ) {}

  async apply(changes: readonly IndexChange[]): Promise<void> {
    // BEGIN SOLUTION search-index
    // TODO(search-index): one _bulk request: index (by imageId) each upsert, delete each removal; throw on item errors.
    if (changes.length === 0) return;
    const body = changes.flatMap((change): (BulkAction | ImageDocument)[] =>
      change.type === 'upsert'
        ? [{ index: { _index: this.indexName, _id: change.document.imageId } }, change.document]
        : [{ delete: { _index: this.indexName, _id: change.imageId } }],
    );
    const response = await this.client.bulk({ body });
    const items = response.body.items as Record<string, BulkItemResult>[];
    // Deleting a document that is not there (404) is what a repeated REMOVE does: not an error.
    const failed = items
      .flatMap((item) => Object.values(item))
      .filter((result) => result.error !== undefined && result.status !== 404);
    if (failed.length > 0) {
      throw new Error(
        `OpenSearch refused ${failed.length} of ${items.length} change(s): ${failed.map((result) => result.error?.reason).join('; ')}`,
      );
    }
    // END SOLUTION
  }

  async search(query: string, limit: number): Promise<ImageDocument[]> {
    // BEGIN SOLUTION search-index
    // TODO(search-index): a match query on title (fuzziness AUTO), `limit` hits; a missing index means no hits.
    try {
      const response = await this.client.search({
        index: this.indexName,
        body: { size: limit, query: { match: { title: { query, fuzziness: 'AUTO' } } } },
      });
      return response.body.hits.hits.flatMap((hit) => (hit._source ? [hit._source as ImageDocument] : []));
    } catch (error) {
      // Nothing has been indexed yet.
      if (error instanceof errors.ResponseError && error.statusCode === 404) return [];
      throw error;
    }
    // END SOLUTION
  }
}
