import { NotFoundError } from './errors';
import type { GroupRepository } from './ports';

/** Images live in groups: naming a group that does not exist is a 404, whatever the route does next. */
export async function assertGroupExists(groups: GroupRepository, groupId: string): Promise<void> {
  if (!(await groups.exists(groupId))) {
    throw new NotFoundError(
      `Group ${groupId} does not exist. Check the group id, or create the group first with POST /groups.`,
    );
  }
}
