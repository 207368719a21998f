import type { Image } from './image';

/** Where images are kept. The core depends on this, never on DynamoDB. */
export interface ImageRepository {
  /** The group's images, newest first (at most `limit`). */
  listByGroup(groupId: string, limit: number): Promise<Image[]>;
  /** The image with this id, or undefined when there is none. */
  getById(imageId: string): Promise<Image | undefined>;
  save(image: Image): Promise<void>;
}

/** The groups images belong to. This API only needs to know whether one exists. */
export interface GroupRepository {
  exists(groupId: string): Promise<boolean>;
}
