// The adapters without an AWS data service: the WebSocket notifier, OpenSearch, page tokens, thumbnails.
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import sharp from 'sharp';
import { ApiGatewayNotifier } from '../../../src/adapters/api-gateway-notifier';
import { HmacPageTokens } from '../../../src/adapters/hmac-page-tokens';
import { OpenSearchSearchIndex, type OpenSearchClient } from '../../../src/adapters/opensearch-search-index';
import { SharpThumbnailMaker } from '../../../src/adapters/sharp-thumbnail-maker';
import { ValidationError } from '../../../src/core/errors';
import type { ConnectionRepository } from '../../../src/core/ports';
import { InvalidImageError } from '../../../src/core/uploads';
import { sdkError } from '../support/http';
import { GROUP_ID, IMAGE_ID, OTHER_ID } from '../support/ids';

const management = mockClient(ApiGatewayManagementApiClient);

beforeEach(() => {
  management.reset();
  jest.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('ApiGatewayNotifier', () => {
  function connectionsOf(ids: string[]): ConnectionRepository & { removed: string[] } {
    const removed: string[] = [];
    return {
      removed,
      add: async () => {},
      remove: async (id) => void removed.push(id),
      list: async () => ids,
    };
  }
  const client = new ApiGatewayManagementApiClient({
    region: 'us-east-1',
    endpoint: 'https://ws.example/dev',
  });

  it('posts the notification to every connection', async () => {
    management.on(PostToConnectionCommand).resolves({});

    await new ApiGatewayNotifier(connectionsOf(['a', 'b']), client).broadcast({
      type: 'image-deleted',
      imageId: IMAGE_ID,
    });

    expect(management).toHaveReceivedCommandTimes(PostToConnectionCommand, 2);
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, {
      ConnectionId: 'b',
      Data: `{"type":"image-deleted","imageId":"${IMAGE_ID}"}`,
    });
  });

  it('forgets gone connections and skips failing ones without failing the broadcast', async () => {
    const connections = connectionsOf(['gone', 'throttled', 'fine']);
    management
      .on(PostToConnectionCommand, { ConnectionId: 'gone' })
      .rejects(new GoneException({ message: 'gone', $metadata: {} }))
      .on(PostToConnectionCommand, { ConnectionId: 'throttled' })
      .rejects(sdkError('LimitExceededException'))
      .on(PostToConnectionCommand, { ConnectionId: 'fine' })
      .resolves({});

    await new ApiGatewayNotifier(connections, client).broadcast({ type: 'image-deleted', imageId: IMAGE_ID });

    expect(connections.removed).toEqual(['gone']);
    expect(management).toHaveReceivedCommandWith(PostToConnectionCommand, { ConnectionId: 'fine' });
  });
});

describe('OpenSearchSearchIndex', () => {
  function fakeClient(bulkItems: object[] | Error, hits: string[] = []) {
    const bulk = jest.fn(async () => {
      if (bulkItems instanceof Error) throw bulkItems;
      return { body: { items: bulkItems } };
    });
    const search = jest.fn(async () => ({ body: { hits: { hits: hits.map((_id) => ({ _id })) } } }));
    return { client: { bulk, search } as unknown as OpenSearchClient, bulk, search };
  }

  it('sends the changes as one bulk request and reports the items that failed', async () => {
    const { client, bulk } = fakeClient([
      { index: { _id: IMAGE_ID, status: 201 } },
      { delete: { _id: OTHER_ID, status: 404 } },
      { index: { _id: 'x', status: 429, error: { type: 'es_rejected_execution_exception' } } },
    ]);

    const failed = await new OpenSearchSearchIndex(client).apply([
      { id: '1', kind: 'upsert', document: { imageId: IMAGE_ID, groupId: GROUP_ID, title: 'Cat' } },
      { id: '2', kind: 'remove', imageId: OTHER_ID },
      { id: '3', kind: 'upsert', document: { imageId: 'x', groupId: GROUP_ID, title: 'Dog' } },
    ]);

    expect(failed).toEqual(['3']);
    expect(bulk).toHaveBeenCalledWith({
      refresh: 'wait_for',
      body: [
        { index: { _index: 'images', _id: IMAGE_ID } },
        { imageId: IMAGE_ID, groupId: GROUP_ID, title: 'Cat' },
        { delete: { _index: 'images', _id: OTHER_ID } },
        { index: { _index: 'images', _id: 'x' } },
        { imageId: 'x', groupId: GROUP_ID, title: 'Dog' },
      ],
    });
  });

  it('reports every change when OpenSearch cannot be reached', async () => {
    const { client } = fakeClient(new Error('ECONNREFUSED'));

    expect(
      await new OpenSearchSearchIndex(client).apply([{ id: '1', kind: 'remove', imageId: IMAGE_ID }]),
    ).toEqual(['1']);
  });

  it('searches titles with typo tolerance and answers the ids', async () => {
    const { client, search } = fakeClient([], [IMAGE_ID]);

    expect(await new OpenSearchSearchIndex(client).search('cat', 5)).toEqual([IMAGE_ID]);
    expect(search).toHaveBeenCalledWith({
      index: 'images',
      body: {
        size: 5,
        _source: false,
        query: { match: { title: { query: 'cat', fuzziness: 'AUTO', operator: 'and' } } },
      },
    });
  });
});

describe('HmacPageTokens', () => {
  const tokens = new HmacPageTokens('key-1');

  it('round-trips a cursor through an opaque, URL-safe token', () => {
    const token = tokens.encode({ imageId: IMAGE_ID, groupId: GROUP_ID, timestamp: '2026' });

    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(tokens.decode(token)).toEqual({ imageId: IMAGE_ID, groupId: GROUP_ID, timestamp: '2026' });
  });

  it.each([
    [
      'an altered cursor',
      (t: string) => `${Buffer.from('{"id":"other"}').toString('base64url')}.${t.split('.')[1]}`,
    ],
    ['another key’s signature', () => new HmacPageTokens('key-2').encode({ id: 'x' })],
    ['no signature', (t: string) => t.split('.')[0]!],
    ['extra parts', (t: string) => `${t}.x`],
    ['a signed non-object', () => new HmacPageTokens('key-1').encode([] as never)],
  ])('refuses %s with ValidationError', (_case, tamper) => {
    const token = tamper(tokens.encode({ id: 'x' }));

    expect(() => tokens.decode(token)).toThrow(ValidationError);
  });
});

describe('SharpThumbnailMaker', () => {
  const maker = new SharpThumbnailMaker();

  it('fits the image in 320 x 320 as JPEG, keeping its shape', async () => {
    const tall = await sharp({ create: { width: 400, height: 1000, channels: 4, background: '#fff8' } })
      .webp()
      .toBuffer();

    const thumbnail = await maker.make(tall);

    const meta = await sharp(thumbnail.bytes).metadata();
    expect([thumbnail.contentType, meta.format, meta.width, meta.height]).toEqual([
      'image/jpeg',
      'jpeg',
      128,
      320,
    ]);
  });

  it('never enlarges a small image', async () => {
    const small = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#000' } })
      .png()
      .toBuffer();

    const meta = await sharp((await maker.make(small)).bytes).metadata();

    expect([meta.width, meta.height]).toEqual([40, 30]);
  });

  it('refuses bytes that are not an image with InvalidImageError', async () => {
    await expect(maker.make(Buffer.from('<html>'))).rejects.toBeInstanceOf(InvalidImageError);
  });
});
