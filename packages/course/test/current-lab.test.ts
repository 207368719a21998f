import path from 'node:path';
import { currentLab } from '../src/current-lab';
import { listLabFolders } from '../src/workspace';
import { fixtureWorkspaces } from './support/cleanup';

const workspace = fixtureWorkspaces();

const passed = { status: 'passed' };

function course() {
  return workspace([
    { folder: '01-hello', tasks: [{ id: 'greet', tests: ['greet'] }] },
    {
      folder: '02-api',
      tasks: [
        { id: 'route', tests: ['route'] },
        { id: 'page', tests: ['page'] },
      ],
    },
    { folder: '03-later', manifestText: null },
  ]);
}

function choose(root: string, cwd = root) {
  const { folder, why } = currentLab(root, cwd, listLabFolders(root), 'npx course check');
  return { lab: folder.id, why };
}

describe('currentLab, the lab a student means when naming none', () => {
  it('is the lab of the folder the command runs in, however deep, whatever the progress', () => {
    const { root } = course();

    expect(choose(root, path.join(root, 'labs', '02-api', 'src', 'handlers'))).toEqual({
      lab: '02',
      why: 'the lab of the folder you are in',
    });
    expect(choose(root, path.join(root, 'labs', '01-hello'))).toEqual({
      lab: '01',
      why: 'the lab of the folder you are in',
    });
  });

  it('is, outside every lab, the first lab with a task not yet passed, as `course list` says Next', () => {
    const fixture = course();
    expect(choose(fixture.root)).toEqual({ lab: '01', why: 'the first lab with tasks not yet passed' });

    fixture.writeProgress({
      version: 1,
      labs: {
        '01': { tasks: { greet: passed } },
        '02': { tasks: { route: passed, page: { status: 'failed' } } },
      },
    });
    expect(choose(fixture.root)).toEqual({ lab: '02', why: 'the first lab with tasks not yet passed' });
  });

  it('is the last lab once every lab passes; a folder without lab.json is no lab yet', () => {
    const fixture = course();
    fixture.writeProgress({
      version: 1,
      labs: { '01': { tasks: { greet: passed } }, '02': { tasks: { route: passed, page: passed } } },
    });

    expect(choose(fixture.root)).toEqual({ lab: '02', why: 'every lab passes, so the last one' });
  });

  it('is an error, with what to do, when no lab has a lab.json', () => {
    const { root } = workspace([{ folder: '01-draft', manifestText: null }]);

    expect(() => choose(root)).toThrow(
      'labs/ has no lab with a lab.json yet, so there is nothing to check; add one (see "Contributing a lab" in README.md), then run: npx course list',
    );
  });
});
