import fs from 'node:fs';
import path from 'node:path';
import { CourseError } from './errors';
import { loadLab } from './lab-manifest';
import { allTasksPassed, readProgress } from './progress';
import type { Io } from './output';
import type { LabFolder } from './workspace';

export interface CurrentLab {
  folder: LabFolder;
  /** Why this lab, for the line that tells the student which lab the command chose. */
  why: string;
}

/**
 * The lab a student means when they name none: the one whose folder they are working in; else the first lab
 * with a task not yet passed, which `course list` offers as Next; else, when every lab passes, the last one.
 */
export function currentLab(root: string, cwd: string, folders: LabFolder[], rerun: string): CurrentLab {
  const here = folders.find((folder) => isInside(path.resolve(cwd), folder.dir));
  if (here) return { folder: here, why: 'the lab of the folder you are in' };

  // A folder without lab.json is a lab still being written: nothing to check yet.
  const labs = folders
    .filter((folder) => fs.existsSync(path.join(folder.dir, 'lab.json')))
    .map((folder) => loadLab(root, folder, rerun));
  const progress = readProgress(root, rerun);
  const unfinished = labs.find((lab) => !allTasksPassed(progress, lab));
  if (unfinished) return { folder: unfinished.folder, why: 'the first lab with tasks not yet passed' };
  const last = labs.at(-1);
  if (last) return { folder: last.folder, why: 'every lab passes, so the last one' };
  throw new CourseError(
    'labs/ has no lab with a lab.json yet, so there is nothing to check; add one (see "Contributing a lab" in ' +
      'README.md), then run: npx course list',
  );
}

/** currentLab, and a line that says which lab `course <command>` chose and why, so its score is not misread. */
export function chooseCurrentLab(
  root: string,
  io: Io,
  cwd: string,
  folders: LabFolder[],
  command: 'check' | 'watch',
): LabFolder {
  const { folder, why } = currentLab(root, cwd, folders, `npx course ${command}`);
  const verb = command === 'check' ? 'Checking' : 'Watching';
  io.out(
    io.colors.dim(
      `${verb} lab ${folder.id} (${folder.slug}), ${why}; for another: npx course ${command} <lab>`,
    ),
  );
  return folder;
}

function isInside(dir: string, folder: string): boolean {
  const relative = path.relative(folder, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
