import type { ImageRepository } from '../images/image-repository';
import { imagesTable } from '../images/images-table';
import { deleteImage } from '../images/images-service';
import { httpApi } from '../http/middleware';
import { userIdOf } from '../http/user-id';

/** DELETE /images/{imageId}: behind the JWT authorizer; only the image's owner may delete it (else 403). */
export function deleteImageHandler(images: ImageRepository) {
  return httpApi(async (event) => {
    await deleteImage(images, userIdOf(event), event.pathParameters?.imageId ?? '');
    return { statusCode: 204, body: '' };
  });
}

export const handler = deleteImageHandler(imagesTable());
