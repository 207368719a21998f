import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadRequest, UploadSigner } from '../ports/upload-signer';

/** S3 has no maximum object size a presigned PUT can name; 7 days is the longest a SigV4 URL may live. */
export const MAX_PRESIGNED_EXPIRY_SECONDS = 604_800;

export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async signUpload(request: UploadRequest): Promise<string> {
    // BEGIN SOLUTION upload-url
    // TODO(upload-url): presign a PutObject for the key with its ContentType, expiring after expiresInSeconds.
    if (
      !Number.isInteger(request.expiresInSeconds) ||
      request.expiresInSeconds < 1 ||
      request.expiresInSeconds > MAX_PRESIGNED_EXPIRY_SECONDS
    ) {
      throw new RangeError(
        `expiresInSeconds is ${request.expiresInSeconds}; a presigned URL lives 1 to ${MAX_PRESIGNED_EXPIRY_SECONDS} s. Fix UPLOAD_URL_EXPIRES_SECONDS.`,
      );
    }
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: request.key,
      ContentType: request.contentType,
    });
    // The presigner signs only `host` unless told otherwise: naming content-type makes it part of the
    // signature, so an upload with any other Content-Type is refused with 403 SignatureDoesNotMatch.
    return getSignedUrl(this.s3, command, {
      expiresIn: request.expiresInSeconds,
      signableHeaders: new Set(['content-type']),
    });
    // END SOLUTION
  }
}
