import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbGroupRepository } from '../adapters/dynamodb-group-repository';
import { DynamoDbImageRepository } from '../adapters/dynamodb-image-repository';
import { S3UploadSigner } from '../adapters/s3-upload-signer';
import { positiveIntegerEnv, requireEnv } from '../config/environment';
import { createImage } from '../core/create-image';
import { parseCreateImageRequest } from '../http/create-image-request';
import { httpHandler } from '../http/http-handler';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
// Without a body to checksum at signing time, the SDK would put the CRC32 of an empty body in every URL;
// S3 ignores it, but stricter S3-compatible stores refuse the upload.
const s3 = new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });

/** POST /groups/{groupId}/images: 201 with the image and the URL to PUT its bytes to. */
export const handler = httpHandler(async (event) => {
  const input = parseCreateImageRequest(event);
  const created = await createImage(
    {
      groups: new DynamoDbGroupRepository(documents, requireEnv('GROUPS_TABLE')),
      images: new DynamoDbImageRepository(documents, requireEnv('IMAGES_TABLE')),
      signer: new S3UploadSigner(s3, requireEnv('IMAGES_BUCKET')),
      newId: randomUUID,
      now: () => new Date(),
      uploadUrlExpiresSeconds: positiveIntegerEnv('UPLOAD_URL_EXPIRES_SECONDS'),
    },
    input,
  );
  return { statusCode: 201, body: created };
});
