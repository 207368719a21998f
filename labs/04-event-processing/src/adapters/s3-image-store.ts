import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImageStore } from '../ports/image-store';

/** The user-defined metadata (x-amz-meta-source-etag) that ties a thumbnail to the upload it was made from. */
export const SOURCE_ETAG_METADATA = 'source-etag';

export class S3ImageStore implements ImageStore {
  constructor(
    private readonly s3: S3Client,
    private readonly thumbnailsBucket: string,
  ) {}

  async readOriginal(bucket: string, key: string): Promise<Uint8Array> {
    // BEGIN SOLUTION thumbnail
    // TODO(thumbnail): GetObject and return the body's bytes.
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return Body.transformToByteArray();
    // END SOLUTION
  }

  async thumbnailSource(key: string): Promise<string | undefined> {
    // BEGIN SOLUTION thumbnail
    // TODO(thumbnail): HeadObject the thumbnail; its source-etag metadata, or undefined when S3 answers 404.
    try {
      const { Metadata } = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.thumbnailsBucket, Key: key }),
      );
      return Metadata?.[SOURCE_ETAG_METADATA];
    } catch (error) {
      // HEAD responses have no body, so the SDK names a 404 NotFound rather than NoSuchKey.
      if ((error as { name?: string }).name === 'NotFound') return undefined;
      throw error;
    }
    // END SOLUTION
  }

  async writeThumbnail(key: string, bytes: Uint8Array, sourceETag: string): Promise<void> {
    // BEGIN SOLUTION thumbnail
    // TODO(thumbnail): PutObject the JPEG with its content type and the source ETag as metadata.
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.thumbnailsBucket,
        Key: key,
        Body: bytes,
        ContentType: 'image/jpeg',
        Metadata: { [SOURCE_ETAG_METADATA]: sourceETag },
      }),
    );
    // END SOLUTION
  }
}
