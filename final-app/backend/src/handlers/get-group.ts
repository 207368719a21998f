// GET /groups/{groupId}: one group.
import { getGroup } from '../core/groups';
import { groups } from './dependencies';
import { httpHandler, json } from './http';
import { groupIdSchema } from './schemas';

export const handler = httpHandler(
  async (event) => json(200, await getGroup({ groups: groups() }, event.pathParameters!.groupId!)),
  { eventSchema: groupIdSchema },
);
