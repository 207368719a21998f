import type { ImageChanges } from '../images/image';
import type { ImageRepository } from '../images/image-repository';
import { imageChangesSchema } from '../images/image-schemas';
import { imagesTable } from '../images/images-table';
import { updateImage, systemEnvironment, type Environment } from '../images/images-service';
import { jsonResponse } from '../http/json-response';
import { httpApi } from '../http/middleware';
import { userIdOf } from '../http/user-id';

/** PATCH /images/{imageId}: behind the JWT authorizer; only the image's owner may change it (else 403). */
export function updateImageHandler(images: ImageRepository, environment: Environment = systemEnvironment) {
  return httpApi<ImageChanges>(
    async (event) => {
      const imageId = event.pathParameters?.imageId ?? '';
      return jsonResponse(200, await updateImage(images, userIdOf(event), imageId, event.body, environment));
    },
    { bodySchema: imageChangesSchema },
  );
}

export const handler = updateImageHandler(imagesTable());
