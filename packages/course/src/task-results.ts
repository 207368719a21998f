import type { SuiteResult, TestOutcome } from './jest-report';
import type { Task } from './lab-manifest';

export interface TaskResult {
  task: Task;
  status: 'passed' | 'failed';
  /** Why the task failed: the first failing test (or the file that failed to run) and its message. */
  failure?: { test: string; message: string };
}

/** An entry of a task's `tests` that matched nothing although every test file ran: lab.json is wrong. */
export interface UnmatchedEntry {
  task: Task;
  entry: string;
}

export interface LabResults {
  tasks: TaskResult[];
  unmatched: UnmatchedEntry[];
  /** Tests no task claims; they still have to pass. */
  other: { passed: number; failed: TestOutcome[]; brokenSuites: SuiteResult[] };
  /** True only when every test ran and passed. */
  allPassed: boolean;
}

/**
 * Maps Jest's results onto lab.json's tasks. An entry in a task's `tests` is a test file relative to the lab
 * folder (every test in it) or a Jest test name: a test matches when its full name equals the entry or starts
 * with it followed by a space, so a describe block's title claims every test inside it.
 *
 * A task passes only when something matched and all of it passed; a skipped test is not a pass, or `.skip`
 * would earn points. When a file failed to run, entries that matched nothing may well live in that file, so
 * those tasks fail with its error instead of being called lab defects.
 */
export function mapResultsToTasks(tasks: Task[], suites: SuiteResult[]): LabResults {
  const brokenSuites = suites.filter((suite) => suite.error !== undefined);
  const claimedTests = new Set<TestOutcome>();
  const explainedSuites = new Set<SuiteResult>();
  const unmatched: UnmatchedEntry[] = [];

  const results = tasks.map((task): TaskResult => {
    const matched = new Set<TestOutcome>();
    const brokenFiles: SuiteResult[] = [];
    let entryMatchedNothing = false;
    for (const entry of task.tests) {
      const file = normalizeFile(entry);
      let found = false;
      for (const suite of suites) {
        if (suite.file === file) {
          found = true;
          suite.tests.forEach((test) => matched.add(test));
          if (suite.error !== undefined) brokenFiles.push(suite);
        }
        for (const test of suite.tests) {
          if (test.fullName === entry || test.fullName.startsWith(`${entry} `)) {
            found = true;
            matched.add(test);
          }
        }
      }
      if (!found) {
        entryMatchedNothing = true;
        if (brokenSuites.length === 0) unmatched.push({ task, entry });
      }
    }
    matched.forEach((test) => claimedTests.add(test));

    const broken = brokenFiles[0] ?? (entryMatchedNothing ? brokenSuites[0] : undefined);
    if (broken) {
      explainedSuites.add(broken);
      return {
        task,
        status: 'failed',
        failure: { test: `${broken.file} failed to run`, message: broken.error! },
      };
    }
    if (entryMatchedNothing) {
      return { task, status: 'failed', failure: { test: task.tests.join(', '), message: 'no test matched' } };
    }
    const notPassing = [...matched].find((test) => test.status !== 'passed');
    if (notPassing) {
      const message = notPassing.failure ?? 'the test was skipped; remove .skip or .todo so it runs';
      return { task, status: 'failed', failure: { test: notPassing.fullName, message } };
    }
    return { task, status: 'passed' };
  });

  const unclaimed = suites.flatMap((suite) => suite.tests).filter((test) => !claimedTests.has(test));
  const other = {
    passed: unclaimed.filter((test) => test.status === 'passed').length,
    failed: unclaimed.filter((test) => test.status !== 'passed'),
    brokenSuites: brokenSuites.filter(
      (suite) =>
        !explainedSuites.has(suite) &&
        !tasks.some((task) => task.tests.some((e) => normalizeFile(e) === suite.file)),
    ),
  };
  const allPassed =
    results.every((result) => result.status === 'passed') &&
    other.failed.length === 0 &&
    brokenSuites.length === 0 &&
    unmatched.length === 0;
  return { tasks: results, unmatched, other, allPassed };
}

function normalizeFile(entry: string): string {
  return entry.replace(/\\/g, '/').replace(/^\.\//, '');
}
