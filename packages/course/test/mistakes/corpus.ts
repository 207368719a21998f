import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyLocalCloudCaches, linkNodeModules } from '../../src/release/edition';
import { BIN } from '../support/workspace';

/** The course with solutions: each mistake is made in a copy of one of its labs. */
const REFERENCE = path.resolve(__dirname, '..', '..', '..', '..');
const ROOT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.web.json', 'jest.base.js'];
const NOT_COPIED = new Set(['node_modules', '.local-cloud', '.serverless', '.esbuild', 'coverage', 'dist']);

/** A typical mistake in one task's code, and what `course check <lab> <task>` must say about it. */
export interface Mistake {
  /** What the student did, for the test's name: "a syntax error in the handler". */
  name: string;
  task: string;
  /** The file the mistake is in, relative to the lab. */
  file: string;
  /** Text of the reference solution, and what the mistake turns it into. */
  replace: string;
  with: string;
  /** What the check's output must hold, in order of importance. */
  says: (string | RegExp)[];
  /**
   * The most CPU seconds the check may use, the CLI and every process it starts together: about its time to
   * the verdict on idle cores, and unlike wall time the same on a busy machine.
   */
  withinCpuSeconds: number;
}

/**
 * Wall time is checked too, loosely: the machine may be busy, but waiting on a timeout (Jest's 120 s hook
 * timeout) uses no CPU and must still fail the test.
 */
const MAX_WALL_SECONDS = 110;

/**
 * Makes each mistake in a copy of the lab (one file at a time, put back after), runs the real CLI on the
 * task, and checks its verdict, its words and its time (see `withinCpuSeconds`). `timeBudgetSeconds` replaces the lab's own, so a
 * loop is stopped after seconds rather than minutes.
 */
export function describeMistakes(
  labFolder: string,
  mistakes: Mistake[],
  options: { timeBudgetSeconds?: number } = {},
): void {
  describe(`typical mistakes in labs/${labFolder}`, () => {
    let root: string;
    beforeAll(() => {
      root = copyOfLab(labFolder, options.timeBudgetSeconds);
    });
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it.each(mistakes)('$name fails task $task with the reason, in time', (mistake) => {
      const file = path.join(root, 'labs', labFolder, mistake.file);
      const original = fs.readFileSync(file, 'utf8');
      if (!original.includes(mistake.replace)) {
        throw new Error(
          `labs/${labFolder}/${mistake.file} no longer holds ${JSON.stringify(mistake.replace)}; update the corpus`,
        );
      }
      fs.writeFileSync(file, original.replace(mistake.replace, mistake.with));
      try {
        const started = Date.now();
        const cpuBefore = childCpuSeconds();
        const result = spawnSync(process.execPath, [BIN, 'check', labFolder.slice(0, 2), mistake.task], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, COURSE_ROOT: root, NO_COLOR: '1' },
        });
        const seconds = (Date.now() - started) / 1000;
        const cpuSeconds = childCpuSeconds() - cpuBefore;

        expect(result.stderr).toBe('');
        expect(result.stdout).toMatch(new RegExp(`✗ ${mistake.task} `));
        for (const said of mistake.says) {
          if (typeof said === 'string') expect(result.stdout).toContain(said);
          else expect(result.stdout).toMatch(said);
        }
        expect(result.status).toBe(1);
        expect(cpuSeconds).toBeLessThan(mistake.withinCpuSeconds);
        expect(seconds).toBeLessThan(MAX_WALL_SECONDS);
      } finally {
        fs.writeFileSync(file, original);
      }
    });
  });
}

/** CPU seconds of the finished child processes and theirs (Linux's /proc: user + system, in clock ticks). */
function childCpuSeconds(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** The workspace's root configuration and one lab, with links to the workspace's installed packages. */
function copyOfLab(labFolder: string, timeBudgetSeconds: number | undefined): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-mistakes-'));
  for (const file of ROOT_FILES) fs.copyFileSync(path.join(REFERENCE, file), path.join(root, file));
  fs.cpSync(path.join(REFERENCE, 'labs', labFolder), path.join(root, 'labs', labFolder), {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(path.basename(source)),
  });
  linkNodeModules(REFERENCE, root);
  copyLocalCloudCaches(REFERENCE, root);
  if (timeBudgetSeconds !== undefined) {
    const manifest = path.join(root, 'labs', labFolder, 'lab.json');
    const lab = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(manifest, JSON.stringify({ ...lab, timeBudgetSeconds }));
  }
  return root;
}
