/** The image types API Gateway's model and the code accept: the formats browsers display. */
export const CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** The CreateImageRequest model's maxLength for `title`, kept equal to it. */
export const MAX_TITLE_LENGTH = 200;

/** What a client sends to create an image. */
export interface NewImage {
  title: string;
  contentType: ContentType;
}

/** An image as stored in the Images table and returned by the API. */
export interface Image extends NewImage {
  imageId: string;
  groupId: string;
  /** ISO 8601, UTC: the sort key, so string order is time order. */
  timestamp: string;
}
