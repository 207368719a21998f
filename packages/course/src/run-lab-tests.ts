import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CourseError } from './errors';
import { failureDetails } from './failure-details';
import { runJestProcess } from './jest-process';
import type { SuiteResult } from './jest-report';
import type { Lab } from './lab-manifest';
import { displayPath } from './workspace';

export interface LabTestOptions {
  root: string;
  lab: Lab;
  /** Absolute paths of the test files to run; every test file of the lab when absent. */
  testFiles?: string[];
  /** Aborting stops the run at once and kills every process it started. */
  signal?: AbortSignal;
  /** Jest's own output too (for --verbose). */
  jestOutput?: boolean;
  env: NodeJS.ProcessEnv;
  /** The command that re-runs this check, for messages. */
  rerun: string;
}

export interface LabTestRun {
  /** Jest's own stdout and stderr, shown only with --verbose. */
  stdout: string;
  stderr: string;
  /** Undefined when Jest stopped before any test file reported (a broken jest.config.js, for example). */
  suites?: SuiteResult[];
  cancelled: boolean;
}

/** A last resort only: every file has the lab's time budget, so a run ends long before this. */
const RUN_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * Runs a lab's tests in a child process: a student's code can loop, hang, exit or pollute globals, and none
 * of that may take the CLI down with it. Each test file gets the lab's time budget; one that runs past it
 * stops the run and is reported as unfinished, then the files that had not reported run again in a fresh
 * process, so every other task still gets its verdict. The same goes for a file whose code calls
 * process.exit. Jest's transform cache lives in the workspace's .course/cache, so the next run starts warm.
 */
export async function runLabTests(options: LabTestOptions): Promise<LabTestRun> {
  const { lab } = options;
  const config = path.join(lab.folder.dir, 'jest.config.js');
  if (!fs.existsSync(config)) {
    const shown = displayPath(options.root, config);
    throw new CourseError(
      `${shown} is missing, so the lab's tests cannot run; restore it (git checkout -- ${shown}), then run: ${options.rerun}`,
    );
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-jest-'));
  const outcome: LabTestRun = { stdout: '', stderr: '', cancelled: false };
  const budgetMs = lab.timeBudgetSeconds * 1000;
  try {
    let testFiles = options.testFiles;
    for (let attempt = 1; ; attempt++) {
      const runScratch = path.join(scratch, `run-${attempt}`);
      fs.mkdirSync(runScratch);
      const run = await runJestProcess({
        labDir: lab.folder.dir,
        config,
        scratch: runScratch,
        timeoutMs: RUN_TIMEOUT_MS,
        fileBudgetMs: budgetMs,
        env: { ...options.env, NO_COLOR: '1' },
        cacheDirectory: path.join(options.root, '.course', 'cache', 'jest'),
        ...(options.signal && { signal: options.signal }),
        ...(options.jestOutput && { jestOutput: true }),
        ...(testFiles && { testFiles }),
      });
      outcome.stdout += run.stdout;
      outcome.stderr += run.stderr;
      const exited = (): string => exitReason(run.stderr, options.root, lab.folder.dir);
      if (run.suites)
        outcome.suites = [...(outcome.suites ?? []), ...run.suites.map((suite) => explained(suite, exited))];
      if (run.cancelled) return { ...outcome, cancelled: true };
      if (!run.partial) break;
      const charged = run.overBudget.length > 0 ? run.overBudget : run.unfinished;
      if (charged.length === 0) break; // Jest stopped before any file started: its output says why.
      const reason =
        run.overBudget.length > 0
          ? `did not finish in ${lab.timeBudgetSeconds} s: an infinite loop or an unresolved promise?`
          : exitReason(run.stderr, options.root, lab.folder.dir);
      const relative = (file: string): string =>
        path.relative(lab.folder.dir, file).split(path.sep).join('/');
      const stopped = charged.map((file): SuiteResult => ({
        file: relative(file),
        error: reason,
        stopped: true,
        tests: [],
      }));
      outcome.suites = [...(outcome.suites ?? []), ...stopped];
      // The files that never reported (the one that was running beside the culprit, those not started) run
      // again in a fresh process.
      const reported = new Set(outcome.suites.map((suite) => suite.file));
      const candidates = testFiles ?? (await listTestFiles(lab.folder.dir, config, options.env));
      testFiles = candidates.filter((file) => !reported.has(relative(file)));
      if (testFiles.length === 0) break;
    }
    return outcome;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A worker that exits (code under test called process.exit) is "a jest worker process crashed for an unknown
 * reason"; Jest's stderr has the reason.
 */
function explained(suite: SuiteResult, exited: () => string): SuiteResult {
  return suite.error && /jest worker process \(pid=\d+\) crashed/i.test(suite.error)
    ? { ...suite, error: exited(), stopped: true }
    : suite;
}

/** Why a run ended early without a timeout: code under test called process.exit (Jest says so on stderr). */
function exitReason(stderr: string, root: string, labDir: string): string {
  const call = /process\.exit called with "([^"]*)"/.exec(stderr);
  if (!call)
    return 'was cut short: the test process ended before it reported (does the code call process.exit?)';
  const { location } = failureDetails(stderr.slice(call.index), { root, labDir });
  return (
    `was cut short: the code called process.exit(${call[1]})${location ? ` at ${location}` : ''}, which ends ` +
    'the whole test run; a handler returns or throws, it never exits the process'
  );
}

/** Every test file of the lab (absolute), as Jest finds them. */
function listTestFiles(labDir: string, config: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--config', config, '--rootDir', labDir, '--listTests', '--json'],
      { cwd: labDir, env, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout) as string[]);
      } catch {
        resolve([]);
      }
    });
  });
}
