import type { SuiteResult, TestOutcome } from './jest-report';
import { STUB_REACHED } from '@serverless-course/test-kit/not-implemented';
import type { Task } from './lab-manifest';

export interface TaskFailure {
  /** What failed: a test's full name, `<file> failed to run`, or `does not compile`. */
  test: string;
  /** The first lines of why. */
  message: string;
  /** The whole failure message, stack included, when a test failed: where expected and received come from. */
  details?: string;
  /**
   * Set when every failing test stopped at the NotImplemented stub of another task: this task's own code may
   * be fine, it waits on those (ids in lab order).
   */
  waitingFor?: string[];
  /** Set when every failing test stopped at this task's own stub: it has not been started. */
  notStarted?: boolean;
}

export interface TaskResult {
  task: Task;
  status: 'passed' | 'failed';
  /** Why the task failed: the first failing test (or the file that failed to run) and its message. */
  failure?: TaskFailure;
}

/** An entry of a task's `tests` that matched nothing although every test file ran: lab.json is wrong. */
export interface UnmatchedEntry {
  task: Task;
  entry: string;
}

export interface LabResults {
  tasks: TaskResult[];
  unmatched: UnmatchedEntry[];
  /**
   * Tests no task claims; they still have to pass. `waitingFor` gives, for a failed one that ran into stubs
   * (in its failure or in its file's console output, where a handler that answers 500 logs it), their task ids.
   */
  other: {
    passed: number;
    failed: TestOutcome[];
    waitingFor: Map<TestOutcome, string[]>;
    brokenSuites: SuiteResult[];
  };
  /** True only when every test ran and passed. */
  allPassed: boolean;
}

/**
 * Maps Jest's results onto lab.json's tasks. An entry in a task's `tests` is a test file relative to the lab
 * folder (every test in it) or a Jest test name: a test matches when its full name equals the entry or starts
 * with it followed by a space, so a describe block's title claims every test inside it.
 *
 * A task passes only when something matched and all of it passed; a skipped test is not a pass, or `.skip`
 * would earn points. `labTasks` (every task of the lab, when only some are checked) orders the tasks a failure
 * waits on. When a file failed to run, entries that matched nothing may well live in that file, so
 * those tasks fail with its error instead of being called lab defects.
 */
export function mapResultsToTasks(
  tasks: Task[],
  suites: SuiteResult[],
  labTasks: Task[] = tasks,
): LabResults {
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
      const failure = broken.stopped
        ? { test: `${broken.file} ${broken.error!}`, message: '' }
        : { test: `${broken.file} failed to run`, message: broken.error! };
      return { task, status: 'failed', failure: classified(failure, [broken.error!], task, labTasks) };
    }
    if (entryMatchedNothing) {
      return { task, status: 'failed', failure: { test: task.tests.join(', '), message: 'no test matched' } };
    }
    const notPassing = [...matched].filter((test) => test.status !== 'passed');
    const first = notPassing[0];
    if (first) {
      const failure = {
        test: first.fullName,
        message: first.failure ?? 'the test was skipped; remove .skip or .todo so it runs',
        ...(first.failureMessage !== undefined && { details: first.failureMessage }),
      };
      const reasons = notPassing.map((test) => reasonText(test, suites));
      return { task, status: 'failed', failure: classified(failure, reasons, task, labTasks) };
    }
    return { task, status: 'passed' };
  });

  // Tests of the tasks not being checked (they ran because they share a file) are theirs, not "other".
  for (const task of labTasks.filter((candidate) => !tasks.includes(candidate))) {
    for (const suite of suites) {
      for (const test of suite.tests) {
        if (task.tests.some((entry) => claims(entry, suite, test))) claimedTests.add(test);
      }
    }
  }
  const unclaimed = suites.flatMap((suite) => suite.tests).filter((test) => !claimedTests.has(test));
  const otherFailed = unclaimed.filter((test) => test.status !== 'passed');
  const waitingFor = new Map<TestOutcome, string[]>();
  for (const test of otherFailed) {
    const ids = new Set(notImplementedIds(reasonText(test, suites)));
    const inLabOrder = labTasks.map((task) => task.id).filter((id) => ids.has(id));
    if (inLabOrder.length > 0) waitingFor.set(test, inLabOrder);
  }
  const other = {
    passed: unclaimed.filter((test) => test.status === 'passed').length,
    failed: otherFailed,
    waitingFor,
    brokenSuites: brokenSuites.filter(
      (suite) =>
        !explainedSuites.has(suite) &&
        !labTasks.some((task) => task.tests.some((e) => normalizeFile(e) === suite.file)),
    ),
  };
  const allPassed =
    results.every((result) => result.status === 'passed') &&
    other.failed.length === 0 &&
    brokenSuites.length === 0 &&
    unmatched.length === 0;
  return { tasks: results, unmatched, other, allPassed };
}

// test-kit's NotImplemented says `Task "<id>" is not implemented yet`; the id is all the course needs from it.
// Inside a printed value (a received object in a diff) the quotes come escaped.
const NOT_IMPLEMENTED = /Task \\?"([a-z0-9-]+)\\?" is not implemented yet/g;

/** The task ids whose NotImplemented stub the text reports, in order of appearance. */
export function notImplementedIds(text: string): string[] {
  return [...new Set([...text.matchAll(NOT_IMPLEMENTED)].map((match) => match[1]!))];
}

/**
 * Why a test failed, for spotting stubs. Code that catches every error (a handler answering 500, Express's
 * HTML error page) hides the NotImplemented from the failure; under the course, the stub then names itself
 * and its test in the file's console output (test-kit's reportToCourse). Such a line counts for its own test
 * only; another console line (a handler's log of what it caught) counts for every test of its file.
 */
function reasonText(test: TestOutcome, suites: SuiteResult[]): string {
  const text = test.failureMessage ?? test.failure ?? '';
  if (notImplementedIds(text).length > 0) return text;
  const suite = suites.find((candidate) => candidate.tests.includes(test));
  const console = (suite?.console ?? []).filter(
    (line) => !line.startsWith(STUB_REACHED) || line.endsWith(` (test: ${test.fullName})`),
  );
  return `${text}\n${console.join('\n')}`;
}

/**
 * Tells a task not started (every failure is its own stub) or waiting on others (every failure is another
 * task's stub) from one whose code is wrong.
 */
function classified(failure: TaskFailure, reasons: string[], task: Task, tasks: Task[]): TaskFailure {
  const perReason = reasons.map(notImplementedIds);
  if (perReason.some((ids) => ids.length === 0)) return failure;
  if (perReason.every((ids) => ids.length === 1 && ids[0] === task.id))
    return { ...failure, notStarted: true };
  if (perReason.some((ids) => ids.includes(task.id))) return failure;
  const waited = new Set(perReason.flat());
  const waitingFor = tasks.map((other) => other.id).filter((id) => waited.has(id));
  return waitingFor.length > 0 ? { ...failure, waitingFor } : failure;
}

/** Does a `tests` entry of lab.json claim this test: its file, or its name or a describe block around it. */
function claims(entry: string, suite: SuiteResult, test: TestOutcome): boolean {
  return (
    suite.file === normalizeFile(entry) || test.fullName === entry || test.fullName.startsWith(`${entry} `)
  );
}

function normalizeFile(entry: string): string {
  return entry.replace(/\\/g, '/').replace(/^\.\//, '');
}
