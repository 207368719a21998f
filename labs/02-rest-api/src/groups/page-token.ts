// The `nextKey` a client passes back to get the next page. It is opaque: clients must not read or build it,
// so the table's key schema can change without breaking them. URL-safe base64 (RFC 4648 section 5) needs
// no escaping in a query string: "+" and "/" would, and "=" padding is dropped.
import { ValidationError } from '../errors';
import type { GroupKey } from './group-repository';

const HOW_TO_FIX =
  'Pass back the nextKey of the previous page unchanged, or leave nextKey out to start from the first page.';

export function encodePageToken(key: GroupKey): string {
  // BEGIN SOLUTION list-groups
  // TODO(list-groups): turn the key into JSON, then into URL-safe base64.
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  // END SOLUTION
}

/** Reads a token back into a key, or throws a ValidationError (400) when it is not one this API made. */
export function decodePageToken(token: string): GroupKey {
  // BEGIN SOLUTION list-groups
  // TODO(list-groups): decode the token and check it holds { id: '<a non-empty string>' } and nothing else.
  if (!/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new ValidationError(`nextKey is not a valid page token: it is not URL-safe base64. ${HOW_TO_FIX}`);
  }
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError(`nextKey is not a valid page token: it does not decode to JSON. ${HOW_TO_FIX}`);
  }
  if (!isGroupKey(key)) {
    throw new ValidationError(
      `nextKey is not a valid page token: it does not hold a group key. ${HOW_TO_FIX}`,
    );
  }
  return { id: key.id };
  // END SOLUTION
}

function isGroupKey(value: unknown): value is GroupKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const fields = Object.keys(value);
  const id = (value as Record<string, unknown>).id;
  return fields.length === 1 && typeof id === 'string' && id.length > 0;
}
