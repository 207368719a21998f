// Task search-index, cluster adapter: the real OpenSearch client against a fake cluster on 127.0.0.1 that
// records each request, so the test checks what would go over the wire to Amazon OpenSearch Service.
import { Client } from '@opensearch-project/opensearch';
import { OpenSearchIndex } from '../../src/adapters/opensearch-index';
import type { ImageDocument } from '../../src/ports/search-index';
import { FakeOpenSearch } from '../support/fake-opensearch';

const cluster = new FakeOpenSearch();
let index: OpenSearchIndex;
let client: Client;

function image(imageId: string, title: string): ImageDocument {
  return { imageId, groupId: 'g1', title, timestamp: '2026-03-01T10:00:00.000Z' };
}

function ndjson(body: string): unknown[] {
  return body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

beforeAll(async () => {
  await cluster.start();
  client = new Client({ node: cluster.url });
});

afterAll(async () => {
  await client.close();
  await cluster.stop();
});

beforeEach(() => {
  cluster.reset();
  index = new OpenSearchIndex(client);
});

describe('OpenSearchIndex', () => {
  it('sends a batch of changes as one _bulk request: index by image id, delete by image id', async () => {
    cluster.answer('POST', '/_bulk', 200, {
      took: 3,
      errors: false,
      items: [{ index: { _id: 'i1', status: 201 } }, { delete: { _id: 'i2', status: 200 } }],
    });

    await index.apply([
      { type: 'upsert', document: image('i1', 'Sunset over the harbour') },
      { type: 'remove', imageId: 'i2' },
    ]);

    expect(cluster.requests).toHaveLength(1);
    const [request] = cluster.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/_bulk', contentType: 'application/x-ndjson' });
    expect(ndjson(request?.body ?? '')).toEqual([
      { index: { _index: 'images', _id: 'i1' } },
      image('i1', 'Sunset over the harbour'),
      { delete: { _index: 'images', _id: 'i2' } },
    ]);
  });

  it('sends nothing for an empty batch', async () => {
    await index.apply([]);

    expect(cluster.requests).toEqual([]);
  });

  it('fails when the cluster refuses a change, so that the batch is retried', async () => {
    cluster.answer('POST', '/_bulk', 200, {
      took: 1,
      errors: true,
      items: [
        {
          index: {
            _id: 'i1',
            status: 429,
            error: { type: 'es_rejected_execution_exception', reason: 'queue full' },
          },
        },
      ],
    });

    await expect(index.apply([{ type: 'upsert', document: image('i1', 'Sunset') }])).rejects.toThrow(
      /queue full/,
    );
  });

  it('does not fail when a removed image was already gone (a repeated REMOVE)', async () => {
    cluster.answer('POST', '/_bulk', 200, {
      took: 1,
      errors: false,
      items: [{ delete: { _id: 'i2', status: 404, result: 'not_found' } }],
    });

    await expect(index.apply([{ type: 'remove', imageId: 'i2' }])).resolves.toBeUndefined();
  });

  it('searches the title with a fuzzy match query and returns the documents of the hits', async () => {
    cluster.answer('POST', '/images/_search', 200, {
      took: 2,
      timed_out: false,
      hits: {
        total: { value: 1, relation: 'eq' },
        hits: [{ _index: 'images', _id: 'i1', _score: 1.2, _source: image('i1', 'Sunset') }],
      },
    });

    const hits = await index.search('sunset', 5);

    expect(hits).toEqual([image('i1', 'Sunset')]);
    const [request] = cluster.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/images/_search' });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      size: 5,
      query: { match: { title: { query: 'sunset', fuzziness: 'AUTO' } } },
    });
  });

  it('finds nothing, without failing, before the index exists', async () => {
    cluster.answer('POST', '/images/_search', 404, {
      error: { type: 'index_not_found_exception', reason: 'no such index [images]' },
      status: 404,
    });

    expect(await index.search('sunset', 5)).toEqual([]);
  });

  // BEGIN HIDDEN TESTS
  it('lets other cluster errors through', async () => {
    cluster.answer('POST', '/images/_search', 403, { message: 'forbidden' });

    await expect(index.search('sunset', 5)).rejects.toThrow();
  });
  // END HIDDEN TESTS
});
