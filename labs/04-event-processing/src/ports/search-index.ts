/** What the index holds for each image, and what a search returns. */
export interface ImageDocument {
  imageId: string;
  groupId: string;
  title: string;
  timestamp: string;
}

export type IndexChange = { type: 'upsert'; document: ImageDocument } | { type: 'remove'; imageId: string };

/** Full-text search over image titles. */
export interface SearchIndex {
  /** Applies the changes in order; applying the same changes twice leaves the same index. */
  apply(changes: readonly IndexChange[]): Promise<void>;
  /** The best matches first, at most `limit`. */
  search(query: string, limit: number): Promise<ImageDocument[]>;
}
