// GET /images/search?q=: the query is checked at the edge and passed to whatever SearchIndex is configured.
import { apiGatewayEvent } from '@serverless-course/test-kit';
import { MiniSearchIndex } from '../../src/adapters/minisearch-index';
import { OpenSearchIndex } from '../../src/adapters/opensearch-index';
import { searchIndexFromEnvironment } from '../../src/adapters/search-index-from-environment';
import { searchImages, SEARCH_LIMIT } from '../../src/core/search-images';
import { httpHandler } from '../../src/http/http-handler';
import { MemorySearchIndex } from '../support/memory-search-index';

const sunset = { imageId: 'i1', groupId: 'g1', title: 'Sunset', timestamp: '2026-03-01T10:00:00.000Z' };

function search(index: MemorySearchIndex, query?: Record<string, string>) {
  const run = httpHandler(async (event) => ({
    statusCode: 200,
    body: { items: await searchImages(index, event.queryStringParameters?.q) },
  }));
  return run(apiGatewayEvent({ path: '/images/search', ...(query && { query }) }));
}

describe('searching images', () => {
  it('answers 200 with the hits for the trimmed query', async () => {
    const index = new MemorySearchIndex([sunset]);

    const response = await search(index, { q: '  sunset ' });

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ items: [sunset] });
    expect(index.queries).toEqual([{ query: 'sunset', limit: SEARCH_LIMIT }]);
  });

  it.each([
    ['no query string at all', undefined],
    ['an empty q', { q: '   ' }],
    ['a q over 100 characters', { q: 'x'.repeat(101) }],
  ])('answers 400 with the fix for %s', async (_case, query) => {
    const response = await search(new MemorySearchIndex(), query);

    expect(response.statusCode).toBe(400);
    expect((JSON.parse(response.body) as { message: string }).message).toMatch(/\?q=|at most 100/);
  });
});

describe('searchIndexFromEnvironment', () => {
  it('picks MiniSearch by default and OpenSearch when SEARCH_ENGINE says so', () => {
    const env = {
      SEARCH_INDEX_BUCKET: 'b',
      OPENSEARCH_ENDPOINT: 'https://search.example.com',
      AWS_REGION: 'us-east-1',
    };

    expect(searchIndexFromEnvironment(env)).toBeInstanceOf(MiniSearchIndex);
    expect(searchIndexFromEnvironment({ ...env, SEARCH_ENGINE: 'opensearch' })).toBeInstanceOf(
      OpenSearchIndex,
    );
    expect(() => searchIndexFromEnvironment({ ...env, SEARCH_ENGINE: 'solr' })).toThrow(
      /minisearch or opensearch/,
    );
  });
});
