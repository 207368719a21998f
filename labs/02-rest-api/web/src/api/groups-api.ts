// The page's client for the groups API: fetch, JSON, and the API's { "message": "..." } errors turned into
// ApiError so the page can show them.
import type { Group, NewGroup } from '../../../src/groups/group';

export type { Group, NewGroup };

export interface GroupsPage {
  items: Group[];
  nextKey: string | null;
}

/** How many groups the list asks for at a time. */
export const PAGE_SIZE = 10;

export class ApiError extends Error {
  constructor(
    /** The HTTP status, or 0 when no response arrived at all. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Sends a request and returns its JSON body, or throws an ApiError with the API's own message. fetch rejects
 * (with a TypeError and no detail) when no response can be read: the API is down, or a response lacks
 * CORS headers and the browser hid it. The console then says which.
 */
export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(
      0,
      `Could not reach the API at ${url}. Check that it is running (npx local-cloud start labs/02-rest-api) and that it sends CORS headers.`,
    );
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const message =
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : `The API answered ${response.status} without an explanation.`;
    throw new ApiError(response.status, message);
  }
  return body as T;
}

/** GET /groups: one page of groups, after the page that `nextKey` came with. */
export async function fetchGroups(apiUrl: string, nextKey?: string): Promise<GroupsPage> {
  // BEGIN SOLUTION groups-page
  // TODO(groups-page): GET ${apiUrl}/groups with limit=PAGE_SIZE and, when given, nextKey in the query string.
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (nextKey !== undefined) query.set('nextKey', nextKey);
  return requestJson<GroupsPage>(`${apiUrl}/groups?${query.toString()}`);
  // END SOLUTION
}

/** POST /groups: creates a group and returns it as the API stored it, with its id and timestamp. */
export async function postGroup(apiUrl: string, group: NewGroup): Promise<Group> {
  // BEGIN SOLUTION create-group-form
  // TODO(create-group-form): POST the group as JSON, with a Content-Type: application/json header.
  return requestJson<Group>(`${apiUrl}/groups`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(group),
  });
  // END SOLUTION
}

/** The most pages findGroup reads before giving up: it is for the occasional direct link, not for search. */
const MAX_PAGES_SEARCHED = 50;

/**
 * Finds one group by id when the page was opened from a link rather than from the list. This API has no
 * GET /groups/{id} yet, so it reads the list page by page; lab 03 adds lookups by key.
 */
export async function findGroup(apiUrl: string, id: string): Promise<Group | undefined> {
  let nextKey: string | undefined;
  for (let pages = 0; pages < MAX_PAGES_SEARCHED; pages += 1) {
    const page = await fetchGroups(apiUrl, nextKey);
    const found = page.items.find((group) => group.id === id);
    if (found !== undefined || page.nextKey === null) return found;
    nextKey = page.nextKey;
  }
  return undefined;
}

/** What to show the user for a failure: an ApiError's message is written for them already. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
