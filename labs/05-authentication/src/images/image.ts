/** An image of Udagram, as stored and as the API returns it. */
export interface Image {
  imageId: string;
  /** The user who created it: the authorizer's principalId (the token's `sub`), never taken from the body. */
  userId: string;
  title: string;
  description?: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
}

/** What a client may send to create an image; the request model in src/handlers/create-image.ts checks it. */
export interface NewImage {
  title: string;
  description?: string;
}

/** What a client may change. */
export type ImageChanges = Partial<NewImage>;
