// Full-text search with MiniSearch, its index kept as one JSON object in S3 so the stream indexer (which
// writes it) and the search function (which reads it) share it. Suits a course-sized app: one object
// rewritten per stream batch, which the stream serialises (one batch per shard at a time). At scale, use
// OpenSearchSearchIndex.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import MiniSearch, { type Options } from 'minisearch';
import type { IndexChange, SearchDocument } from '../core/model';
import type { SearchIndex } from '../core/ports';
import { translateSdkError } from './sdk-errors';

const OPTIONS: Options<SearchDocument> = {
  idField: 'imageId',
  fields: ['title'],
  storeFields: [],
  searchOptions: { prefix: true, fuzzy: 0.2, combineWith: 'AND' },
};

export const INDEX_KEY = 'search/images.json';

export class MiniSearchSearchIndex implements SearchIndex {
  /** The last index read, and the ETag it had: reused until the object changes. */
  private cached?: { etag: string; index: MiniSearch<SearchDocument> };

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async apply(changes: IndexChange[]): Promise<string[]> {
    const index = (await this.load()).index;
    for (const change of changes) {
      if (change.kind === 'upsert') {
        if (index.has(change.document.imageId)) index.replace(change.document);
        else index.add(change.document);
      } else if (index.has(change.imageId)) {
        index.discard(change.imageId);
      }
    }
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: INDEX_KEY,
          Body: JSON.stringify(index),
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      // One object holds every change: if it was not written, none was.
      console.warn(`Could not save the search index: ${(error as Error).name}`);
      this.cached = undefined;
      return changes.map((change) => change.id);
    }
    this.cached = undefined;
    return [];
  }

  async search(query: string, limit: number): Promise<string[]> {
    const { index } = await this.load();
    return index
      .search(query)
      .slice(0, limit)
      .map((result) => String(result.id));
  }

  private async load(): Promise<{ etag: string; index: MiniSearch<SearchDocument> }> {
    try {
      if (this.cached) {
        const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: INDEX_KEY }));
        if (head.ETag === this.cached.etag) return this.cached;
      }
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: INDEX_KEY }));
      const json = (await object.Body?.transformToString()) ?? '';
      this.cached = { etag: object.ETag ?? '', index: MiniSearch.loadJSON<SearchDocument>(json, OPTIONS) };
      return this.cached;
    } catch (error) {
      const name = (error as Error).name;
      // Nothing indexed yet: the first batch creates the object.
      if (name === 'NoSuchKey' || name === 'NotFound') return { etag: '', index: new MiniSearch(OPTIONS) };
      return translateSdkError(error);
    }
  }
}
