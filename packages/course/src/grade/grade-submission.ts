import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SuiteResult, TestOutcome } from '../jest-report';
import { runJestProcess, type JestProcessResult } from '../jest-process';
import type { Lab, Task } from '../lab-manifest';
import {
  copyLocalCloudCaches,
  isProtected,
  linkNodeModules,
  listWorkspaceFiles,
  sha256,
} from '../release/edition';
import { removeHiddenTests } from '../release/markers';
import { mapResultsToTasks } from '../task-results';
import { checkCanaries, plantCanaries, withoutCanaries } from './canaries';
import { withSafeMessages } from './hidden-source';
import { LIMITS, type Isolation } from './os-sandbox';
import { sandboxEnv } from './sandbox';

export interface Tampering {
  file: string;
  change: 'modified' | 'deleted' | 'added';
}

export interface GradedTest {
  lab: string;
  /** The task that claims the test, if any. */
  task?: string;
  name: string;
  status: 'pass' | 'fail' | 'error';
  message?: string;
}

export interface GradedTask {
  task: Task;
  status: 'pass' | 'fail' | 'error';
  earned: number;
  message?: string;
}

export interface LabGrade {
  lab: Lab;
  status: 'pass' | 'fail' | 'error';
  /** Why the lab could not be fully graded (timeout, early exit, Jest could not start, tampered results). */
  message?: string;
  /** What showed that the run's results were tampered with (a forged result, a planted test gone wrong). */
  tampered?: string[];
  tasks: GradedTask[];
  tests: GradedTest[];
  score: number;
  maxScore: number;
  durationMs: number;
}

export interface SubmissionGrade {
  name: string;
  dir: string;
  status: 'pass' | 'fail' | 'error';
  labs: LabGrade[];
  tampering: Tampering[];
  /** How graded code was isolated: `none` means its results are not trustworthy. */
  isolation: 'bubblewrap' | 'none';
  score: number;
  maxScore: number;
  durationMs: number;
}

export interface GradeSettings {
  timeoutMs: number;
  /** The lab's hidden-test lines (hiddenTestLines of the reference's lab), read once per grading. */
  hiddenTestLines: string[];
  /** The grader's environment; only the sandbox's allowlist of it reaches the run. */
  env: NodeJS.ProcessEnv;
  /** The OS sandbox each run goes in, or why there is none. */
  isolation: Isolation;
  /** What a sandboxed run may read besides its copy: the reference's dependencies (see dependencyMounts). */
  readOnly: string[];
  /**
   * A Jest cache made by grading the untouched student edition (warmCache), copied into each run: the
   * official tests, the test kit and the local cloud are then transformed once per grading, not per run.
   */
  warmCache?: string;
}

