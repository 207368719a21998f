import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
import { withSafeMessages } from './hidden-source';
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
  /** Why the lab could not be fully graded (timeout, early exit, Jest could not start). */
  message?: string;
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
  for (const file of listWorkspaceFiles(submission)) {
    if (file.startsWith('packages/')) continue;
    const target = path.join(work, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(submission, file), target);
  }
  const labNames = labs.map((lab) => lab.folder.name);
  const graded = (file: string): boolean => {
    const lab = /^labs\/([^/]+)\//.exec(file);
    return isProtected(file) && !file.startsWith('packages/') && (lab === null || labNames.includes(lab[1]!));
  };
  const referenceFiles = new Set(listWorkspaceFiles(reference).filter(graded));
  for (const file of listWorkspaceFiles(work).filter(graded)) {
    if (!referenceFiles.has(file)) fs.rmSync(path.join(work, file));
  }
  for (const file of referenceFiles) {
    const target = path.join(work, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(reference, file), target);
  }
  linkNodeModules(reference, work);
  copyLocalCloudCaches(reference, work);
}

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
  const selected = scoredFiles(lab)?.map((file) => path.join(labDir, file));
  const outcome: LabOutcome = { suites: [], culprits: [], durationMs: 0 };
  let testFiles = selected;
  for (let attempt = 0; attempt <= MAX_RESUMES; attempt++) {
    const runScratch = path.join(scratch, `run-${attempt + 1}`);
    fs.mkdirSync(runScratch, { recursive: true });
    const run = await runJestProcess({
      labDir,
      config: path.join(labDir, 'jest.config.js'),
      scratch: runScratch,
      timeoutMs: settings.timeoutMs,
      env: sandboxEnv(settings.env, runScratch),
      inBand: true,
      ...(testFiles && { testFiles }),
    });
    outcome.suites.push(...(run.suites ?? []));
    outcome.durationMs += run.durationMs;
    const stopped = stopReason(run, settings.timeoutMs);
    if (stopped === undefined) break;
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
  // Every report is written from this grade, the student's feedback included: no hidden test may show.
  return withSafeMessages(scoreLab(lab, outcome), settings.hiddenTestLines);
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
    const how = run.signal
      ? `was killed by ${run.signal}`
      : `exited with code ${run.exitCode} before Jest wrote its results`;
    const detail = lastErrorLine(run.stderr);
    return `the test process ${how} (did the code under test call process.exit?)${detail ? `: ${detail}` : ''}`;
  }
  return undefined;
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
