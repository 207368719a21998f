import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * One S3 object key space in memory behind a mocked S3Client, with what the index adapter relies on: ETags
 * that change with the content, If-None-Match answered 304, and NoSuchKey for a missing object.
 */
export class FakeBucket {
  readonly objects = new Map<string, { body: string; etag: string }>();
  private version = 0;

  readonly s3 = mockClient(S3Client);

  install(): void {
    this.s3.reset();
    this.objects.clear();
    this.s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: string }) => {
      this.version += 1;
      const etag = `"v${this.version}"`;
      this.objects.set(input.Key, { body: input.Body, etag });
      return { ETag: etag };
    });
    this.s3.on(GetObjectCommand).callsFake((input: { Key: string; IfNoneMatch?: string }) => {
      const object = this.objects.get(input.Key);
      if (!object)
        throw new NoSuchKey({
          message: 'The specified key does not exist.',
          $metadata: { httpStatusCode: 404 },
        });
      if (input.IfNoneMatch === object.etag) {
        throw new S3ServiceException({
          name: 'NotModified',
          $fault: 'client',
          message: 'Not Modified',
          $metadata: { httpStatusCode: 304 },
        });
      }
      return { ETag: object.etag, Body: { transformToString: async () => object.body } };
    });
  }
}
