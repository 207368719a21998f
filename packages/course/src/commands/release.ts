import fs from 'node:fs';
import path from 'node:path';
import { CourseError } from '../errors';
import type { Io } from '../output';
import { buildEdition, discoverLabs, writeEdition, MANIFEST_PATH } from '../release/edition';
import { commitEdition } from '../release/git-repository';

/**
 * Writes the student edition (or, with --grader, the grader edition that keeps the hidden tests) of the
 * whole workspace into an empty folder, as a git repository with one commit. Everything is checked and built
 * in memory first, so a malformed marker stops the command before a single file is written.
 */
export function release(
  root: string,
  io: Io,
  outArg: string,
  options: { grader?: boolean },
  cwd: string,
): number {
  const out = path.resolve(cwd, outArg);
  const rerun = `npx course release --out ${outArg}${options.grader ? ' --grader' : ''}`;
  if (out === root || root.startsWith(`${out}${path.sep}`)) {
    throw new CourseError(
      `--out ${outArg} would overwrite the course itself; pick a folder outside it, then run: npx course release --out ../student-edition`,
    );
  }
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) {
    throw new CourseError(`${out} is not empty; remove it or pick a new folder, then run: ${rerun}`);
  }
  const skip = new Set([out]);
  const { labs, unfinished } = discoverLabs(root, rerun);
  const edition = buildEdition(root, { keepHiddenTests: options.grader === true, skip, labs });
  writeEdition(edition, out);
  const editionName = options.grader ? 'Grader edition' : 'Student edition';
  const git = commitEdition(out, editionName);
  const { colors } = io;
  const stubbed = Object.keys(edition.manifest.starters).length;
  const tasks = [...edition.regionTasks.values()].reduce((sum, set) => sum + set.size, 0);
  io.out(
    `${editionName} written to ${out}: ${edition.files.size} files, ` +
      `${tasks} task${tasks === 1 ? '' : 's'} stubbed in ${stubbed} file${stubbed === 1 ? '' : 's'}` +
      `${options.grader ? ', hidden tests kept' : ', hidden tests removed'}; protected-file hashes in ${MANIFEST_PATH}.`,
  );
  if (unfinished.length > 0) {
    io.out(
      colors.yellow(
        `Copied without changes (no lab.json yet): ${unfinished.map((name) => `labs/${name}`).join(', ')}`,
      ),
    );
  }
  io.out(
    git.committed
      ? `Made it a git repository with one commit, "${editionName}": git diff and git checkout work from the start.`
      : colors.yellow(
          `Not made a git repository (${git.reason}); to have one, run in it: git init && git add . && git add -f ${MANIFEST_PATH} && git commit -m "${editionName}"`,
        ),
  );
  io.out(`Next: ${colors.cyan(`cd ${path.relative(cwd, out) || '.'} && npm install && npx course list`)}`);
  return 0;
}
