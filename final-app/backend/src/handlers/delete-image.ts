// DELETE /images/{imageId}: the owner deletes an image (record, original, thumbnail); clients are told.
import { deleteImage } from '../core/images';
import { images, notifier, storage } from './dependencies';
import { httpHandler, noContent, userIdOf } from './http';
import { imageIdSchema } from './schemas';

export const handler = httpHandler(
  async (event) => {
    await deleteImage(
      { images: images(), storage: storage(), notifier: notifier() },
      { imageId: event.pathParameters!.imageId!, userId: userIdOf(event) },
    );
    return noContent();
  },
  { eventSchema: imageIdSchema },
);
