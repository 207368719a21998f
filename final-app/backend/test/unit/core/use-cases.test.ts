// The use cases with in-memory ports: the rules that do not depend on any AWS service.
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/core/errors';
import { createImage, deleteImage, searchImages } from '../../../src/core/images';
import type { ImageRecord, IndexChange, Notification } from '../../../src/core/model';
import type { GroupRepository, ImageRepository, ImageStorage, SearchIndex } from '../../../src/core/ports';
import { indexChanges } from '../../../src/core/search-indexing';
import { processUpload } from '../../../src/core/uploads';
import { GROUP_ID, IMAGE_ID, OTHER_ID, group, imageRecord } from '../support/ids';

class MemoryImages implements ImageRepository {
  readonly items = new Map<string, ImageRecord>();
  async create(image: ImageRecord) {
    if (this.items.has(image.imageId)) throw new ConflictError('taken');
    this.items.set(image.imageId, image);
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async getMany(ids: string[]) {
    return ids.flatMap((id) => (this.items.has(id) ? [this.items.get(id)!] : []));
  }
  async listByGroup() {
    return { items: [...this.items.values()] };
  }
  async markUploaded(id: string, thumbnailKey: string) {
    const image = this.items.get(id);
    if (!image) return false;
    this.items.set(id, { ...image, status: 'uploaded', thumbnailKey });
    return true;
  }
  async deleteOwned(id: string, userId: string) {
    if (this.items.get(id)?.userId !== userId) return false;
    return this.items.delete(id);
  }
}

const groups: GroupRepository = {
  create: async () => {},
  get: async (id) => (id === GROUP_ID ? group : undefined),
  list: async () => ({ items: [] }),
};

function memoryStorage(originals: Record<string, Buffer> = {}): ImageStorage & { removed: string[] } {
  const removed: string[] = [];
  return {
    removed,
    uploadUrl: async (id, type) => `put:${id}:${type}`,
    readUrl: async (key) => `get:${key}`,
    originalKey: (id) => `images/${id}`,
    imageIdOf: (key) => key.replace('images/', ''),
    readOriginal: async (id) => originals[id],
    writeThumbnail: async (id) => `thumbnails/${id}.jpeg`,
    remove: async (id) => void removed.push(id),
  };
}

function recorder() {
  const sent: Notification[] = [];
  return { sent, broadcast: async (notification: Notification) => void sent.push(notification) };
}

describe('createImage', () => {
  it('records a pending image with the caller as owner and answers its upload URL', async () => {
    const images = new MemoryImages();

    const created = await createImage(
      {
        groups,
        images,
        storage: memoryStorage(),
        clock: { now: () => new Date('2026-05-06T07:08:09Z') },
        ids: { next: () => IMAGE_ID },
      },
      { groupId: GROUP_ID, userId: 'bob', title: 'Hi', contentType: 'image/webp' },
    );

    expect(created).toEqual({
      uploadUrl: `put:${IMAGE_ID}:image/webp`,
      image: {
        imageId: IMAGE_ID,
        groupId: GROUP_ID,
        userId: 'bob',
        title: 'Hi',
        contentType: 'image/webp',
        timestamp: '2026-05-06T07:08:09.000Z',
        status: 'pending',
        imageUrl: `get:images/${IMAGE_ID}`,
      },
    });
    expect(images.items.get(IMAGE_ID)?.status).toBe('pending');
  });

  it('refuses an unknown group', async () => {
    const deps = {
      groups,
      images: new MemoryImages(),
      storage: memoryStorage(),
      clock: { now: () => new Date() },
      ids: { next: () => IMAGE_ID },
    };

    await expect(
      createImage(deps, { groupId: OTHER_ID, userId: 'a', title: 't', contentType: 'image/png' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('deleteImage', () => {
  it("refuses someone else's image and keeps it", async () => {
    const images = new MemoryImages();
    images.items.set(IMAGE_ID, imageRecord);
    const notifier = recorder();

    await expect(
      deleteImage({ images, storage: memoryStorage(), notifier }, { imageId: IMAGE_ID, userId: 'bob' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(images.items.has(IMAGE_ID)).toBe(true);
    expect(notifier.sent).toEqual([]);
  });
});

describe('searchImages', () => {
  it('keeps the index order and drops ids the table no longer has', async () => {
    const images = new MemoryImages();
    images.items.set(IMAGE_ID, imageRecord);
    images.items.set(OTHER_ID, { ...imageRecord, imageId: OTHER_ID });
    const search: SearchIndex = {
      apply: async () => [],
      search: async () => [OTHER_ID, 'deleted', IMAGE_ID],
    };

    const found = await searchImages(
      { images, storage: memoryStorage(), search },
      { query: 'cat', limit: 10 },
    );

    expect(found.items.map((image) => image.imageId)).toEqual([OTHER_ID, IMAGE_ID]);
  });
});

describe('processUpload', () => {
  const thumbnails = { make: async () => ({ bytes: Buffer.from('t'), contentType: 'image/jpeg' }) };

  it('marks the image uploaded and announces it with its thumbnail', async () => {
    const images = new MemoryImages();
    images.items.set(IMAGE_ID, { ...imageRecord, status: 'pending', thumbnailKey: undefined });
    const notifier = recorder();

    const outcome = await processUpload(
      { images, storage: memoryStorage({ [IMAGE_ID]: Buffer.from('x') }), thumbnails, notifier },
      IMAGE_ID,
    );

    expect(outcome).toBe('thumbnail-made');
    expect(images.items.get(IMAGE_ID)).toMatchObject({
      status: 'uploaded',
      thumbnailKey: `thumbnails/${IMAGE_ID}.jpeg`,
    });
    expect(notifier.sent).toEqual([
      {
        type: 'image-uploaded',
        image: expect.objectContaining({
          status: 'uploaded',
          thumbnailUrl: `get:thumbnails/${IMAGE_ID}.jpeg`,
        }) as unknown,
      },
    ]);
  });

  it('does nothing when the original is missing', async () => {
    const images = new MemoryImages();
    images.items.set(IMAGE_ID, imageRecord);

    expect(
      await processUpload({ images, storage: memoryStorage(), thumbnails, notifier: recorder() }, IMAGE_ID),
    ).toBe('missing-original');
  });

  it('lets unexpected thumbnail failures through, so the delivery is retried', async () => {
    const images = new MemoryImages();
    images.items.set(IMAGE_ID, imageRecord);
    const failing = { make: async () => Promise.reject(new Error('out of memory')) };

    await expect(
      processUpload(
        {
          images,
          storage: memoryStorage({ [IMAGE_ID]: Buffer.from('x') }),
          thumbnails: failing,
          notifier: recorder(),
        },
        IMAGE_ID,
      ),
    ).rejects.toThrow('out of memory');
  });
});

describe('indexChanges', () => {
  const change = (id: string): IndexChange => ({ id, kind: 'remove', imageId: id });

  it('reports the first failed change and every one after it, so none is applied out of order', async () => {
    const index: SearchIndex = { apply: async () => ['2'], search: async () => [] };

    expect(await indexChanges(index, [change('1'), change('2'), change('3')])).toEqual(['2', '3']);
  });

  it('does not touch the index for an empty batch', async () => {
    const apply = jest.fn();

    expect(await indexChanges({ apply, search: async () => [] }, [])).toEqual([]);
    expect(apply).not.toHaveBeenCalled();
  });
});

describe('errors', () => {
  it('carry the status codes the API answers with', () => {
    expect([
      new ValidationError('').statusCode,
      new ForbiddenError('').statusCode,
      new NotFoundError('').statusCode,
      new ConflictError('').statusCode,
    ]).toEqual([400, 403, 404, 409]);
  });
});
