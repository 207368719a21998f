// The images bucket tells the images topic about every upload under images/; this subscriber makes the
// thumbnail, marks the image uploaded and notifies the WebSocket clients. SNS delivers asynchronously, so a
// thrown error is retried (twice) by Lambda; the use case is safe to repeat.
import type { S3Event, SNSEvent } from 'aws-lambda';
import { processUpload } from '../core/uploads';
import { SharpThumbnailMaker } from '../adapters/sharp-thumbnail-maker';
import { images, notifier, storage } from './dependencies';
import { flushingTraces } from '../adapters/aws-clients';

const thumbnails = new SharpThumbnailMaker();

async function handle(event: SNSEvent): Promise<void> {
  for (const record of event.Records) {
    const message = JSON.parse(record.Sns.Message) as Partial<S3Event> & { Event?: string };
    // S3 sends one s3:TestEvent, without Records, when the notification is configured.
    for (const upload of message.Records ?? []) {
      // Keys arrive URL-encoded, with spaces as "+".
      const key = decodeURIComponent(upload.s3.object.key.replace(/\+/g, ' '));
      const imageId = storage().imageIdOf(key);
      if (imageId === undefined) {
        console.warn(`Ignoring ${key}: not an original under images/`);
        continue;
      }
      const outcome = await processUpload(
        { images: images(), storage: storage(), thumbnails, notifier: notifier() },
        imageId,
      );
      console.log(`Upload of image ${imageId}: ${outcome}`);
    }
  }
}

export const handler = flushingTraces(handle);
