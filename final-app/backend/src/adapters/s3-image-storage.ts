// Originals and thumbnails in one S3 bucket: `images/{imageId}` (browsers PUT them through presigned
// URLs; the bucket notifies uploads under that prefix) and `thumbnails/{imageId}.jpeg`.
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ContentType } from '../core/model';
import type { ImageStorage } from '../core/ports';
import { translateSdkError } from './sdk-errors';

const ORIGINALS = 'images/';
const THUMBNAILS = 'thumbnails/';
/** Long enough to pick a file and upload it; a leaked URL is useless soon after. */
export const UPLOAD_URL_SECONDS = 5 * 60;
/** A page of images stays viewable for an hour; the client asks again for fresh URLs after that. */
export const READ_URL_SECONDS = 60 * 60;

export class S3ImageStorage implements ImageStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  uploadUrl(imageId: string, contentType: ContentType): Promise<string> {
    // Signing Content-Type binds it: S3 refuses a PUT of any other type with SignatureDoesNotMatch.
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucket, Key: this.originalKey(imageId), ContentType: contentType }),
      { expiresIn: UPLOAD_URL_SECONDS, signableHeaders: new Set(['content-type']) },
    );
  }

  readUrl(key: string): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: READ_URL_SECONDS,
    });
  }

  originalKey(imageId: string): string {
    return `${ORIGINALS}${imageId}`;
  }

  imageIdOf(key: string): string | undefined {
    if (!key.startsWith(ORIGINALS)) return undefined;
    const imageId = key.slice(ORIGINALS.length);
    return imageId === '' || imageId.includes('/') ? undefined : imageId;
  }

  async readOriginal(imageId: string): Promise<Buffer | undefined> {
    try {
      const { Body } = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.originalKey(imageId) }),
      );
      return Body ? Buffer.from(await Body.transformToByteArray()) : undefined;
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
      return translateSdkError(error);
    }
  }

  async writeThumbnail(imageId: string, bytes: Buffer, contentType: string): Promise<string> {
    const key = `${THUMBNAILS}${imageId}.jpeg`;
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }),
      );
    } catch (error) {
      translateSdkError(error);
    }
    return key;
  }

  async remove(imageId: string): Promise<void> {
    const keys = [this.originalKey(imageId), `${THUMBNAILS}${imageId}.jpeg`];
    try {
      await Promise.all(
        keys.map((Key) => this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))),
      );
    } catch (error) {
      translateSdkError(error);
    }
  }
}
