// The port the use cases store groups through. It speaks in groups and keys, never in DynamoDB requests, so
// the core can be tested with any implementation and the storage can change without touching it.
import type { Group } from './group';

/** Where a page ended: the key of the last group read. The next page starts after it. */
export interface GroupKey {
  id: string;
}

export interface GroupPage {
  groups: Group[];
  /** Absent when there is nothing more to read. */
  lastKey?: GroupKey;
}

export interface GroupRepository {
  /** Reads at most `limit` groups, starting after `startKey` when given. */
  list(limit: number, startKey?: GroupKey): Promise<GroupPage>;
  /** Stores a new group; a group with the same id must not be overwritten. */
  create(group: Group): Promise<void>;
}
