import { randomUUID } from 'node:crypto';
import { ValidationError } from './errors';
import { assertGroupExists } from './groups';
import { CONTENT_TYPES, MAX_TITLE_LENGTH, type ContentType, type Image, type NewImage } from './image';
import type { GroupRepository, ImageRepository } from './ports';

const EXAMPLE_BODY = '{"title": "Sunset over the bay", "contentType": "image/jpeg"}';

export interface CreateImageDependencies {
  images: ImageRepository;
  groups: GroupRepository;
}

/**
 * Checks a parsed request body against the same rules as the CreateImageRequest model. API Gateway applies
 * the model before the function runs, but the function is also reachable without it (a direct invoke, a
 * route added later without the model, a test), so the code does not trust its input either.
 */
export function parseNewImage(body: unknown): NewImage {
  // BEGIN SOLUTION create-image-model
  // TODO(create-image-model): accept only { title, contentType } as the model does, trimming the title; else throw ValidationError
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError(`The body must be a JSON object. Send for example ${EXAMPLE_BODY}.`);
  }
  const { title, contentType, ...others } = body as Record<string, unknown>;
  const unknown = Object.keys(others);
  if (unknown.length > 0) {
    throw new ValidationError(
      `The body has unknown fields: ${unknown.join(', ')}. Send only title and contentType, for example ${EXAMPLE_BODY}.`,
    );
  }
  const trimmed = typeof title === 'string' ? title.trim() : '';
  if (trimmed === '') {
    throw new ValidationError(
      `title is required and must be a non-blank string. Send for example ${EXAMPLE_BODY}.`,
    );
  }
  const length = Array.from(trimmed).length;
  if (length > MAX_TITLE_LENGTH) {
    throw new ValidationError(
      `title is too long: ${length} characters, at most ${MAX_TITLE_LENGTH} allowed. Send a shorter title.`,
    );
  }
  if (!isContentType(contentType)) {
    throw new ValidationError(
      `contentType must be one of ${CONTENT_TYPES.join(', ')}. Send the image's type, for example "image/jpeg".`,
    );
  }
  return { title: trimmed, contentType };
  // END SOLUTION
}

/** POST /groups/{groupId}/images: stores a new image in an existing group, with its id and time set here. */
export async function createImage(
  groupId: string,
  newImage: NewImage,
  { images, groups }: CreateImageDependencies,
): Promise<Image> {
  // BEGIN SOLUTION create-image-model
  // TODO(create-image-model): check that the group exists, then save the image with a new UUID and the current ISO time
  await assertGroupExists(groups, groupId);
  const image: Image = {
    imageId: randomUUID(),
    groupId,
    timestamp: new Date().toISOString(),
    ...newImage,
  };
  await images.save(image);
  return image;
  // END SOLUTION
}

function isContentType(value: unknown): value is ContentType {
  return CONTENT_TYPES.includes(value as ContentType);
}
