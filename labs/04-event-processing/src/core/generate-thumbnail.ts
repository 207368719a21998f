import type { ImageStore } from '../ports/image-store';
import type { ThumbnailMaker } from '../ports/thumbnail-maker';
import { thumbnailKey } from './image';
import type { UploadedObject } from './uploaded-object';

export interface ThumbnailDependencies {
  store: ImageStore;
  maker: ThumbnailMaker;
  width: number;
}

/** `already-done`: a thumbnail of this very upload (same ETag) exists, so a repeated event costs one HEAD. */
export type ThumbnailOutcome = 'created' | 'already-done';

/**
 * Makes the thumbnail of one upload. SNS and S3 deliver at least once, and Lambda retries failed async
 * invocations, so the same upload can arrive several times: the thumbnail records the ETag of the original
 * it was made from, and an upload whose thumbnail already records its ETag is skipped. A new upload to the
 * same key has a new ETag, so it gets a new thumbnail.
 */
export async function generateThumbnail(
  deps: ThumbnailDependencies,
  upload: UploadedObject,
): Promise<ThumbnailOutcome> {
  // BEGIN SOLUTION thumbnail
  // TODO(thumbnail): skip uploads whose thumbnail already records their ETag; otherwise read, resize, write.
  const key = thumbnailKey(upload.imageId);
  if ((await deps.store.thumbnailSource(key)) === upload.eTag) return 'already-done';
  const original = await deps.store.readOriginal(upload.bucket, upload.key);
  const thumbnail = await deps.maker.makeThumbnail(original, deps.width);
  await deps.store.writeThumbnail(key, thumbnail, upload.eTag);
  return 'created';
  // END SOLUTION
}
