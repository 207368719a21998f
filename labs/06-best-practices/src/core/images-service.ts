// The use cases. Pure apart from the ports they are given.
import type { Image } from './image';
import { NotFoundError, ValidationError } from './errors';
import type { ImagesDependencies } from './ports';
import { validateNewImage } from './validate-new-image';

export async function createImage(deps: ImagesDependencies, groupId: string, body: unknown): Promise<Image> {
  const input = validateNewImage(body);
  const contentType = await deps.probe.contentType(input.imageUrl).catch(() => {
    throw new ValidationError(
      `imageUrl ${input.imageUrl} does not answer. Give the URL of an image the server can download.`,
    );
  });
  if (!contentType.startsWith('image/')) {
    throw new ValidationError(
      `imageUrl serves ${contentType}, not an image. Give the URL of a JPEG, PNG, GIF or WebP file.`,
    );
  }
  const image: Image = {
    groupId,
    imageId: deps.newId(),
    title: input.title,
    imageUrl: input.imageUrl,
    createdAt: deps.now().toISOString(),
  };
  await deps.images.save(image);
  return image;
}

export async function getImage(deps: ImagesDependencies, groupId: string, imageId: string): Promise<Image> {
  const image = await deps.images.get(groupId, imageId);
  if (!image) {
    throw new NotFoundError(
      `Group ${groupId} has no image ${imageId}. List the group's images with GET /groups/${groupId}/images.`,
    );
  }
  return image;
}

export function listImages(deps: ImagesDependencies, groupId: string): Promise<Image[]> {
  return deps.images.list(groupId);
}
