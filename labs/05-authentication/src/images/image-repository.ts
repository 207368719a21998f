import type { Image } from './image';

/** Where images are kept. The core depends on this port only; DynamoDbImageRepository is the AWS adapter. */
export interface ImageRepository {
  get(imageId: string): Promise<Image | undefined>;
  save(image: Image): Promise<void>;
  remove(imageId: string): Promise<void>;
}
