// Use cases for groups: list a page, create one, read one.
import { NotFoundError } from './errors';
import type { Group, Page } from './model';
import type { Clock, GroupRepository, IdGenerator, PageTokens } from './ports';

export interface GroupDependencies {
  groups: GroupRepository;
  pageTokens: PageTokens;
  clock: Clock;
  ids: IdGenerator;
}

export async function listGroups(
  deps: Pick<GroupDependencies, 'groups' | 'pageTokens'>,
  request: { limit: number; nextKey?: string },
): Promise<Page<Group>> {
  const cursor = request.nextKey === undefined ? undefined : deps.pageTokens.decode(request.nextKey);
  const page = await deps.groups.list(request.limit, cursor);
  return {
    items: page.items,
    ...(page.cursor ? { nextKey: deps.pageTokens.encode(page.cursor) } : {}),
  };
}

export async function createGroup(
  deps: Pick<GroupDependencies, 'groups' | 'clock' | 'ids'>,
  request: { userId: string; name: string; description: string },
): Promise<Group> {
  const group: Group = {
    id: deps.ids.next(),
    name: request.name,
    description: request.description,
    userId: request.userId,
    timestamp: deps.clock.now().toISOString(),
  };
  await deps.groups.create(group);
  return group;
}

export async function getGroup(deps: Pick<GroupDependencies, 'groups'>, groupId: string): Promise<Group> {
  const group = await deps.groups.get(groupId);
  if (!group) throw new NotFoundError(`No group has the id ${groupId}. List the groups with GET /groups`);
  return group;
}
