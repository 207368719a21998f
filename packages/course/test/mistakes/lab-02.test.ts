import { describeMistakes } from './corpus';

// One CLI run each, TypeScript and Jest included: seconds apiece, minutes on a busy machine.
jest.setTimeout(240_000);

describeMistakes(
  '02-rest-api',
  [
    {
      name: 'a wrong export name',
      task: 'list-groups',
      file: 'src/groups/list-groups.ts',
      replace: 'export async function listGroups(',
      with: 'export async function listGroup(',
      says: [
        /labs\/02-rest-api\/test\/unit\/list-groups\.test\.ts:\d+:\d+ {2}.*has no exported member .*'listGroups'.* \(TS\d+\) {2}\(task list-groups\)/,
      ],
      withinCpuSeconds: 15,
    },
    {
      name: 'a thrown string instead of an error',
      task: 'create-group',
      file: 'src/groups/create-group.ts',
      replace: 'throw new ValidationError(`${field} must not be empty. Send for example ${EXAMPLE}.`);',
      with: 'throw `${field} must not be empty. Send for example ${EXAMPLE}.`;',
      says: [/must not be empty/, /at labs\/02-rest-api\/test\/unit\/create-group\.test\.ts:\d+:\d+/],
      withinCpuSeconds: 15,
    },
    {
      name: 'a promise that never settles',
      task: 'list-groups',
      file: 'src/groups/list-groups.ts',
      replace:
        'export async function listGroups(groups: GroupRepository, query: ListGroupsQuery): Promise<GroupsPage> {',
      with: 'export async function listGroups(groups: GroupRepository, query: ListGroupsQuery): Promise<GroupsPage> {\n  await new Promise(() => {});',
      says: [
        /test\/unit\/list-groups\.test\.ts (did not finish in 8 s: an infinite loop or an unresolved promise\?|.*Exceeded timeout)/,
      ],
      withinCpuSeconds: 8 + 15,
    },
  ],
  { timeBudgetSeconds: 8 },
);
