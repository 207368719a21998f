import type { ImageDocument, IndexChange, SearchIndex } from '../../src/ports/search-index';

/** A SearchIndex that remembers what it was asked to apply and search, for tests of its callers. */
export class MemorySearchIndex implements SearchIndex {
  readonly applied: IndexChange[][] = [];
  readonly queries: { query: string; limit: number }[] = [];
  failure?: Error;

  constructor(private readonly hits: ImageDocument[] = []) {}

  async apply(changes: readonly IndexChange[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.applied.push([...changes]);
  }

  async search(query: string, limit: number): Promise<ImageDocument[]> {
    this.queries.push({ query, limit });
    return this.hits;
  }
}
