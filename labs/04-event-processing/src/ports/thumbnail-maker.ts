/** Turns an image's bytes into a JPEG thumbnail at most `width` pixels wide. */
export interface ThumbnailMaker {
  makeThumbnail(original: Uint8Array, width: number): Promise<Uint8Array>;
}
