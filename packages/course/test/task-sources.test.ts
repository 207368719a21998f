import { loadLab } from '../src/lab-manifest';
import { findTaskSources } from '../src/task-sources';
import { listLabFolders } from '../src/workspace';
import { fixtureWorkspaces } from './support/cleanup';
import type { FixtureWorkspace } from './support/workspace';

const workspace = fixtureWorkspaces();

const tasks = [
  { id: 'list', tests: ['test/list.test.ts'] },
  { id: 'create', tests: ['test/create.test.ts'] },
];

function sourcesOf(course: FixtureWorkspace) {
  const [folder] = listLabFolders(course.root);
  return findTaskSources(course.root, loadLab(course.root, folder!, 'npx course list'));
}

describe('findTaskSources', () => {
  it("finds the reference's marked regions, by line, and each task's files", () => {
    const course = workspace([
      {
        folder: '01-groups',
        tasks,
        files: {
          'src/repository.ts': [
            'export class Repository {', // 1
            '  list() {',
            '    // BEGIN SOLUTION list',
            '    return [];',
            '    // END SOLUTION', // 5
            '  }',
            '  create() {',
            '    // BEGIN SOLUTION create',
            '    return 1;',
            '    // END SOLUTION', // 10
            '  }',
            '}',
          ].join('\n'),
          'serverless.yml': 'functions:\n  # BEGIN SOLUTION create\n  create: {}\n  # END SOLUTION\n',
        },
      },
    ]);

    const sources = sourcesOf(course);

    expect(sources.taskAt('src/repository.ts', 4)).toBe('list');
    expect(sources.taskAt('src/repository.ts', 9)).toBe('create');
    expect(sources.taskAt('src/repository.ts', 1)).toBeUndefined();
    expect(sources.filesOf('create')).toEqual(['src/repository.ts', 'serverless.yml']);
  });

  it("finds a student's regions from the release manifest, wherever their code made the lines move", () => {
    const layout = {
      outside: ['export function list() {', '}\nexport function create() {', '}\n'],
      regions: [
        { task: 'list', starter: "  throw new NotImplemented('list');" },
        { task: 'create', starter: "  throw new NotImplemented('create');" },
      ],
    };
    const course = workspace([
      {
        folder: '01-groups',
        tasks,
        files: {
          'src/groups.ts': [
            'export function list() {',
            '  const all = [];',
            '  return all;', // 3: the student's list
            '}',
            'export function create() {',
            '  return 1;', // 6: the student's create
            '}',
            '',
          ].join('\n'),
        },
      },
    ]);
    course.write(
      '.course/release-manifest.json',
      JSON.stringify({
        version: 1,
        protected: {},
        starters: { 'labs/01-groups/src/groups.ts': { lab: '01', tasks: ['list', 'create'], layout } },
      }),
    );

    const sources = sourcesOf(course);

    expect(sources.taskAt('src/groups.ts', 3)).toBe('list');
    expect(sources.taskAt('src/groups.ts', 6)).toBe('create');
    expect(sources.filesOf('list')).toEqual(['src/groups.ts']);
  });

  it("falls back to the stub's TODO and NotImplemented lines, and to a file's only task", () => {
    const course = workspace([
      {
        folder: '01-groups',
        tasks,
        files: {
          'src/list.ts': [
            'export function list(limit: number) {',
            '  // TODO(list): return one page.',
            '  const page = limit;',
            '  return page;',
            '}',
            'export const other = 1;', // 6
          ].join('\n'),
          'src/create.ts': "export function create() {\n  throw new NotImplemented('create');\n}\n",
          'test/list.test.ts': "// TODO(create): tests never hold a task's code\n",
        },
      },
    ]);

    const sources = sourcesOf(course);

    expect(sources.taskAt('src/list.ts', 4)).toBe('list');
    expect(sources.taskAt('src/list.ts', 6)).toBe('list');
    expect(sources.filesOf('create')).toEqual(['src/create.ts']);
  });
});
