import fs from 'node:fs';
import path from 'node:path';
import { formatCompileError, toCompileErrors, type CompileError } from './compile/compile-errors';
import type { Compiler } from './compile/compiler';
import type { Lab, Task } from './lab-manifest';
import { runLabTests } from './run-lab-tests';
import { findTaskSources, type TaskSources } from './task-sources';
import { mapResultsToTasks, type LabResults } from './task-results';

export interface CheckRequest {
  root: string;
  lab: Lab;
  /** The tasks to check; every task of the lab when absent. */
  taskIds?: string[];
  compiler: Compiler;
  env: NodeJS.ProcessEnv;
  /** Aborting stops the tests and the compiler's answer is ignored; the outcome is `cancelled`. */
  signal?: AbortSignal;
  jestOutput?: boolean;
  rerun: string;
  /** Told the compile errors as soon as they are known, before the tests end. */
  onCompileErrors?(errors: CompileError[]): void;
}

export interface CheckOutcome {
  lab: Lab;
  /** The checked tasks, in lab order. */
  tasks: Task[];
  sources: TaskSources;
  /** Errors in the checked tasks' code, or in code no task owns. */
  compileErrors: CompileError[];
  /** Undefined when the tests could not run (see `problem`) or the check was cancelled. */
  results?: LabResults;
  /** Jest's first words when it could not run the tests at all. */
  problem?: string;
  /** Why the compiler could not check the code, when it could not; the tests ran all the same. */
  compilerProblem?: string;
  /** How many test files reported; 0 for a lab whose Jest finds no tests. */
  testFileCount?: number;
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

/**
 * One check of a lab or of some of its tasks. The tests and the compiler start together. Syntax errors come
 * first, from a parse of the lab's files alone (well under a second); type errors follow where the code
 * parses. Each is reported as soon as it is known, and once every checked task has one the tests are
 * stopped: their verdict would change nothing. A task whose files do not compile fails, whatever its tests
 * say.
 */
export async function runCheck(request: CheckRequest): Promise<CheckOutcome> {
  const { root, lab, compiler } = request;
  const tasks = lab.tasks.filter((task) => !request.taskIds || request.taskIds.includes(task.id));
  const sources = findTaskSources(root, lab);
  const relevant = (error: CompileError): boolean =>
    error.tasks.length === 0 || error.tasks.some((id) => tasks.some((task) => task.id === id));
  const compileErrors: CompileError[] = [];
  const report = (errors: CompileError[]): void => {
    const shown = errors.filter(relevant);
    if (shown.length === 0 || request.signal?.aborted) return;
    compileErrors.push(...shown);
    request.onCompileErrors?.(shown);
  };
  const outcome = (rest: Partial<CheckOutcome>): CheckOutcome => ({
    lab,
    tasks,
    sources,
    compileErrors,
    stdout: '',
    stderr: '',
    cancelled: request.signal?.aborted === true,
    ...rest,
  });

  // The tests stop as soon as compile errors leave nothing for them to decide; so does an abort.
  const stopTests = new AbortController();
  const onAbort = (): void => stopTests.abort();
  request.signal?.addEventListener('abort', onAbort);
  const stopWhenDecided = (): void => {
    if (tasks.every((task) => compileErrors.some((error) => error.tasks.includes(task.id))))
      stopTests.abort();
  };
  // The tests start at once, beside the compiler: a verdict never waits for the two one after the other.
  const testFiles = request.taskIds ? testFilesOf(lab, tasks) : undefined;
  // Type errors only where the code parses: after a syntax error they are noise.
  const compile = compiler.syntaxErrors(lab.folder.dir).then(async (syntax) => {
    report(toCompileErrors(root, lab, sources, syntax));
    stopWhenDecided();
    if (compileErrors.length > 0) return;
    const roots = request.taskIds ? rootsOf(lab, tasks, sources) : undefined;
    report(toCompileErrors(root, lab, sources, await compiler.typeErrors(lab.folder.dir, roots)));
    stopWhenDecided();
  });
  // A compiler that cannot run (TypeScript missing from an install) costs the compile errors, not the tests.
  let compilerProblem: string | undefined;
  const compiled = compile.catch((error: unknown) => {
    if (!request.signal?.aborted) compilerProblem = firstLineOf(String(error));
  });
  try {
    const tests =
      testFiles?.length === 0
        ? undefined
        : runLabTests({
            root,
            lab,
            signal: stopTests.signal,
            env: request.env,
            rerun: request.rerun,
            ...(testFiles && { testFiles }),
            ...(request.jestOutput && { jestOutput: true }),
          });
    // An abort returns at once: the tests die with it, and the type checker's late answer is dropped.
    const settled = await unlessAborted(Promise.all([tests, compiled]), request.signal);
    if (!settled) return outcome({ cancelled: true });
    const [run] = settled;
    const output = {
      stdout: run?.stdout ?? '',
      stderr: run?.stderr ?? '',
      ...(compilerProblem !== undefined && { compilerProblem }),
    };
    // Stopped: every checked task has a compile error, which is its verdict.
    if (run?.cancelled)
      return outcome({ ...output, results: withCompileErrors(untested(tasks), compileErrors) });
    // No test file holds the task's tests: lab.json names tests that do not exist (reported as unmatched).
    if (!run)
      return outcome({
        ...output,
        results: withCompileErrors(mapResultsToTasks(tasks, [], lab.tasks), compileErrors),
      });
    if (!run.suites) return outcome({ ...output, problem: jestProblem(run.stderr, run.stdout) });
    const results = withCompileErrors(mapResultsToTasks(tasks, run.suites, lab.tasks), compileErrors);
    return outcome({ ...output, results, testFileCount: run.suites.length });
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/** The promise's value, or undefined as soon as the signal aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function untested(tasks: Task[]): LabResults {
  return {
    tasks: tasks.map((task) => ({
      task,
      status: 'failed',
      failure: { test: task.tests.join(', '), message: 'not run' },
    })),
    unmatched: [],
    other: { passed: 0, failed: [], waitingFor: new Map(), brokenSuites: [] },
    allPassed: false,
  };
}

/** A task with a compile error fails with it, whatever its tests said (or when they did not run). */
function withCompileErrors(results: LabResults, errors: CompileError[]): LabResults {
  const tasks = results.tasks.map((result) => {
    const error = errors.find((candidate) => candidate.tasks.includes(result.task.id));
    if (!error) return result;
    return {
      ...result,
      status: 'failed' as const,
      failure: { test: `does not compile: ${formatCompileError(error)}`, message: '' },
    };
  });
  const allPassed = results.allPassed && errors.length === 0 && tasks.every((r) => r.status === 'passed');
  return { ...results, tasks, allPassed };
}

/**
 * The test files of these tasks (absolute): their file entries, and for test-name entries the files that can
 * hold that name (a string in the file starts it: the outer describe block's title).
 */
export function testFilesOf(lab: Lab, tasks: Task[]): string[] {
  const files = new Set<string>();
  const testFiles = listTestFiles(lab.folder.dir);
  for (const entry of tasks.flatMap((task) => task.tests)) {
    const asFile = path.join(lab.folder.dir, entry);
    if (testFiles.includes(asFile)) {
      files.add(asFile);
      continue;
    }
    for (const file of testFiles) {
      if (
        stringsIn(fs.readFileSync(file, 'utf8')).some(
          (text) => entry === text || entry.startsWith(`${text} `),
        )
      )
        files.add(file);
    }
  }
  return [...files].sort();
}

/** What to type-check for some tasks: their test files and the files their code is in. */
function rootsOf(lab: Lab, tasks: Task[], sources: TaskSources): string[] {
  const code = tasks
    .flatMap((task) => sources.filesOf(task.id))
    .filter((file) => /\.[cm]?tsx?$/.test(file))
    .map((file) => path.join(lab.folder.dir, file));
  return [...new Set([...testFilesOf(lab, tasks), ...code])];
}

/** Files named *.test.* anywhere in the lab but its installs and build output. */
function listTestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist'
        ? []
        : listTestFiles(full);
    }
    return /\.test\.[cm]?[jt]sx?$/.test(entry.name) ? [full] : [];
  });
}

function stringsIn(text: string): string[] {
  return [...text.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])+)\1/g)].map((match) => match[2]!);
}

function firstLineOf(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

/** A crash prints the file and a code frame first; the line naming the error says more. */
function jestProblem(stderr: string, stdout: string): string {
  const lines = `${stderr}\n${stdout}`.split('\n').map((line) => line.trim());
  return (
    lines.find((line) => /^\w*Error\b/.test(line)) ??
    lines.find((line) => line !== '') ??
    'it wrote no results'
  );
}
