import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRoot, listLabFolders, resolveLab } from '../src/workspace';

const roots: string[] = [];
function courseWith(folders: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-workspace-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), '{}');
  fs.mkdirSync(path.join(root, 'labs'));
  folders.forEach((folder) => fs.mkdirSync(path.join(root, 'labs', folder), { recursive: true }));
  return root;
}
afterEach(() => roots.splice(0).forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

describe('findRoot', () => {
  it('uses COURSE_ROOT when it is set', () => {
    const root = courseWith([]);

    expect(findRoot('/', { COURSE_ROOT: root })).toBe(root);
  });

  it('walks up from a lab folder, past its own package.json, to the folder holding labs/', () => {
    const root = courseWith(['01-hello/src']);
    fs.writeFileSync(path.join(root, 'labs', '01-hello', 'package.json'), '{}');

    expect(findRoot(path.join(root, 'labs', '01-hello', 'src'), {})).toBe(root);
  });

  it('says how to get into the course when there is none above', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'course-outside-'));
    roots.push(outside);

    expect(() => findRoot(outside, {})).toThrow('cd into the course folder, then run: npx course list');
  });
});

describe('listLabFolders and resolveLab', () => {
  it('lists NN-name folders in order and ignores everything else', () => {
    const root = courseWith(['02-api', '01-hello-lambda', 'shared', '3-too-short']);

    const labs = listLabFolders(root);

    expect(labs.map((lab) => [lab.id, lab.slug, lab.name])).toEqual([
      ['01', 'hello-lambda', '01-hello-lambda'],
      ['02', 'api', '02-api'],
    ]);
  });

  it.each(['01', '1', '01-hello-lambda', 'hello-lambda'])(
    'finds lab 01 when it is called "%s"',
    (reference) => {
      const labs = listLabFolders(courseWith(['01-hello-lambda', '02-api']));

      expect(resolveLab(labs, reference).name).toBe('01-hello-lambda');
    },
  );

  it('names the labs that exist when asked for one that does not', () => {
    const labs = listLabFolders(courseWith(['01-hello-lambda', '02-api']));

    expect(() => resolveLab(labs, '7')).toThrow(
      'There is no lab "7"; the labs are 01 (hello-lambda), 02 (api). See them all with: npx course list',
    );
  });

  it('rejects two folders with the same number', () => {
    const root = courseWith(['01-hello', '01-again']);

    expect(() => listLabFolders(root)).toThrow('labs/01-again and labs/01-hello both use the number 01');
  });
});
