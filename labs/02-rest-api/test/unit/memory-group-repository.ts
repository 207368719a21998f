// A GroupRepository in memory, for testing the use cases without DynamoDB. Pages follow insertion order and
// end with the last key read, as a DynamoDB Scan's pages do.
import type { Group } from '../../src/groups/group';
import type { GroupKey, GroupPage, GroupRepository } from '../../src/groups/group-repository';

export class MemoryGroupRepository implements GroupRepository {
  readonly groups: Group[] = [];
  readonly listCalls: { limit: number; startKey?: GroupKey }[] = [];

  constructor(groups: Group[] = []) {
    this.groups.push(...groups);
  }

  async list(limit: number, startKey?: GroupKey): Promise<GroupPage> {
    this.listCalls.push(startKey === undefined ? { limit } : { limit, startKey });
    const start = startKey === undefined ? 0 : this.groups.findIndex((group) => group.id === startKey.id) + 1;
    const page = this.groups.slice(start, start + limit);
    const last = page.at(-1);
    return start + limit < this.groups.length && last !== undefined
      ? { groups: page, lastKey: { id: last.id } }
      : { groups: page };
  }

  async create(group: Group): Promise<void> {
    this.groups.push(group);
  }
}

export function aGroup(n: number): Group {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name: `Group ${n}`,
    description: `The description of group ${n}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  };
}
