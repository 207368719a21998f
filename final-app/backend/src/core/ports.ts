// What the use cases need from the outside world, named for what it holds or does. Adapters (DynamoDB, S3,
// MiniSearch, OpenSearch, API Gateway) implement them; tests can implement them in memory.
import type { ContentType, Cursor, Group, ImageRecord, IndexChange, Notification, StoredPage } from './model';

export interface GroupRepository {
  /** Throws ConflictError if a group with the id exists. */
  create(group: Group): Promise<void>;
  get(id: string): Promise<Group | undefined>;
  list(limit: number, cursor?: Cursor): Promise<StoredPage<Group>>;
}

export interface ImageRepository {
  /** Throws ConflictError if an image with the id exists. */
  create(image: ImageRecord): Promise<void>;
  get(imageId: string): Promise<ImageRecord | undefined>;
  /** Several at once, in no particular order; ids with no image are left out. */
  getMany(imageIds: string[]): Promise<ImageRecord[]>;
  /** A group's images, newest first. */
  listByGroup(groupId: string, limit: number, cursor?: Cursor): Promise<StoredPage<ImageRecord>>;
  /** Records the thumbnail; false when the image no longer exists. */
  markUploaded(imageId: string, thumbnailKey: string): Promise<boolean>;
  /** Deletes the image if `userId` still owns it; false when it does not exist (or no longer belongs). */
  deleteOwned(imageId: string, userId: string): Promise<boolean>;
}

export interface ImageStorage {
  /** Where a browser PUTs the original: valid a few minutes, bound to the content type. */
  uploadUrl(imageId: string, contentType: ContentType): Promise<string>;
  /** Where a browser GETs an object (original or thumbnail): valid an hour. */
  readUrl(key: string): Promise<string>;
  originalKey(imageId: string): string;
  /** The image id an original's key names, or undefined for any other key. */
  imageIdOf(key: string): string | undefined;
  readOriginal(imageId: string): Promise<Buffer | undefined>;
  /** Writes the thumbnail (overwriting: making it twice gives the same object) and returns its key. */
  writeThumbnail(imageId: string, bytes: Buffer, contentType: string): Promise<string>;
  /** Removes the original and the thumbnail; removing what is not there is not an error. */
  remove(imageId: string): Promise<void>;
}

export interface Thumbnail {
  bytes: Buffer;
  contentType: string;
}

export interface ThumbnailMaker {
  /** Throws InvalidImageError when the bytes are not an image it can read. */
  make(original: Buffer): Promise<Thumbnail>;
}

export interface ConnectionRepository {
  add(connectionId: string): Promise<void>;
  remove(connectionId: string): Promise<void>;
  list(): Promise<string[]>;
}

export interface Notifier {
  /** Tells every connected client; a client that cannot be reached is skipped (and forgotten if gone). */
  broadcast(notification: Notification): Promise<void>;
}

export interface SearchIndex {
  /** Applies the changes in order; returns the ids of those not applied (to be retried). */
  apply(changes: IndexChange[]): Promise<string[]>;
  /** Image ids matching the query, best first. */
  search(query: string, limit: number): Promise<string[]>;
}

/** Turns a storage cursor into the opaque, tamper-proof `nextKey` clients send back, and back again. */
export interface PageTokens {
  encode(cursor: Cursor): string;
  /** Throws ValidationError when the token was not made by encode(). */
  decode(token: string): Cursor;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
