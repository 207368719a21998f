import type { NewImage } from '../images/image';
import type { ImageRepository } from '../images/image-repository';
import { newImageSchema } from '../images/image-schemas';
import { imagesTable } from '../images/images-table';
import { createImage, systemEnvironment, type Environment } from '../images/images-service';
import { uploadTicket } from '../images/upload-ticket';
import { jsonResponse } from '../http/json-response';
import { httpApi } from '../http/middleware';
import { userIdOf } from '../http/user-id';
import { signingKey, type SigningKeyContext } from '../secrets/signing-key';

/**
 * POST /images {"title": "..."}: behind the JWT authorizer. The image belongs to the authenticated user;
 * the answer carries an upload ticket signed with the key from Secrets Manager.
 */
export function createImageHandler(
  images: ImageRepository,
  secretId: string,
  environment: Environment = systemEnvironment,
) {
  return httpApi<NewImage>(
    async (event, context) => {
      const image = await createImage(images, userIdOf(event), event.body, environment);
      const key = (context as SigningKeyContext).signingKey;
      const nowSeconds = Math.floor(environment.now().getTime() / 1000);
      return jsonResponse(201, {
        image,
        uploadTicket: uploadTicket(key, image.imageId, image.userId, nowSeconds),
      });
    },
    { bodySchema: newImageSchema },
  ).use(signingKey(secretId));
}

export const handler = createImageHandler(imagesTable(), process.env.SIGNING_KEY_SECRET_ID ?? '');
