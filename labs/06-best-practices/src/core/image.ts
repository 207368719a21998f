// The images core: what an image is, independent of any cloud. Nothing in src/core imports a vendor SDK, so
// the same rules run behind Lambda, Express, Azure Functions and Google Cloud Functions.

export interface Image {
  groupId: string;
  imageId: string;
  title: string;
  imageUrl: string;
  /** ISO 8601, UTC. */
  createdAt: string;
}

/** What a client sends to add an image, once validated. */
export interface NewImage {
  title: string;
  imageUrl: string;
}
