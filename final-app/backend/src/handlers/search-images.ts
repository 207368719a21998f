// GET /images/search?q&limit: images whose title matches, best first.
import { searchImages } from '../core/images';
import { images, storage } from './dependencies';
import { searchIndex } from './search-dependencies';
import { httpHandler, json } from './http';
import { limitOf, SEARCH_LIMIT, searchImagesSchema } from './schemas';

export const handler = httpHandler(
  async (event) => {
    const query = event.queryStringParameters!;
    const found = await searchImages(
      { images: images(), storage: storage(), search: searchIndex() },
      { query: query.q!, limit: limitOf(query, SEARCH_LIMIT.default) },
    );
    return json(200, found);
  },
  { eventSchema: searchImagesSchema },
);
