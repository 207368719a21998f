import type { Group, GroupRepository } from '../ports/group-repository';

export interface CreateGroupDependencies {
  groups: GroupRepository;
  newId: () => string;
  now: () => Date;
}

export interface CreateGroupInput {
  name: string;
  description: string;
}

export async function createGroup(deps: CreateGroupDependencies, input: CreateGroupInput): Promise<Group> {
  const group: Group = {
    groupId: deps.newId(),
    name: input.name,
    description: input.description,
    createdAt: deps.now().toISOString(),
  };
  await deps.groups.save(group);
  return group;
}
