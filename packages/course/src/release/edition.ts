import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CourseError } from '../errors';
import { loadLab, type Lab } from '../lab-manifest';
import { listLabFolders } from '../workspace';
import {
  hasMarkers,
  MarkerError,
  releaseText,
  syntaxOf,
  withLintDirective,
  type ReleasedFile,
  type StarterLayout,
} from './markers';
import { stubLintProbe, type StubLintProbe } from './stub-lint';

/** Never part of an edition: installs, caches, build output, local state, and the local cloud's keys. */
export const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.course',
  '.local-cloud',
  '.serverless',
  '.esbuild',
  'coverage',
  'dist',
  'test-artifacts',
]);
const SKIPPED_FILES = new Set(['.DS_Store']);

/** Root files a student never needs to change; changing them could weaken the tests. */
const PROTECTED_ROOT_FILES = /^(package\.json|package-lock\.json|jest\.[^/]+|tsconfig[^/]*\.json)$/;
// Anywhere, root or lab: what Jest, swc, Babel and npm read besides their main configuration. A lab `.swcrc`
// or Babel file rewrites how the tests themselves compile, a `__mocks__` folder replaces a module in every
// test file without a jest.mock() call, and `.npmrc` changes what installs. The reference has only the root
// `.npmrc`, so grading lays that one over the submission's and removes the others.
const RUN_CONFIGURATION = /(^|\/)(\.swcrc|\.babelrc(\.[^/]+)?|babel\.config\.[^/]+|\.npmrc|__mocks__\/.+)$/;
// Anywhere in a lab (a lab may hold a web app with its own tests and configs): test folders, Jest, TypeScript
// and package configuration, plus the manifest.
const PROTECTED_LAB_FILES =
  /^(lab\.json|(.*\/)?(test\/.*|package\.json|jest\.config\.[cm]?[jt]s|tsconfig[^/]*\.json|vite\.config\.[cm]?[jt]s))$/;

export const MANIFEST_PATH = '.course/release-manifest.json';

export interface ReleaseManifest {
  version: 1;
  /** SHA-256 of every protected file as the student edition has it, by path relative to the root. */
  protected: Record<string, string>;
  /** Starter layout of every file with solution regions, for `course reset`. */
  starters: Record<string, { lab: string; tasks: string[]; layout: StarterLayout }>;
}

export interface Edition {
  /** Relative path (forward slashes) to the edition's text or, for files copied as they are, the source. */
  files: Map<string, { text: string } | { source: string }>;
  manifest: ReleaseManifest;
  /** Tasks with at least one region, by lab id. */
  regionTasks: Map<string, Set<string>>;
}

/**
 * The labs of a workspace: folders with a lab.json. A folder without one is a lab still being written; it is
 * reported, and copied as it is.
 */
export function discoverLabs(
  root: string,
  rerun = 'npx course doctor',
): { labs: Lab[]; unfinished: string[] } {
  const folders = listLabFolders(root);
  const withManifest = folders.filter((folder) => fs.existsSync(path.join(folder.dir, 'lab.json')));
  return {
    labs: withManifest.map((folder) => loadLab(root, folder, rerun)),
    unfinished: folders.filter((folder) => !withManifest.includes(folder)).map((folder) => folder.name),
  };
}

export function isProtected(relativePath: string): boolean {
  if (PROTECTED_ROOT_FILES.test(relativePath) || RUN_CONFIGURATION.test(relativePath)) return true;
  const lab = /^labs\/[^/]+\/(.+)$/.exec(relativePath);
  return lab !== null && PROTECTED_LAB_FILES.test(lab[1]!);
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Every file of the workspace that an edition holds, relative with forward slashes, sorted. */
export function listWorkspaceFiles(root: string, skip: Set<string> = new Set()): string[] {
  const found: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (skip.has(path.join(dir, entry.name))) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path.join(dir, entry.name), relative);
      } else if (entry.isFile() && !SKIPPED_FILES.has(entry.name)) {
        found.push(relative);
      }
    }
  };
  walk(root, '');
  return found.sort();
}

/**
 * Builds the student edition in memory: lab files with markers are transformed, everything else is copied.
 * `keepHiddenTests` makes the grader edition (no solutions, hidden tests kept), which can serve as a grading
 * reference in a place students can read, such as a Classroom workflow.
 */
