// GET /images/{imageId}: one image, with fresh URLs.
import { getImage } from '../core/images';
import { images, storage } from './dependencies';
import { httpHandler, json } from './http';
import { imageIdSchema } from './schemas';

export const handler = httpHandler(
  async (event) =>
    json(200, await getImage({ images: images(), storage: storage() }, event.pathParameters!.imageId!)),
  { eventSchema: imageIdSchema },
);
