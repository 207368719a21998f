// The API's shapes, as final-app/backend serves them (see the API contract in the backend's README).
export interface Group {
  id: string;
  name: string;
  description: string;
  userId: string;
  timestamp: string;
}

export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

export interface Image {
  imageId: string;
  groupId: string;
  userId: string;
  title: string;
  contentType: ImageContentType;
  timestamp: string;
  imageUrl: string;
  thumbnailUrl?: string;
  status: 'pending' | 'uploaded';
}

export interface Page<T> {
  items: T[];
  nextKey?: string;
}

export interface NewImage {
  image: Image;
  uploadUrl: string;
}

/** GET /config: what the app needs besides the API itself. */
export interface ApiConfig {
  websocketUrl: string;
  auth: { issuer: string; clientId: string; audience: string };
}

/** What the server pushes over the WebSocket. */
export type ImageEvent =
  { type: 'image-uploaded'; image: Image } | { type: 'image-deleted'; imageId: string };
