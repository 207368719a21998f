/** The originals and their thumbnails. */
export interface ImageStore {
  readOriginal(bucket: string, key: string): Promise<Uint8Array>;
  /** The ETag of the original a thumbnail was made from; undefined when there is no thumbnail yet. */
  thumbnailSource(key: string): Promise<string | undefined>;
  writeThumbnail(key: string, bytes: Uint8Array, sourceETag: string): Promise<void>;
}
