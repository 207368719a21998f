import { NotFoundError } from './errors';
import type { Image } from './image';
import type { ImageRepository } from './ports';

/** GET /images/{imageId}: the image, or NotFoundError when no image has that id. */
export async function getImage(imageId: string, images: ImageRepository): Promise<Image> {
  // BEGIN SOLUTION get-image-by-id
  // TODO(get-image-by-id): find the image by id, and throw NotFoundError (404) when there is none
  const image = await images.getById(imageId);
  if (image === undefined) {
    throw new NotFoundError(
      `Image ${imageId} does not exist. Check the image id; GET /groups/{groupId}/images lists a group's images.`,
    );
  }
  return image;
  // END SOLUTION
}
