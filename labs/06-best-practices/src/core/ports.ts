// The ports: what the core needs from the outside world, named for what they hold or do. Adapters
// (src/adapters) implement them for one technology each.
import type { Image } from './image';

export interface ImageRepository {
  save(image: Image): Promise<void>;
  /** Undefined when the group has no such image. */
  get(groupId: string, imageId: string): Promise<Image | undefined>;
  /** Newest first. */
  list(groupId: string): Promise<Image[]>;
}

/** Checks that a URL serves an image before the app records it. */
export interface ImageProbe {
  /** The Content-Type the URL answers with; rejects when it does not answer. */
  contentType(url: string): Promise<string>;
}

export interface ImagesDependencies {
  images: ImageRepository;
  probe: ImageProbe;
  newId: () => string;
  now: () => Date;
}