export function buildEdition(
  root: string,
  options: { keepHiddenTests?: boolean; skip?: Set<string>; labs?: Lab[] } = {},
): Edition {
  const labs = new Map(
    (options.labs ?? discoverLabs(root).labs).map((lab) => [lab.folder.name, lab] as const),
  );
  const files: Edition['files'] = new Map();
  const manifest: ReleaseManifest = { version: 1, protected: {}, starters: {} };
  const regionTasks = new Map<string, Set<string>>();
  // Loaded on the first stubbed code file, as loading the workspace's ESLint takes a second or two: null until
  // then, undefined when the workspace has no ESLint to satisfy.
  let probe: StubLintProbe | undefined | null = null;
  const lintDirectives = (relative: string, original: string, released: ReleasedFile): ReleasedFile => {
    if (!released.layout || syntaxOf(relative) !== 'code') return released;
    if (probe === null) probe = stubLintProbe(root);
    return probe ? withLintDirective(released, probe(relative, original, released.text)) : released;
  };

  for (const relative of listWorkspaceFiles(root, options.skip)) {
    const source = path.join(root, relative);
    const labMatch = /^labs\/([^/]+)\//.exec(relative);
    const lab = labMatch ? labs.get(labMatch[1]!) : undefined;
    const syntax = syntaxOf(relative);
    let text: string | undefined;
    if (lab && syntax) {
      const original = fs.readFileSync(source, 'utf8');
      if (hasMarkers(original)) {
        const titles = new Map(lab.tasks.map((task) => [task.id, task.title]));
        let released;
        try {
          released = lintDirectives(relative, original, releaseText(original, syntax, titles));
        } catch (error) {
          if (error instanceof MarkerError) {
            throw new CourseError(
              `${relative}:${error.line}: ${error.problem}. Fix the marker, then run: npx course doctor`,
            );
          }
          throw error;
        }
        text =
          options.keepHiddenTests && released.hiddenTestsRemoved && !released.layout
            ? original
            : released.text;
        if (released.layout) {
          manifest.starters[relative] = {
            lab: lab.id,
            tasks: [...new Set(released.tasks)],
            layout: released.layout,
          };
          const tasks = regionTasks.get(lab.id) ?? new Set<string>();
          released.tasks.forEach((task) => tasks.add(task));
          regionTasks.set(lab.id, tasks);
        }
        if (isProtected(relative)) manifest.protected[relative] = sha256(released.text);
        files.set(relative, { text });
        continue;
      }
    }
    if (isProtected(relative)) manifest.protected[relative] = sha256(fs.readFileSync(source));
    files.set(relative, { source });
  }
  return { files, manifest, regionTasks };
}

/** Writes an edition into `outDir` (which must be empty or missing), with its manifest. */
export function writeEdition(edition: Edition, outDir: string): void {
  for (const [relative, content] of edition.files) {
    const target = path.join(outDir, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if ('text' in content) fs.writeFileSync(target, content.text);
    else fs.copyFileSync(content.source, target);
  }
  const manifestFile = path.join(outDir, MANIFEST_PATH);
  fs.mkdirSync(path.dirname(manifestFile), { recursive: true });
  fs.writeFileSync(manifestFile, `${JSON.stringify(edition.manifest, null, 2)}\n`);
}

/**
 * Points every node_modules of a copy at the reference's, so an edition or a submission runs without an
 * install, and always against the reference's packages (a submission's own node_modules is never used).
 */
export function linkNodeModules(reference: string, copy: string): void {
  const candidates = ['.'];
  for (const group of ['packages', 'labs', 'final-app']) {
    const dir = path.join(reference, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) candidates.push(`${group}/${name}`);
  }
  for (const relative of candidates) {
    const source = path.join(reference, relative, 'node_modules');
    const target = path.join(copy, relative, 'node_modules');
    if (!fs.existsSync(source) || !fs.existsSync(path.dirname(target))) continue;
    fs.rmSync(target, { recursive: true, force: true });
    fs.symlinkSync(fs.realpathSync(source), target, 'dir');
  }
}

/**
 * Copies each lab's local-cloud configuration cache (the framework's resolved serverless.yml, keyed by a
 * digest of the files it came from) into a copy. A copy whose serverless.yml is unchanged then starts the
 * local cloud without running `serverless print`, which takes seconds; a changed one misses and resolves its
 * own. Nothing else of .local-cloud is copied (it holds keys and build output).
 */
export function copyLocalCloudCaches(reference: string, copy: string): void {
  const labsDir = path.join(reference, 'labs');
  if (!fs.existsSync(labsDir)) return;
  for (const name of fs.readdirSync(labsDir)) {
    const cache = path.join(labsDir, name, '.local-cloud', 'cache');
    const target = path.join(copy, 'labs', name);
    if (!fs.existsSync(cache) || !fs.existsSync(target)) continue;
    fs.cpSync(cache, path.join(target, '.local-cloud', 'cache'), { recursive: true });
  }
}
