// GET /groups, the use case: one page of groups and the token for the next one.
import { ValidationError } from '../errors';
import type { Group } from './group';
import type { GroupRepository } from './group-repository';
import { decodePageToken, encodePageToken } from './page-token';

export const DEFAULT_LIMIT = 20;
/** Bounds the work (and the read capacity) one request can ask for. */
export const MAX_LIMIT = 100;

/** The query string as API Gateway passes it: every value a string, any of them missing. */
export interface ListGroupsQuery {
  limit?: string;
  nextKey?: string;
}

export interface GroupsPage {
  items: Group[];
  /** Pass it back as ?nextKey=... for the next page; null on the last page. */
  nextKey: string | null;
}

/** Reads `limit` from the query string: a whole number from 1 to MAX_LIMIT, DEFAULT_LIMIT when absent. */
export function parseLimit(raw: string | undefined): number {
  // BEGIN SOLUTION list-groups
  // TODO(list-groups): return DEFAULT_LIMIT when raw is absent; throw a ValidationError unless it is 1..MAX_LIMIT.
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ValidationError(
      `limit must be a whole number from 1 to ${MAX_LIMIT}, but is ${JSON.stringify(raw)}. Send for example ?limit=${DEFAULT_LIMIT}, or leave it out for ${DEFAULT_LIMIT}.`,
    );
  }
  return limit;
  // END SOLUTION
}

export async function listGroups(groups: GroupRepository, query: ListGroupsQuery): Promise<GroupsPage> {
  // BEGIN SOLUTION list-groups
  // TODO(list-groups): validate limit and nextKey, read one page, and turn its last key into the next token.
  const limit = parseLimit(query.limit);
  const startKey = query.nextKey === undefined ? undefined : decodePageToken(query.nextKey);
  const page = await groups.list(limit, startKey);
  return {
    items: page.groups,
    nextKey: page.lastKey === undefined ? null : encodePageToken(page.lastKey),
  };
  // END SOLUTION
}
