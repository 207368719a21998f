import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pool } from '../grade/grade-submission';
import { runJestProcess, type JestProcessResult } from '../jest-process';
import type { Lab } from '../lab-manifest';
import type { Io } from '../output';
import {
  buildEdition,
  copyLocalCloudCaches,
  discoverLabs,
  linkNodeModules,
  writeEdition,
} from '../release/edition';
import { hasMarkers, MarkerError, releaseText, syntaxOf } from '../release/markers';
import { mapResultsToTasks } from '../task-results';
import { CourseError } from '../errors';
import { editionScripts, runScript, type ScriptRun } from '../doctor/edition-scripts';
import { unstatedTexts } from '../doctor/unstated-texts';

export interface DoctorOptions {
  jobs: string;
  timeout: string;
}

interface LabCheck {
  lab: Lab;
  problems: string[];
  referenceSeconds?: number;
  studentSeconds?: number;
  tests?: number;
}

const RERUN = 'npx course doctor';
/** Enough of a failing script's output to name the first problems, not a wall of it. */
const SHOWN_OUTPUT_LINES = 12;

/**
 * Proves every lab: its manifest and markers are valid, every task has hints and tests, its lesson states
 * every text its tests expect, the reference passes every test (none skipped, none missing), and the student
 * edition fails at least one test of every task. Then the student edition as a whole: its own lint and
 * typecheck scripts pass before anyone touched it. The edition is released into a temporary folder whose
 * node_modules link to the workspace's, and the labs' Jest runs and the scripts go --jobs at a time.
 */
