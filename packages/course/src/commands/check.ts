import path from 'node:path';
import { runCheck, type CheckOutcome } from '../check-run';
import { Compiler } from '../compile/compiler';
import { chooseCurrentLab } from '../current-lab';
import { CourseError } from '../errors';
import { descriptionAt, loadLab, type Lab } from '../lab-manifest';
import type { Io } from '../output';
import { readProgress, recordCheck, taskStatus, writeProgress, type Progress } from '../progress';
import { renderCompileErrors, renderTask, type TaskContext } from '../task-report';
import { type LabResults } from '../task-results';
import { displayPath, listLabFolders, resolveLab, type LabFolder } from '../workspace';

export interface CheckOptions {
  verbose: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Ctrl+C: stops the run and every process it started. */
  signal?: AbortSignal;
}

/** Exit code of a check stopped by Ctrl+C, as a shell reports a command ended by SIGINT. */
export const INTERRUPTED = 130;

/**
 * Checks a lab, or one of its tasks: compile errors first, then each task passed or failed with the first
 * reason, the score and the next command. Exit 0 only when everything checked passes, 1 when something
 * failed (progress is saved either way), 2 when the lab itself is broken (nothing is saved: the score would
 * be meaningless).
 */
export async function check(
  root: string,
  io: Io,
  labRef: string | undefined,
  taskId: string | undefined,
  options: CheckOptions,
): Promise<number> {
  const folders = listLabFolders(root);
  const folder =
    labRef === undefined
      ? chooseCurrentLab(root, io, options.cwd, folders, 'check')
      : resolveLab(folders, labRef);
  const rerun = `npx course check ${folder.id}${taskId ? ` ${taskId}` : ''}`;
  const lab = loadLab(root, folder, rerun);
  if (taskId !== undefined && !lab.tasks.some((task) => task.id === taskId)) {
    const ids = lab.tasks.map((task) => task.id);
    throw new CourseError(
      `Lab ${lab.id} has no task "${taskId}"; its tasks are ${ids.join(', ')}. Run, for example: npx course check ${lab.id} ${ids[0]}`,
    );
  }
  // Read before running the tests, so a corrupt file stops us before a long run rather than after it.
  const progress = readProgress(root, rerun);

  // The heading comes with the first news (compile errors, or the tasks): a broken lab prints only its error.
  let headed = false;
  const heading = (): void => {
    if (!headed) io.out(io.colors.bold(`Lab ${lab.id}  ${lab.title}`));
    headed = true;
  };
  const compiler = new Compiler(path.join(root, '.course', 'cache', 'typescript'));
  let outcome: CheckOutcome;
  try {
    outcome = await runCheck({
      root,
      lab,
      ...(taskId && { taskIds: [taskId] }),
      compiler,
      env: options.env,
      rerun,
      jestOutput: options.verbose,
      ...(options.signal && { signal: options.signal }),
      onCompileErrors: (errors) => {
        heading();
        renderCompileErrors(io, lab, errors);
      },
    });
  } finally {
    await compiler.close();
  }
  if (outcome.cancelled) {
    io.out(`Stopped. Check again with: ${rerun}`);
    return INTERRUPTED;
  }
  if (options.verbose) {
    if (outcome.stdout) io.out(outcome.stdout.trimEnd());
    if (outcome.stderr) io.err(outcome.stderr.trimEnd());
  }
  const results = validResults(root, folder, lab, outcome, rerun);

  heading();
  if (outcome.compilerProblem) {
    io.out(
      io.colors.yellow(
        `The type check could not run (${outcome.compilerProblem}); the tests ran without it.`,
      ),
    );
  }
  const statuses = results.tasks.map((result) => ({ taskId: result.task.id, status: result.status }));
  const saved = recordCheck(progress, lab.id, statuses, new Date());
  report(io, { root, lab, sources: outcome.sources, passed: (id) => passedIn(saved, lab, id) }, results, {
    taskId,
    progress: saved,
    next: folders[folders.indexOf(folder) + 1],
  });
  writeProgress(root, saved);
  return results.allPassed ? 0 : 1;
}

