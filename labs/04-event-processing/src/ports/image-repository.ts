import type { Image } from '../core/image';

/** Where image records are kept; every write reaches the search index through the table's stream. */
export interface ImageRepository {
  save(image: Image): Promise<void>;
}
