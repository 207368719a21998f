// POST /groups {name, description}: a new group owned by the signed-in user.
import { createGroup } from '../core/groups';
import { clock, groups, ids } from './dependencies';
import { httpHandler, json, userIdOf } from './http';
import { createGroupSchema } from './schemas';

export const handler = httpHandler<{ name: string; description: string }>(
  async (event) => {
    const group = await createGroup(
      { groups: groups(), clock, ids },
      { userId: userIdOf(event), name: event.body.name, description: event.body.description },
    );
    return json(201, group);
  },
  { eventSchema: createGroupSchema, jsonBody: true },
);
