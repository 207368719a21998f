import { apiGatewayEvent } from '@serverless-course/test-kit';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../src/http/errors';
import { userIdOf } from '../../src/http/user-id';
import type { Image } from '../../src/images/image';
import { createImage, deleteImage, updateImage, type Environment } from '../../src/images/images-service';
import { MemoryImageRepository } from '../support/memory-image-repository';

const environment: Environment = { now: () => new Date('2026-11-21T10:00:00.000Z'), newId: () => 'image-1' };

function alicesImage(): Image {
  return {
    imageId: 'image-1',
    userId: 'alice',
    title: 'Sunset',
    createdAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-20T08:00:00.000Z',
  };
}

describe('protected writes', () => {
  it('creates an image owned by the authenticated user', async () => {
    const images = new MemoryImageRepository();

    const image = await createImage(
      images,
      'alice',
      { title: 'Sunset', description: 'Brighton' },
      environment,
    );

    expect(image).toEqual({
      imageId: 'image-1',
      userId: 'alice',
      title: 'Sunset',
      description: 'Brighton',
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:00:00.000Z',
    });
    expect(images.images.get('image-1')).toEqual(image);
  });

  it('lets the owner change an image, and records when', async () => {
    const images = new MemoryImageRepository([alicesImage()]);

    const updated = await updateImage(images, 'alice', 'image-1', { title: 'Sunrise' }, environment);

    expect(updated).toMatchObject({
      title: 'Sunrise',
      userId: 'alice',
      updatedAt: '2026-11-21T10:00:00.000Z',
    });
    expect(images.images.get('image-1')?.title).toBe('Sunrise');
  });

  it("refuses with 403 when another user changes someone else's image, and changes nothing", async () => {
    const images = new MemoryImageRepository([alicesImage()]);

    const attempt = updateImage(images, 'bob', 'image-1', { title: 'Mine now' }, environment);

    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 403 });
    expect(images.images.get('image-1')).toEqual(alicesImage());
  });

  it("refuses with 403 when another user deletes someone else's image, and keeps it", async () => {
    const images = new MemoryImageRepository([alicesImage()]);

    await expect(deleteImage(images, 'bob', 'image-1')).rejects.toBeInstanceOf(ForbiddenError);

    expect(images.images.has('image-1')).toBe(true);
  });

  it('lets the owner delete an image', async () => {
    const images = new MemoryImageRepository([alicesImage()]);

    await deleteImage(images, 'alice', 'image-1');

    expect(images.images.size).toBe(0);
  });

  it('answers 404 for an image that does not exist', async () => {
    const images = new MemoryImageRepository();

    await expect(updateImage(images, 'alice', 'nope', { title: 'x' }, environment)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(deleteImage(images, 'alice', 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reads the user id from the authorizer's principalId", () => {
    const event = apiGatewayEvent({ method: 'POST', path: '/images', authorizer: { principalId: 'alice' } });

    expect(userIdOf(event)).toBe('alice');
  });

  it('refuses with 401 a request that no authorizer let through', () => {
    const event = apiGatewayEvent({ method: 'POST', path: '/images' });

    expect(() => userIdOf(event)).toThrow(UnauthorizedError);
  });

  // BEGIN HIDDEN TESTS
  it('never takes the owner from the request body', async () => {
    const images = new MemoryImageRepository();
    const body = { title: 'Sunset', userId: 'mallory' } as { title: string };

    const image = await createImage(images, 'alice', body, environment);

    expect(image.userId).toBe('alice');
  });
  // END HIDDEN TESTS
});
