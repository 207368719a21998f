import type { ImageDocument, SearchIndex } from '../ports/search-index';
import { ValidationError } from './errors';

export const MAX_QUERY_LENGTH = 100;
export const SEARCH_LIMIT = 20;

/** GET /images/search?q=...: the best matches for the words in q. */
export async function searchImages(index: SearchIndex, query: string | undefined): Promise<ImageDocument[]> {
  const words = (query ?? '').trim();
  if (words === '') {
    throw new ValidationError('The query is empty. Pass the words to look for, for example ?q=sunset.');
  }
  if (words.length > MAX_QUERY_LENGTH) {
    throw new ValidationError(
      `The query is ${words.length} characters long; at most ${MAX_QUERY_LENGTH} are allowed. Use fewer words.`,
    );
  }
  return index.search(words, SEARCH_LIMIT);
}