/** The submission's protected files against the release: changed, deleted, or added (a new test file). */
export function findTampering(
  submission: string,
  expected: Record<string, string>,
  labNames: string[],
): Tampering[] {
  const inScope = (file: string): boolean => {
    const lab = /^labs\/([^/]+)\//.exec(file);
    return lab === null || labNames.includes(lab[1]!);
  };
  const present = new Set(
    listWorkspaceFiles(submission).filter((file) => isProtected(file) && inScope(file)),
  );
  const found: Tampering[] = [];
  for (const [file, hash] of Object.entries(expected)) {
    if (!inScope(file)) continue;
    if (!present.has(file)) found.push({ file, change: 'deleted' });
    else if (!matchesRelease(fs.readFileSync(path.join(submission, file)), hash))
      found.push({ file, change: 'modified' });
  }
  for (const file of present) if (!(file in expected)) found.push({ file, change: 'added' });
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

/** Equal to the release, or equal once hidden tests are taken out: having the hidden tests weakens nothing. */
function matchesRelease(content: Buffer, hash: string): boolean {
  if (sha256(content) === hash) return true;
  try {
    const { text, removed } = removeHiddenTests(content.toString('utf8'));
    return removed && sha256(text) === hash;
  } catch {
    return false;
  }
}

/**
 * Makes the copy that is graded: the submission's files, then the reference's tests (hidden ones included)
 * and protected configuration over them, with any protected file the reference lacks removed, so a weakened,
 * skipped or added test has no effect. The submission folder itself is never written to.
 */
export function prepareCopy(submission: string, reference: string, work: string, labs: Lab[]): void {
  const labNames = labs.map((lab) => lab.folder.name);
  // What a graded lab's tests can use: the root's files and the graded labs. Not the other labs, nor the
  // final app (copying a whole workspace per submission cost more than a lab's unit tests), nor packages/,
  // which come from the reference through node_modules.
  const needed = (file: string): boolean => {
    if (file.startsWith('packages/') || file.startsWith('final-app/')) return false;
    const lab = /^labs\/([^/]+)\//.exec(file);
    return lab === null || labNames.includes(lab[1]!);
  };
  const made = new Set<string>();
  const copy = (from: string, file: string): void => {
    const target = path.join(work, file);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.copyFileSync(path.join(from, file), target);
  };
  for (const file of listWorkspaceFiles(submission).filter(needed)) copy(submission, file);
  const graded = (file: string): boolean => isProtected(file) && needed(file);
  const referenceFiles = new Set(listWorkspaceFiles(reference).filter(graded));
  for (const file of listWorkspaceFiles(work).filter(graded)) {
    if (!referenceFiles.has(file)) fs.rmSync(path.join(work, file));
  }
  for (const file of referenceFiles) copy(reference, file);
  linkNodeModules(reference, work);
  copyLocalCloudCaches(reference, work);
}

/**
 * What a graded run reads besides its copy, read-only: the reference's node_modules folders the copy links
 * to (their real paths), the workspace's own packages that those link to (the test kit, local-cloud: the
 * `packages` folder beside each), and the grader's own code (Jest, the partial reporter, the network guard).
 * Never the reference's labs: their links in node_modules stay dangling inside the sandbox.
 */
export function dependencyMounts(reference: string): string[] {
  const modules: string[] = [];
  for (const group of ['.', 'packages', 'labs', 'final-app']) {
    const parent = path.join(reference, group);
    const members = group === '.' ? ['.'] : fs.existsSync(parent) ? fs.readdirSync(parent) : [];
    for (const name of members) {
      const dir = path.join(parent, name, 'node_modules');
      if (fs.existsSync(dir)) modules.push(fs.realpathSync(dir));
    }
  }
  const jest = fs.realpathSync(require.resolve('jest/bin/jest'));
  modules.push(
    jest.slice(0, jest.lastIndexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length),
  );
  const dirs = [
    ...modules,
    ...modules.map((dir) => path.join(path.dirname(dir), 'packages')),
    path.resolve(__dirname, '..', '..'),
  ];
  return [...new Set(dirs.filter((dir) => fs.existsSync(dir)).map((dir) => fs.realpathSync(dir)))];
}

const GLOBALS_GUARD = path.join(__dirname, '..', 'sandbox', 'globals-guard.js');
/** Where a sandboxed run sees its graded copy and its scratch folder, whichever submission it is. */
const INSIDE = { work: '/grading/work', scratch: '/grading/run' };

/** Jest processes for one lab: a run stopped by a loop or an exit is resumed at most this many times. */
const MAX_RESUMES = 2;

/** What a lab's Jest processes produced, merged. */
export interface LabOutcome {
  suites: SuiteResult[];
  /** Why the first run stopped early, if it did. */
  stopped?: string;
  /** Test files (relative to the lab) that were running when a run stopped; they get no results. */
  culprits: string[];
  durationMs: number;
}

/**
 * Grades one lab of a prepared copy. Jest runs in band (one process: the cheapest way to run a lab). When
 * that process is stopped, by the time limit or by code calling process.exit, the files that finished keep
 * their results, the file that was running is charged with the stop, and the files that never ran get a new
 * process, each with the full time limit.
 */
export async function gradeLab(
  work: string,
  lab: Lab,
  scratch: string,
  settings: GradeSettings,
): Promise<LabGrade> {
  const labDir = path.join(work, 'labs', lab.folder.name);
  const relative = (file: string): string => path.relative(labDir, file).split(path.sep).join('/');
  const canaries = plantCanaries(labDir, testExtension(lab, labDir));
  const scored = scoredFiles(lab);
  const selected =
    scored &&
    [...scored, ...new Set(canaries.map((canary) => canary.file))].map((file) => path.join(labDir, file));
  const outcome: LabOutcome = { suites: [], culprits: [], durationMs: 0 };
  const problems: string[] = [];
  let completed = false;
  let testFiles = selected;
  const sandbox = settings.isolation.kind === 'bubblewrap' ? settings.isolation : undefined;
  for (let attempt = 0; attempt <= MAX_RESUMES; attempt++) {
    const runScratch = path.join(scratch, `run-${attempt + 1}`);
    fs.mkdirSync(runScratch, { recursive: true });
    if (settings.warmCache)
      fs.cpSync(settings.warmCache, path.join(runScratch, 'jest-cache'), { recursive: true });
    // In the sandbox every submission sits at the same paths, so the transform cache of one fits them all.
    const seen = sandbox
      ? {
          work: INSIDE.work,
          labDir: path.join(INSIDE.work, 'labs', lab.folder.name),
          scratch: INSIDE.scratch,
        }
      : { work, labDir, scratch: runScratch };
    const run = await runJestProcess({
      labDir,
      config: guardedConfig(path.join(seen.labDir, 'jest.config.js'), runScratch, seen.scratch),
      scratch: runScratch,
      inside: { labDir: seen.labDir, scratch: seen.scratch },
      timeoutMs: settings.timeoutMs,
      env: sandboxEnv(settings.env, runScratch, seen.scratch),
      inBand: true,
      streamResults: true,
      ...(testFiles && { testFiles }),
      ...(sandbox && {
        wrap: (command, args) =>
          sandbox.wrap(
            command,
            args,
            {
              writable: [
                { from: work, to: seen.work },
                { from: runScratch, to: seen.scratch },
              ],
              readOnly: settings.readOnly,
              cwd: seen.labDir,
            },
            settings.timeoutMs,
          ),
      }),
    });
    outcome.suites.push(...(run.suites ?? []));
    outcome.durationMs += run.durationMs;
    problems.push(...run.problems);
    const stopped = stopReason(run, settings.timeoutMs);
    if (stopped === undefined) {
      completed = true;
      break;
    }
    outcome.stopped ??= stopped;
    for (const file of run.unfinished) {
      outcome.culprits.push(relative(file));
      outcome.suites.push({ file: relative(file), error: stopped, tests: [] });
    }
    const reported = new Set(outcome.suites.map((suite) => suite.file));
    const candidates = testFiles ?? listTestFiles(labDir, runScratch, settings.env);
    testFiles = candidates.filter((file) => !reported.has(relative(file)));
    if (testFiles.length === 0 || run.unfinished.length === 0) break;
  }
  problems.push(...checkCanaries(canaries, outcome.suites, completed));
  outcome.suites = withoutCanaries(outcome.suites, canaries);
  const graded = problems.length > 0 ? tamperedLab(lab, outcome, problems) : scoreLab(lab, outcome);
  // Every report is written from this grade, the student's feedback included: no hidden test may show.
  return withSafeMessages(graded, settings.hiddenTestLines);
}

/**
 * The lab's Jest configuration with the grader's globals guard added to its setup files, written to the
 * run's scratch folder: the lab's own file (the reference's copy) stays as it is. `labConfig` and the path
 * returned are as the run sees them (`scratch` is seen as `seenAs`).
 */
function guardedConfig(labConfig: string, scratch: string, seenAs: string): string {
  const name = 'jest.grading.config.js';
  const file = path.join(scratch, name);
  fs.writeFileSync(
    file,
    [
      `const lab = require(${JSON.stringify(labConfig)});`,
      'module.exports = async () => {',
      "  const config = typeof lab === 'function' ? await lab() : lab;",
      `  return { ...config, setupFilesAfterEnv: [...(config.setupFilesAfterEnv ?? []), ${JSON.stringify(GLOBALS_GUARD)}] };`,
      '};',
      '',
    ].join('\n'),
  );
  return path.join(seenAs, name);
}

/** The extension the lab's test files use (`ts`, `js`...), for canaries its test patterns pick up. */
function testExtension(lab: Lab, labDir: string): string {
  const extensionOf = (file: string) => /\.test\.([cm]?[jt]sx?)$/.exec(file)?.[1];
  const named = lab.tasks.flatMap((task) => task.tests).find((entry) => extensionOf(entry));
  if (named) return extensionOf(named)!;
  const inFolder = fs.existsSync(path.join(labDir, 'test'))
    ? fs.readdirSync(path.join(labDir, 'test'), { recursive: true }).map(String)
    : [];
  return inFolder.map(extensionOf).find(Boolean) ?? 'ts';
}

/** A lab whose results were tampered with scores nothing, and says why. */
function tamperedLab(lab: Lab, outcome: LabOutcome, problems: string[]): LabGrade {
  const unique = [...new Set(problems)];
  const message = `not graded: its test results were tampered with (${unique.join('; ')})`;
  const scored = scoreLab(lab, outcome);
  return {
    ...scored,
    status: 'error',
    message,
    tasks: scored.tasks.map((task) => ({ ...task, status: 'error', earned: 0, message })),
    score: 0,
    tampered: unique,
  };
}

function listTestFiles(labDir: string, scratch: string, env: NodeJS.ProcessEnv): string[] {
  const listed = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--config',
      path.join(labDir, 'jest.config.js'),
      '--listTests',
      '--json',
    ],
    { cwd: labDir, env: sandboxEnv(env, scratch), encoding: 'utf8', timeout: 60_000 },
  );
  try {
    return JSON.parse(listed.stdout) as string[];
  } catch {
    return [];
  }
}

