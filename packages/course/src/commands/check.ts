import path from 'node:path';
import { chooseCurrentLab } from '../current-lab';
import { CourseError } from '../errors';
import { descriptionAt, loadLab, type Lab } from '../lab-manifest';
import type { Io } from '../output';
import { readProgress, recordCheck, writeProgress } from '../progress';
import { runLabTests } from '../run-lab-tests';
import { mapResultsToTasks, type LabResults } from '../task-results';
import { listLabFolders, resolveLab, displayPath, type LabFolder } from '../workspace';

/**
 * Runs a lab's tests and scores its tasks. Exit 0 only when every test passed, 1 when some failed (progress
 * is saved either way), 2 when the lab itself is broken (nothing is saved: the score would be meaningless).
 */
export function check(
  root: string,
  io: Io,
  labRef: string | undefined,
  options: { verbose: boolean; cwd: string },
): number {
  const folders = listLabFolders(root);
  const folder =
    labRef === undefined
      ? chooseCurrentLab(root, io, options.cwd, folders, 'check')
      : resolveLab(folders, labRef);
  const rerun = `npx course check ${folder.id}`;
  const lab = loadLab(root, folder, rerun);
  // Read before running the tests, so a corrupt file stops us before a long run rather than after it.
  const progress = readProgress(root, rerun);

  const run = runLabTests(root, folder, rerun);
  if (options.verbose) {
    if (run.stdout) io.out(run.stdout.trimEnd());
    if (run.stderr) io.err(run.stderr.trimEnd());
  }
  if (!run.suites) {
    const reason =
      errorLine(run.stderr) ?? firstLine(run.stderr) ?? firstLine(run.stdout) ?? 'it wrote no results';
    throw new CourseError(
      `Jest could not run the tests of labs/${folder.name}: ${reason}. See Jest's output with: ${rerun} --verbose`,
    );
  }
  if (run.suites.length === 0) {
    throw new CourseError(
      `labs/${folder.name} has no test files (its jest.config.js testMatch found none), so there is nothing ` +
        `to check; add the lab's tests under labs/${folder.name}/test, then run: ${rerun}`,
    );
  }

  const results = mapResultsToTasks(lab.tasks, run.suites);
  const defect = results.unmatched[0];
  if (defect) {
    const index = lab.tasks.indexOf(defect.task);
    throw new CourseError(
      `${displayPath(root, path.join(folder.dir, 'lab.json'))}: tasks[${index}].tests lists "${defect.entry}" ` +
        `(task "${defect.task.id}"), but no test file or test name that Jest ran matches it; expected ` +
        `${descriptionAt(['tasks', String(index), 'tests'])}. Fix the file, then run: ${rerun}`,
    );
  }

  report(io, lab, results, nextLab(folders, folder));
  const statuses = results.tasks.map((result) => ({ taskId: result.task.id, status: result.status }));
  writeProgress(root, recordCheck(progress, lab.id, statuses, new Date()));
  return results.allPassed ? 0 : 1;
}

function report(io: Io, lab: Lab, results: LabResults, next: LabFolder | undefined): void {
  const { colors } = io;
  io.out(colors.bold(`Lab ${lab.id}  ${lab.title}`));
  // The task id leads each line, as in `course list`: it is what `course hint` takes.
  const idWidth = Math.max(...results.tasks.map(({ task }) => task.id.length));
  for (const { task, status, failure } of results.tasks) {
    const mark = status === 'passed' ? colors.green('✓') : colors.red('✗');
    io.out(`  ${mark} ${task.id.padEnd(idWidth)}  ${task.title} ${colors.dim(`(${task.points} pts)`)}`);
    if (failure) {
      io.out(`      ${colors.red(failure.test)}`);
      failure.message.split('\n').forEach((line) => io.out(`        ${colors.dim(line)}`));
    }
  }
  const { other } = results;
  const otherFailures = other.failed.length + other.brokenSuites.length;
  if (other.passed + otherFailures > 0) {
    const mark = otherFailures === 0 ? colors.green('✓') : colors.red('✗');
    io.out(`  ${mark} Other tests: ${other.passed} passed, ${otherFailures} failed`);
    for (const test of other.failed)
      io.out(`      ${colors.red(test.fullName)}: ${firstLine(test.failure) ?? 'skipped'}`);
    for (const suite of other.brokenSuites)
      io.out(`      ${colors.red(`${suite.file} failed to run`)}: ${suite.error}`);
  }

  const earned = results.tasks
    .filter((r) => r.status === 'passed')
    .reduce((sum, r) => sum + r.task.points, 0);
  const max = lab.tasks.reduce((sum, task) => sum + task.points, 0);
  io.out();
  io.out(colors.bold(`Score: ${earned}/${max}`));

  const firstFailed = results.tasks.find((result) => result.status === 'failed');
  if (firstFailed) {
    io.out(`Stuck? Run: ${colors.cyan(`npx course hint ${lab.id} ${firstFailed.task.id}`)}`);
  } else if (!results.allPassed) {
    io.out(
      `All tasks pass, but other tests fail; fix them, then run: ${colors.cyan(`npx course check ${lab.id}`)}`,
    );
  } else if (next) {
    io.out(colors.green(`All tasks pass. Next: ${colors.cyan(`npx course check ${next.id}`)}`));
  } else {
    io.out(
      colors.green(
        `All tasks pass: this was the last lab, the course is complete! See it all: npx course list`,
      ),
    );
  }
}

function nextLab(folders: LabFolder[], current: LabFolder): LabFolder | undefined {
  return folders[folders.indexOf(current) + 1];
}

function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
}

/** A crash prints the file and a code frame first; the line naming the error says more. */
function errorLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^\w*Error\b/.test(line));
}
