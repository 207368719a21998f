// Adapter: ImageRepository in memory, for tests and for running the app with no database at all.
import type { Image } from '../core/image';
import type { ImageRepository } from '../core/ports';

export class MemoryImageRepository implements ImageRepository {
  private readonly images = new Map<string, Image>();

  constructor(initial: Image[] = []) {
    initial.forEach((image) => this.images.set(key(image.groupId, image.imageId), image));
  }

  save(image: Image): Promise<void> {
    this.images.set(key(image.groupId, image.imageId), { ...image });
    return Promise.resolve();
  }

  get(groupId: string, imageId: string): Promise<Image | undefined> {
    const found = this.images.get(key(groupId, imageId));
    return Promise.resolve(found && { ...found });
  }

  list(groupId: string): Promise<Image[]> {
    const items = [...this.images.values()]
      .filter((image) => image.groupId === groupId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return Promise.resolve(items.map((image) => ({ ...image })));
  }
}

function key(groupId: string, imageId: string): string {
  return `${groupId}/${imageId}`;
}