/**
 * When every task names test files (not test names), only those files can change a score, so only they run;
 * a lab's other tests (a packaging check, say) cost time and earn nothing. Otherwise every file runs.
 */
export function scoredFiles(lab: Lab): string[] | undefined {
  const entries = lab.tasks.flatMap((task) => task.tests);
  const isFile = (entry: string): boolean => /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry);
  return entries.every(isFile) ? [...new Set(entries.map((entry) => entry.replace(/^\.\//, '')))] : undefined;
}

/** Pure: Jest's outcome to task points. A task whose tests did not all report a pass scores 0. */
export function scoreLab(lab: Lab, outcome: LabOutcome): LabGrade {
  const maxScore = lab.tasks.reduce((sum, task) => sum + task.points, 0);
  const { stopped, suites } = outcome;
  const mapped = mapResultsToTasks(lab.tasks, suites);
  const culpritFailures = new Set(outcome.culprits.map((file) => `${file} failed to run`));
  const tasks = mapped.tasks.map((result): GradedTask => {
    if (result.status === 'passed') return { task: result.task, status: 'pass', earned: result.task.points };
    const noResult =
      stopped !== undefined &&
      (result.failure?.message === 'no test matched' || culpritFailures.has(result.failure?.test ?? ''));
    return {
      task: result.task,
      status: noResult ? 'error' : 'fail',
      earned: 0,
      message: noResult
        ? `its tests did not report: ${stopped}`
        : `${result.failure?.test ?? ''}: ${result.failure?.message ?? 'failed'}`,
    };
  });
  const tests = suites.flatMap((suite) => testsOf(lab, suite));
  for (const task of tasks) {
    if (task.status === 'error' && !tests.some((test) => test.task === task.task.id)) {
      tests.push({
        lab: lab.id,
        task: task.task.id,
        name: `${task.task.id} (no result)`,
        status: 'error',
        message: task.message!,
      });
    }
  }
  const score = tasks.reduce((sum, task) => sum + task.earned, 0);
  const ran = suites.some((suite) => suite.tests.length > 0);
  const status = !ran ? 'error' : score === maxScore && mapped.allPassed ? 'pass' : 'fail';
  return {
    lab,
    status,
    ...(stopped !== undefined && { message: stopped }),
    tasks,
    tests,
    score,
    maxScore,
    durationMs: outcome.durationMs,
  };
}

function stopReason(run: JestProcessResult, timeoutMs: number): string | undefined {
  if (run.timedOut) return `the run was stopped after the ${Math.round(timeoutMs / 1000)} s time limit`;
  if (run.partial) {
    // The sandbox's launcher reports a signal as the shell does: exit code 128 + its number.
    const signal = run.signal ?? signalOfExitCode(run.exitCode);
    const limit = signal ? LIMIT_SIGNALS[signal] : undefined;
    const how = signal
      ? `was killed by ${signal}${limit ? ` (${limit})` : ''}`
      : `exited with code ${run.exitCode} before Jest wrote its results (did the code under test call process.exit?)`;
    const detail = lastErrorLine(run.stderr);
    return `the test process ${how}${detail ? `: ${detail}` : ''}`;
  }
  return undefined;
}

/** Signals the sandbox's limits send, and what each one means. */
const LIMIT_SIGNALS: Partial<Record<string, string>> = {
  SIGXFSZ: `it wrote a file past the ${LIMITS.fileBytes / 1024 / 1024} MiB limit`,
  SIGXCPU: 'a process used more CPU time than the limit',
};

function signalOfExitCode(code: number | null): NodeJS.Signals | undefined {
  if (code === null || code <= 128) return undefined;
  return (Object.entries(os.constants.signals) as [NodeJS.Signals, number][]).find(
    ([, number]) => number === code - 128,
  )?.[0];
}

function lastErrorLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /Error|process\.exit/.test(line))
    .pop();
}

function testsOf(lab: Lab, suite: SuiteResult): GradedTest[] {
  if (suite.error !== undefined) {
    const task = claimingTask(lab, suite.file, undefined);
    return [
      {
        lab: lab.id,
        ...(task && { task }),
        name: `${suite.file} failed to run`,
        status: 'error',
        message: suite.error,
      },
    ];
  }
  return suite.tests.map((test: TestOutcome): GradedTest => {
    const task = claimingTask(lab, suite.file, test.fullName);
    return {
      lab: lab.id,
      ...(task && { task }),
      name: test.fullName,
      status: test.status === 'passed' ? 'pass' : 'fail',
      ...(test.status === 'failed' && { message: test.failure }),
      ...(test.status === 'skipped' && { message: 'the test was skipped, which does not count as a pass' }),
    };
  });
}

function claimingTask(lab: Lab, file: string, fullName: string | undefined): string | undefined {
  return lab.tasks.find((task) =>
    task.tests.some((entry) => {
      const normalized = entry.replace(/\\/g, '/').replace(/^\.\//, '');
      if (normalized === file) return true;
      return fullName !== undefined && (fullName === entry || fullName.startsWith(`${entry} `));
    }),
  )?.id;
}

/** Runs `work` items with at most `jobs` at a time, keeping their order in the results. */
export async function pool<T, R>(items: T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async () => {
    // After a failure no lane starts another item; the ones running finish before the error is thrown, so
    // nothing is left running in folders the caller is about to remove.
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const settled = await Promise.allSettled(lanes);
  const rejected = settled.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}
