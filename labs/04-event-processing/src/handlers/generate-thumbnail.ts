import { S3Client } from '@aws-sdk/client-s3';
import type { SNSEvent } from 'aws-lambda';
import { S3ImageStore } from '../adapters/s3-image-store';
import { SharpThumbnailMaker } from '../adapters/sharp-thumbnail-maker';
import { positiveIntegerEnv, requireEnv } from '../config/environment';
import { generateThumbnail } from '../core/generate-thumbnail';
import { uploadsFromSnsEvent } from '../core/uploaded-object';

const s3 = new S3Client({});
const maker = new SharpThumbnailMaker();

/** Subscribed to the image-uploaded topic. A thrown error fails the invocation, and Lambda retries it. */
export async function handler(event: SNSEvent): Promise<void> {
  const deps = {
    store: new S3ImageStore(s3, requireEnv('THUMBNAILS_BUCKET')),
    maker,
    width: positiveIntegerEnv('THUMBNAIL_WIDTH'),
  };
  for (const upload of uploadsFromSnsEvent(event)) {
    const outcome = await generateThumbnail(deps, upload);
    console.log(JSON.stringify({ imageId: upload.imageId, thumbnail: outcome }));
  }
}
