// A group of images in Udagram, as the API stores and returns it.

export interface Group {
  /** A random UUID the server chooses: clients never pick ids. */
  id: string;
  name: string;
  description: string;
  /** When the server created the group, as an ISO 8601 string in UTC: "2026-01-31T09:15:00.000Z". */
  timestamp: string;
}

/** What a client sends to create a group. */
export interface NewGroup {
  name: string;
  description: string;
}

export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 1000;
