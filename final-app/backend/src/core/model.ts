// The API's data, as stored (records) and as answered (with presigned URLs).

export interface Group {
  id: string;
  name: string;
  description: string;
  userId: string;
  timestamp: string;
}

export const CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export type ImageStatus = 'pending' | 'uploaded';

/** An image as the table holds it: object keys, not URLs (those expire). */
export interface ImageRecord {
  imageId: string;
  groupId: string;
  userId: string;
  title: string;
  contentType: ContentType;
  timestamp: string;
  status: ImageStatus;
  thumbnailKey?: string;
}

/** An image as the API answers it: URLs to read the original and, once made, the thumbnail. */
export interface Image extends Omit<ImageRecord, 'thumbnailKey'> {
  imageUrl: string;
  thumbnailUrl?: string;
}

/** A page of a listing; `nextKey` is opaque to clients and absent on the last page. */
export interface Page<T> {
  items: T[];
  nextKey?: string;
}

/** Where a storage listing stopped, as the repository understands it; only PageTokens turns it into text. */
export type Cursor = Record<string, unknown>;

export interface StoredPage<T> {
  items: T[];
  cursor?: Cursor;
}

/** What a WebSocket client is told. */
export type Notification =
  { type: 'image-uploaded'; image: Image } | { type: 'image-deleted'; imageId: string };

/** The part of an image the search index holds. */
export interface SearchDocument {
  imageId: string;
  groupId: string;
  title: string;
}

/** One change for the search index, named by the id of the stream record it comes from. */
export type IndexChange =
  { id: string; kind: 'upsert'; document: SearchDocument } | { id: string; kind: 'remove'; imageId: string };
