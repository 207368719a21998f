// Full-text search with Amazon OpenSearch Service (or any OpenSearch): one document per image in the
// `images` index, changes sent as one bulk request whose per-item results say which to retry.
import type { Client } from '@opensearch-project/opensearch';
import type { IndexChange } from '../core/model';
import type { SearchIndex } from '../core/ports';

export const OPENSEARCH_INDEX = 'images';

/** The two calls the adapter makes, so tests can stand in for the client. */
export type OpenSearchClient = Pick<Client, 'bulk' | 'search'>;

interface BulkItem {
  [action: string]: { _id?: string; status?: number; error?: unknown } | undefined;
}

export class OpenSearchSearchIndex implements SearchIndex {
  constructor(
    private readonly client: OpenSearchClient,
    private readonly index = OPENSEARCH_INDEX,
  ) {}

  async apply(changes: IndexChange[]): Promise<string[]> {
    const body = changes.flatMap((change): Record<string, unknown>[] =>
      change.kind === 'upsert'
        ? [{ index: { _index: this.index, _id: change.document.imageId } }, { ...change.document }]
        : [{ delete: { _index: this.index, _id: change.imageId } }],
    );
    let items: BulkItem[];
    try {
      const response = await this.client.bulk({ body, refresh: 'wait_for' });
      items = (response.body as { items?: BulkItem[] }).items ?? [];
    } catch (error) {
      console.warn(`Could not reach OpenSearch: ${(error as Error).name}`);
      return changes.map((change) => change.id);
    }
    return changes.flatMap((change, position) => {
      const result = Object.values(items[position] ?? {})[0];
      // Deleting a document that is not there (404) leaves the index as wanted.
      const applied =
        result !== undefined &&
        (result.error === undefined || (change.kind === 'remove' && result.status === 404));
      return applied ? [] : [change.id];
    });
  }

  async search(query: string, limit: number): Promise<string[]> {
    const response = await this.client.search({
      index: this.index,
      body: {
        size: limit,
        _source: false,
        query: { match: { title: { query, fuzziness: 'AUTO', operator: 'and' } } },
      },
    });
    const hits = (response.body as { hits?: { hits?: { _id: string }[] } }).hits?.hits ?? [];
    return hits.map((hit) => hit._id);
  }
}
