import type { Image } from '../../src/images/image';
import type { ImageRepository } from '../../src/images/image-repository';

/** Images in a Map: the port's in-memory adapter, for tests of the core and the handlers. */
export class MemoryImageRepository implements ImageRepository {
  readonly images = new Map<string, Image>();

  constructor(initial: Image[] = []) {
    initial.forEach((image) => this.images.set(image.imageId, image));
  }

  async get(imageId: string): Promise<Image | undefined> {
    return this.images.get(imageId);
  }

  async save(image: Image): Promise<void> {
    this.images.set(image.imageId, image);
  }

  async remove(imageId: string): Promise<void> {
    this.images.delete(imageId);
  }
}
