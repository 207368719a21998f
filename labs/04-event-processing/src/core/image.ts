// What an image is, and where its bytes live. Object keys carry the group and image ids, so a consumer of an
// S3 event knows which image it is about without asking the database.

export interface Image {
  groupId: string;
  imageId: string;
  /** ISO 8601; the table's sort key, so a group's images list in upload order. */
  timestamp: string;
  title: string;
  contentType: UploadContentType;
  /** The object key the client uploads to. */
  key: string;
}

/** The content types an upload may have, with the file extension each one's key gets. */
export const UPLOAD_CONTENT_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png' } as const;
export type UploadContentType = keyof typeof UPLOAD_CONTENT_TYPES;

export const MAX_TITLE_LENGTH = 100;

export function isUploadContentType(value: unknown): value is UploadContentType {
  return typeof value === 'string' && Object.hasOwn(UPLOAD_CONTENT_TYPES, value);
}

const UPLOAD_KEY = /^images\/([^/]+)\/([^/.]+)\.(jpg|png)$/;

export function uploadKey(groupId: string, imageId: string, contentType: UploadContentType): string {
  return `images/${groupId}/${imageId}.${UPLOAD_CONTENT_TYPES[contentType]}`;
}

/** The ids in an upload key, or undefined for any other object (which the consumers ignore). */
export function parseUploadKey(key: string): { groupId: string; imageId: string } | undefined {
  const match = UPLOAD_KEY.exec(key);
  if (!match) return undefined;
  return { groupId: match[1] as string, imageId: match[2] as string };
}

/** Thumbnails are always JPEG, whatever the original was. */
export function thumbnailKey(imageId: string): string {
  return `thumbnails/${imageId}.jpg`;
}
