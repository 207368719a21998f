import fs from 'node:fs';
import path from 'node:path';
import { CourseError } from './errors';

/** A `labs/NN-name/` folder; its lab.json is read separately so listing folders never fails on a bad manifest. */
export interface LabFolder {
  /** The two-digit NN prefix, for example "01". */
  id: string;
  /** The folder name without the prefix, for example "hello-lambda". */
  slug: string;
  /** The folder name, for example "01-hello-lambda". */
  name: string;
  dir: string;
}

const LAB_FOLDER = /^(\d{2})-(.+)$/;

function isCourseRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'package.json')) && isDirectory(path.join(dir, 'labs'));
}

function isDirectory(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * COURSE_ROOT wins so tests (and unusual setups) can point at any workspace; otherwise walk up from cwd, so
 * the command works from inside a lab folder too. A lab folder has its own package.json but no labs/ inside,
 * which is why both are required.
 */
export function findRoot(cwd: string, env: NodeJS.ProcessEnv): string {
  if (env.COURSE_ROOT) {
    const root = path.resolve(cwd, env.COURSE_ROOT);
    if (!isCourseRoot(root)) {
      throw new CourseError(
        `COURSE_ROOT=${env.COURSE_ROOT} is not a course workspace (it needs a package.json and a labs/ folder); ` +
          'unset COURSE_ROOT or point it at the course folder, then run: npx course list',
      );
    }
    return root;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isCourseRoot(dir)) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new CourseError(
    `No course workspace (a folder with package.json and labs/) in ${cwd} or above it; ` +
      'cd into the course folder, then run: npx course list',
  );
}

/** Lab folders sorted by id; other entries in labs/ (README.md, .DS_Store) are ignored. */
export function listLabFolders(root: string): LabFolder[] {
  const labsDir = path.join(root, 'labs');
  const folders = fs
    .readdirSync(labsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const match = LAB_FOLDER.exec(entry.name);
      return match
        ? [{ id: match[1]!, slug: match[2]!, name: entry.name, dir: path.join(labsDir, entry.name) }]
        : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  for (let i = 1; i < folders.length; i++) {
    const [previous, current] = [folders[i - 1]!, folders[i]!];
    if (previous.id === current.id) {
      throw new CourseError(
        `labs/${previous.name} and labs/${current.name} both use the number ${current.id}; ` +
          'give each lab folder its own NN prefix, then run: npx course list',
      );
    }
  }
  return folders;
}

/** Accepts what a student is likely to type: "01", "1", "01-hello-lambda" or "hello-lambda". */
export function resolveLab(labs: LabFolder[], ref: string): LabFolder {
  const wanted = /^\d+$/.test(ref) ? ref.padStart(2, '0') : undefined;
  const found = labs.find((lab) => lab.id === wanted || lab.name === ref || lab.slug === ref);
  if (found) return found;
  const known =
    labs.length > 0
      ? `the labs are ${labs.map((lab) => `${lab.id} (${lab.slug})`).join(', ')}`
      : 'labs/ has no NN-name folders yet';
  throw new CourseError(`There is no lab "${ref}"; ${known}. See them all with: npx course list`);
}

/** Paths in messages are relative to the workspace root, the folder students run commands from. */
export function displayPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
