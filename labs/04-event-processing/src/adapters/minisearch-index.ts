import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import MiniSearch, { type Options } from 'minisearch';
import type { ImageDocument, IndexChange, SearchIndex } from '../ports/search-index';

export const MINISEARCH_OPTIONS: Options<ImageDocument> = {
  idField: 'imageId',
  fields: ['title'],
  storeFields: ['imageId', 'groupId', 'title', 'timestamp'],
  // "sun" finds "sunset", and one typo in five letters is forgiven.
  searchOptions: { prefix: true, fuzzy: 0.2 },
};

/** The object the whole index is saved to, as MiniSearch's JSON. */
export const INDEX_OBJECT_KEY = 'minisearch/images.json';

/**
 * An embedded full-text index (MiniSearch) that lives in the function's memory and is saved as one JSON
 * object in S3, so that the indexer and the search function, which run in different sandboxes, share it.
 * Each sandbox keeps the copy it loaded with its ETag, and asks S3 for the object only if it changed
 * (If-None-Match: 304 Not Modified costs no download).
 *
 * It suits one writer: the stream's single shard, one batch at a time. Two writers would each save their own
 * copy and the last one would win.
 */
export class MiniSearchIndex implements SearchIndex {
  private loaded?: { etag?: string; index: MiniSearch<ImageDocument> };

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string = INDEX_OBJECT_KEY,
  ) {}

  async apply(changes: readonly IndexChange[]): Promise<void> {
    // BEGIN SOLUTION search-index
    // TODO(search-index): load the index, add/replace or discard each document, then save it back to S3.
    if (changes.length === 0) return;
    const index = await this.load();
    for (const change of changes) {
      if (change.type === 'upsert') {
        if (index.has(change.document.imageId)) index.replace(change.document);
        else index.add(change.document);
      } else if (index.has(change.imageId)) {
        index.discard(change.imageId);
      }
    }
    const { ETag } = await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key,
        Body: JSON.stringify(index),
        ContentType: 'application/json',
      }),
    );
    this.loaded = { etag: ETag, index };
    // END SOLUTION
  }

  async search(query: string, limit: number): Promise<ImageDocument[]> {
    // BEGIN SOLUTION search-index
    // TODO(search-index): load the index and return the stored fields of the best `limit` results.
    const index = await this.load();
    return index
      .search(query)
      .slice(0, limit)
      .map((result) => ({
        imageId: result.imageId as string,
        groupId: result.groupId as string,
        title: result.title as string,
        timestamp: result.timestamp as string,
      }));
    // END SOLUTION
  }

  /** The saved index, downloaded only when it changed since this sandbox last saw it. */
  private async load(): Promise<MiniSearch<ImageDocument>> {
    // BEGIN SOLUTION search-index
    // TODO(search-index): GetObject with IfNoneMatch; 304 keeps the cached copy, NoSuchKey starts an empty index.
    try {
      const response = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key, IfNoneMatch: this.loaded?.etag }),
      );
      const json = (await response.Body?.transformToString()) ?? '';
      this.loaded = { etag: response.ETag, index: MiniSearch.loadJSON(json, MINISEARCH_OPTIONS) };
    } catch (error) {
      const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if ($metadata?.httpStatusCode === 304 && this.loaded) return this.loaded.index;
      if (name !== 'NoSuchKey') throw error;
      this.loaded = { index: new MiniSearch(MINISEARCH_OPTIONS) };
    }
    return this.loaded.index;
    // END SOLUTION
  }
}
