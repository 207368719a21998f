import { searchIndexFromEnvironment } from '../adapters/search-index-from-environment';
import { searchImages } from '../core/search-images';
import { httpHandler } from '../http/http-handler';
import type { SearchIndex } from '../ports/search-index';

// Module scope: a warm sandbox keeps the loaded index and downloads it again only when it has changed.
let index: SearchIndex | undefined;

/** GET /images/search?q=words: 200 { items: [...] }, best matches first. */
export const handler = httpHandler(async (event) => {
  index ??= searchIndexFromEnvironment();
  const items = await searchImages(index, event.queryStringParameters?.q);
  return { statusCode: 200, body: { items } };
});
