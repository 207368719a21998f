import type { ImageRepository } from '../images/image-repository';
import { imagesTable } from '../images/images-table';
import { getImage } from '../images/images-service';
import { jsonResponse } from '../http/json-response';
import { httpApi } from '../http/middleware';

/** GET /images/{imageId}: public, no token needed. */
export function getImageHandler(images: ImageRepository) {
  return httpApi(async (event) =>
    jsonResponse(200, await getImage(images, event.pathParameters?.imageId ?? '')),
  );
}

export const handler = getImageHandler(imagesTable());