export async function doctor(
  root: string,
  io: Io,
  options: DoctorOptions,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const jobs = Number(options.jobs);
  const timeout = Number(options.timeout);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new CourseError(
      `--jobs must be a whole number of at least 1, not "${options.jobs}". Run, for example: ${RERUN} --jobs 2`,
    );
  }
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new CourseError(
      `--timeout is seconds per lab run, more than 0, not "${options.timeout}". Run, for example: ${RERUN} --timeout 300`,
    );
  }
  const started = Date.now();
  const { labs, unfinished } = discoverLabs(root, RERUN);
  const checks = labs.map((lab): LabCheck => ({ lab, problems: staticProblems(root, lab) }));
  const runnable = checks.filter((check) => check.problems.length === 0);
  // A lesson that leaves a text unstated is worth fixing, but the lab's tests can still run.
  checks.forEach((check) => check.problems.push(...unstatedTexts(root, check.lab)));
  let scriptRuns: ScriptRun[] = [];

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-doctor-'));
  try {
    const edition = path.join(scratch, 'edition');
    writeEdition(buildEdition(root, { labs: runnable.map((check) => check.lab) }), edition);
    linkNodeModules(root, edition);
    copyLocalCloudCaches(root, edition);
    const runs = runnable.flatMap((check) => [
      { check, side: 'reference' as const, dir: check.lab.folder.dir },
      { check, side: 'student' as const, dir: path.join(edition, 'labs', check.lab.folder.name) },
    ]);
    // The scripts go first: they take longest, and the labs' runs fill the other lanes meanwhile.
    const scripts = editionScripts(edition).map((script) => ({ script }));
    const results = await pool([...scripts, ...runs], jobs, async (job) => {
      if ('script' in job) return runScript(edition, job.script, env, timeout * 1000);
      const { check, side, dir } = job;
      const runScratch = path.join(scratch, `${check.lab.id}-${side}`);
      fs.mkdirSync(runScratch, { recursive: true });
      const run = await runJestProcess({
        labDir: dir,
        config: path.join(dir, 'jest.config.js'),
        scratch: runScratch,
        timeoutMs: timeout * 1000,
        env: { ...env, NO_COLOR: '1' },
        maxWorkers: 2,
      });
      const seconds = run.durationMs / 1000;
      if (side === 'reference') {
        check.referenceSeconds = seconds;
        check.problems.push(...referenceProblems(check, run, timeout));
      } else {
        check.studentSeconds = seconds;
        check.problems.push(...studentProblems(check.lab, run, timeout));
      }
      return undefined;
    });
    scriptRuns = results.filter((result) => result !== undefined);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const { colors } = io;
  for (const check of checks) {
    const name = `${check.lab.id} ${check.lab.folder.slug}`;
    const timing =
      check.referenceSeconds === undefined
        ? ''
        : `  reference ${check.referenceSeconds.toFixed(1)} s, student edition ${(check.studentSeconds ?? 0).toFixed(1)} s`;
    if (check.problems.length === 0) {
      io.out(
        `${colors.green('✓')} ${name}: ${check.lab.tasks.length} tasks, ${check.tests ?? 0} tests${timing}`,
      );
    } else {
      io.out(
        `${colors.red('✗')} ${name}: ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}${timing}`,
      );
      check.problems.forEach((problem) => io.out(`    ${problem}`));
    }
  }
  for (const name of unfinished) io.out(`${colors.dim('·')} ${name}: no lab.json yet, skipped`);
  for (const run of scriptRuns) reportScript(io, run, timeout);
  const failed = checks.filter((check) => check.problems.length > 0);
  const failedScripts = scriptRuns.filter((run) => !run.passed).map((run) => `npm run ${run.script}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failed.length === 0 && failedScripts.length === 0) {
    io.out(
      colors.green(
        `All ${checks.length} labs are sound (${seconds} s). Hand out the student edition with: npx course release --out ../student-edition`,
      ),
    );
    return 0;
  }
  const what = [
    ...(failed.length > 0 ? [`${failed.length} of ${checks.length} labs have problems`] : []),
    ...(failedScripts.length > 0 ? [`the student edition fails ${failedScripts.join(' and ')}`] : []),
  ].join('; ');
  const first = failed[0]?.lab;
  io.out(
    colors.red(`${what[0]!.toUpperCase()}${what.slice(1)} (${seconds} s). Fix them, then run: ${RERUN}`) +
      (first ? ` (see lab ${first.id}'s tests with: npx course check ${first.id} --verbose)` : ''),
  );
  return 1;
}

/** One line per script; a failure shows the start of what it printed, which names the files and lines. */
function reportScript(io: Io, run: ScriptRun, timeout: number): void {
  const { colors } = io;
  const name = `student edition: npm run ${run.script}`;
  const seconds = `(${run.seconds.toFixed(1)} s)`;
  if (run.passed) {
    io.out(`${colors.green('✓')} ${name} passes ${seconds}`);
    return;
  }
  io.out(
    `${colors.red('✗')} ${name} ${run.timedOut ? `did not finish within ${timeout} s` : 'fails'} ${seconds}`,
  );
  const lines = run.output.split('\n').filter((line) => line.trim() !== '');
  lines.slice(0, SHOWN_OUTPUT_LINES).forEach((line) => io.out(`    ${line}`));
  if (lines.length > SHOWN_OUTPUT_LINES) io.out(`    ... ${lines.length - SHOWN_OUTPUT_LINES} more lines`);
}

/** What can be checked without running anything: hints, tests, markers, and the stub's dependency. */
function staticProblems(root: string, lab: Lab): string[] {
  const problems: string[] = [];
  for (const task of lab.tasks) {
    if (task.hints.length === 0) problems.push(`task ${task.id} has no hint; add one to lab.json`);
    if (task.tests.length === 0)
      problems.push(`task ${task.id} lists no tests; add its test file to lab.json`);
  }
  const titles = new Map(lab.tasks.map((task) => [task.id, task.title]));
  let stubsCode = false;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (
        ['node_modules', '.local-cloud', '.serverless', '.esbuild', 'coverage', 'dist'].includes(entry.name)
      )
        continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      const syntax = entry.isFile() ? syntaxOf(entry.name) : undefined;
      if (!syntax) continue;
      const text = fs.readFileSync(full, 'utf8');
      if (!hasMarkers(text)) continue;
      try {
        const released = releaseText(text, syntax, titles);
        if (syntax === 'code' && released.tasks.length > 0) stubsCode = true;
      } catch (error) {
        if (!(error instanceof MarkerError)) throw error;
        problems.push(
          `${path.relative(root, full).split(path.sep).join('/')}:${error.line}: ${error.problem}`,
        );
      }
    }
  };
  walk(lab.folder.dir);
  if (stubsCode) {
    const pkg = JSON.parse(fs.readFileSync(path.join(lab.folder.dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    if (
      !pkg.dependencies?.['@serverless-course/test-kit'] &&
      !pkg.devDependencies?.['@serverless-course/test-kit']
    ) {
      problems.push(
        `labs/${lab.folder.name}/package.json must depend on @serverless-course/test-kit: the student edition's stubs import NotImplemented from it`,
      );
    }
  }
  return problems;
}

function runProblem(run: JestProcessResult, timeout: number, side: string): string | undefined {
  if (run.timedOut) return `the ${side} run did not finish within ${timeout} s`;
  if (!run.suites)
    return `Jest could not run the ${side} tests: ${firstLine(run.stderr) ?? 'it wrote no results'}`;
  if (run.suites.length === 0) return `the ${side} run found no test files`;
  return undefined;
}

function referenceProblems(check: LabCheck, run: JestProcessResult, timeout: number): string[] {
  const stopped = runProblem(run, timeout, 'reference');
  if (stopped) return [stopped];
  const suites = run.suites!;
  const tests = suites.flatMap((suite) => suite.tests);
  check.tests = tests.length;
  const problems: string[] = [];
  if (tests.length === 0) problems.push('the reference runs zero tests');
  for (const suite of suites)
    if (suite.error) problems.push(`reference: ${suite.file} failed to run: ${suite.error}`);
  for (const test of tests) {
    if (test.status === 'skipped')
      problems.push(`reference: "${test.fullName}" is skipped or todo; every test must run`);
    if (test.status === 'failed')
      problems.push(
        `reference: "${test.fullName}" fails with the solution: ${firstLine(test.failure) ?? ''}`,
      );
  }
  const mapped = mapResultsToTasks(check.lab.tasks, suites);
  for (const { task, entry } of mapped.unmatched)
    problems.push(`lab.json: task ${task.id} lists "${entry}", which matches no test`);
  return problems;
}

function studentProblems(lab: Lab, run: JestProcessResult, timeout: number): string[] {
  const stopped = runProblem(run, timeout, 'student edition');
  if (stopped) return [stopped];
  const mapped = mapResultsToTasks(lab.tasks, run.suites!);
  return mapped.tasks
    .filter((result) => result.status === 'passed')
    .map(
      (result) =>
        `student edition: every test of task ${result.task.id} passes without the solution; put its code in a BEGIN SOLUTION ${result.task.id} region`,
    );
}

function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
}
