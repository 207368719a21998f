import { randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '../http/errors';
import type { Image, ImageChanges, NewImage } from './image';
import type { ImageRepository } from './image-repository';

/** What the use cases need besides the repository, injected so tests control time and ids. */
export interface Environment {
  now(): Date;
  newId(): string;
}

export const systemEnvironment: Environment = { now: () => new Date(), newId: () => randomUUID() };

export async function getImage(images: ImageRepository, imageId: string): Promise<Image> {
  const image = await images.get(imageId);
  if (image === undefined) {
    throw new NotFoundError(`There is no image ${imageId}. Check the id, or list the images again.`);
  }
  return image;
}

/** Creates an image owned by `userId`: the authenticated user, never a field of the request body. */
export async function createImage(
  images: ImageRepository,
  userId: string,
  input: NewImage,
  environment: Environment = systemEnvironment,
): Promise<Image> {
  // BEGIN SOLUTION protected-writes
  // TODO(protected-writes): save a new image owned by userId, with a new id and both timestamps set to now.
  const now = environment.now().toISOString();
  const image: Image = {
    imageId: environment.newId(),
    userId,
    title: input.title,
    ...(input.description === undefined ? {} : { description: input.description }),
    createdAt: now,
    updatedAt: now,
  };
  await images.save(image);
  return image;
  // END SOLUTION
}

/** Changes an image, if `userId` owns it: 404 when there is none, 403 when it is someone else's. */
export async function updateImage(
  images: ImageRepository,
  userId: string,
  imageId: string,
  changes: ImageChanges,
  environment: Environment = systemEnvironment,
): Promise<Image> {
  // BEGIN SOLUTION protected-writes
  // TODO(protected-writes): load the image (NotFoundError if none), refuse with ForbiddenError unless userId owns it, then save the changes.
  const image = await ownedImage(images, userId, imageId, 'change');
  const updated: Image = { ...image, ...changes, updatedAt: environment.now().toISOString() };
  await images.save(updated);
  return updated;
  // END SOLUTION
}

/** Deletes an image, if `userId` owns it. */
export async function deleteImage(images: ImageRepository, userId: string, imageId: string): Promise<void> {
  // BEGIN SOLUTION protected-writes
  // TODO(protected-writes): as updateImage: 404 if there is no image, 403 unless userId owns it, then remove it.
  await ownedImage(images, userId, imageId, 'delete');
  await images.remove(imageId);
  // END SOLUTION
}

async function ownedImage(
  images: ImageRepository,
  userId: string,
  imageId: string,
  action: string,
): Promise<Image> {
  const image = await getImage(images, imageId);
  if (image.userId !== userId) {
    throw new ForbiddenError(
      `Image ${imageId} belongs to another user, so you cannot ${action} it. Sign in as its owner, or ${action} one of your own images.`,
    );
  }
  return image;
}
