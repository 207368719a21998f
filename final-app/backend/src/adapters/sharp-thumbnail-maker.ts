// Thumbnails with sharp: at most 320 x 320 (aspect kept, never enlarged), as JPEG, whatever the original's
// format. The same original always gives the same bytes, so making a thumbnail twice is harmless.
import sharp from 'sharp';
import type { Thumbnail, ThumbnailMaker } from '../core/ports';
import { InvalidImageError } from '../core/uploads';

export const THUMBNAIL_SIZE = 320;

export class SharpThumbnailMaker implements ThumbnailMaker {
  async make(original: Buffer): Promise<Thumbnail> {
    try {
      const bytes = await sharp(original, { limitInputPixels: 50_000_000 })
        .rotate()
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer();
      return { bytes, contentType: 'image/jpeg' };
    } catch (error) {
      // sharp reports unreadable input as a plain Error; anything else would have been thrown earlier.
      throw new InvalidImageError(`The upload is not an image sharp can read: ${(error as Error).message}`);
    }
  }
}
