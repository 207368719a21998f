// What happens once a browser has uploaded an original: make its thumbnail, mark the image uploaded, tell
// every connected client. Uploads are delivered at least once (S3 and SNS retry), so each step is safe to
// repeat: the thumbnail is overwritten with the same bytes, the mark is a plain set.
import { toImage } from './images';
import type { ImageRepository, ImageStorage, Notifier, ThumbnailMaker } from './ports';

export class InvalidImageError extends Error {
  override readonly name = 'InvalidImageError';
}

export interface UploadDependencies {
  images: ImageRepository;
  storage: ImageStorage;
  thumbnails: ThumbnailMaker;
  notifier: Notifier;
}

export type UploadOutcome = 'thumbnail-made' | 'unknown-image' | 'missing-original' | 'invalid-image';

export async function processUpload(deps: UploadDependencies, imageId: string): Promise<UploadOutcome> {
  const record = await deps.images.get(imageId);
  if (!record) return 'unknown-image';
  const original = await deps.storage.readOriginal(imageId);
  if (!original) return 'missing-original';
  let thumbnail;
  try {
    thumbnail = await deps.thumbnails.make(original);
  } catch (error) {
    // Retrying cannot turn bytes that are not an image into one; the image stays pending.
    if (error instanceof InvalidImageError) return 'invalid-image';
    throw error;
  }
  const thumbnailKey = await deps.storage.writeThumbnail(imageId, thumbnail.bytes, thumbnail.contentType);
  if (!(await deps.images.markUploaded(imageId, thumbnailKey))) {
    // Deleted while the thumbnail was being made: do not leave the thumbnail behind.
    await deps.storage.remove(imageId);
    return 'unknown-image';
  }
  const image = await toImage(deps.storage, { ...record, status: 'uploaded', thumbnailKey });
  await deps.notifier.broadcast({ type: 'image-uploaded', image });
  return 'thumbnail-made';
}
