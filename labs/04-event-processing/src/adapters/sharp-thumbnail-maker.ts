import sharp from 'sharp';
import type { ThumbnailMaker } from '../ports/thumbnail-maker';

export class SharpThumbnailMaker implements ThumbnailMaker {
  async makeThumbnail(original: Uint8Array, width: number): Promise<Uint8Array> {
    // BEGIN SOLUTION thumbnail
    // TODO(thumbnail): resize to at most `width` pixels wide, keeping the aspect ratio, as JPEG.
    // rotate() applies the EXIF orientation before it is dropped; withoutEnlargement keeps small images as
    // they are instead of blowing them up.
    return sharp(original)
      .rotate()
      .resize({ width, withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer();
    // END SOLUTION
  }
}