/** The results, or the one-line reason the lab itself is broken (Jest could not run it, lab.json is wrong). */
function validResults(
  root: string,
  folder: LabFolder,
  lab: Lab,
  outcome: CheckOutcome,
  rerun: string,
): LabResults {
  if (!outcome.results) {
    throw new CourseError(
      `Jest could not run the tests of labs/${folder.name}: ${outcome.problem ?? 'it wrote no results'}. See Jest's output with: ${rerun} --verbose`,
    );
  }
  const { results } = outcome;
  if (outcome.testFileCount === 0) {
    throw new CourseError(
      `labs/${folder.name} has no test files (its jest.config.js testMatch found none), so there is nothing ` +
        `to check; add the lab's tests under labs/${folder.name}/test, then run: ${rerun}`,
    );
  }
  const defect = results.unmatched[0];
  if (defect) {
    const index = lab.tasks.indexOf(defect.task);
    throw new CourseError(
      `${displayPath(root, path.join(folder.dir, 'lab.json'))}: tasks[${index}].tests lists "${defect.entry}" ` +
        `(task "${defect.task.id}"), but no test file or test name that Jest ran matches it; expected ` +
        `${descriptionAt(['tasks', String(index), 'tests'])}. Fix the file, then run: ${rerun}`,
    );
  }
  return results;
}

function report(
  io: Io,
  context: TaskContext,
  results: LabResults,
  where: { taskId: string | undefined; progress: Progress; next: LabFolder | undefined },
): void {
  const { colors } = io;
  const { lab } = context;
  // The task id leads each line, as in `course list`: it is what `course hint` takes.
  const idWidth = Math.max(...results.tasks.map(({ task }) => task.id.length));
  for (const result of results.tasks) renderTask(io, context, result, idWidth);
  const { other } = results;
  const otherFailures = other.failed.length + other.brokenSuites.length;
  if (other.passed + otherFailures > 0) {
    // Tests no task claims check the lab as a whole (its configuration, end to end): they are not worth
    // points, and they pass once the tasks they use do.
    const mark = otherFailures === 0 ? colors.green('✓') : colors.red('✗');
    io.out(`  ${mark} Lab-wide tests, no task of their own: ${other.passed} passed, ${otherFailures} failed`);
    for (const test of other.failed) {
      const waiting = other.waitingFor.get(test) ?? [];
      const why =
        waiting.length > 0 ? `waits on task ${waiting.join(', ')}` : (firstLine(test.failure) ?? 'skipped');
      io.out(`      ${colors.red(test.fullName)}: ${why}`);
    }
    for (const suite of other.brokenSuites)
      io.out(`      ${colors.red(`${suite.file} failed to run`)}: ${suite.error}`);
  }

  const earned = lab.tasks
    .filter((task) => context.passed(task.id))
    .reduce((sum, task) => sum + task.points, 0);
  const max = lab.tasks.reduce((sum, task) => sum + task.points, 0);
  io.out();
  io.out(
    colors.bold(`Score: ${earned}/${max}`) +
      (where.taskId ? colors.dim(` (task ${where.taskId} checked now, the others at your last check)`) : ''),
  );

  const firstFailed = results.tasks.find((result) => result.status === 'failed');
  const unfinished = lab.tasks.find((task) => !context.passed(task.id));
  if (firstFailed) {
    const blocking = firstFailed.failure?.waitingFor?.[0];
    io.out(
      blocking
        ? `Do ${blocking} first: ${colors.cyan(`npx course check ${lab.id} ${blocking}`)}`
        : `Stuck? Run: ${colors.cyan(`npx course hint ${lab.id} ${firstFailed.task.id}`)}`,
    );
  } else if (!results.allPassed) {
    io.out(
      `All tasks pass, but other tests fail; fix them, then run: ${colors.cyan(`npx course check ${lab.id}`)}`,
    );
  } else if (where.taskId && unfinished) {
    io.out(
      colors.green(
        `Task ${where.taskId} passes. Next: ${colors.cyan(`npx course check ${lab.id} ${unfinished.id}`)}`,
      ),
    );
  } else if (where.taskId) {
    io.out(
      colors.green(
        `Task ${where.taskId} passes. Check the whole lab with: ${colors.cyan(`npx course check ${lab.id}`)}`,
      ),
    );
  } else if (where.next) {
    io.out(colors.green(`All tasks pass. Next: ${colors.cyan(`npx course check ${where.next.id}`)}`));
  } else {
    io.out(
      colors.green(
        `All tasks pass: this was the last lab, the course is complete! See it all: npx course list`,
      ),
    );
  }
}

function passedIn(progress: Progress, lab: Lab, taskId: string): boolean {
  return taskStatus(progress, lab.id, taskId) === 'passed';
}

function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
}
