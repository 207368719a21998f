// Keeps the search index in step with the images table, from its stream.
import type { IndexChange } from './model';
import type { SearchIndex } from './ports';

/**
 * Applies the changes and answers the ids to retry. A stream retries from the first failed record, so
 * every change after a failed one is reported too: applying them early would let an older change win later.
 */
export async function indexChanges(index: SearchIndex, changes: IndexChange[]): Promise<string[]> {
  if (changes.length === 0) return [];
  const failed = new Set(await index.apply(changes));
  const first = changes.findIndex((change) => failed.has(change.id));
  return first === -1 ? [] : changes.slice(first).map((change) => change.id);
}
