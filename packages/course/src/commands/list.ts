import { loadLab } from '../lab-manifest';
import type { Io } from '../output';
import type { Task } from '../lab-manifest';
import { allTasksPassed, readProgress, taskStatus, type TaskStatus } from '../progress';
import { usesLine } from '../task-report';
import { listLabFolders } from '../workspace';

const RERUN = 'npx course list';

/** Every lab with each task's status from the last check, then the one command to run next. */
export function list(root: string, io: Io): number {
  const labs = listLabFolders(root).map((folder) => loadLab(root, folder, RERUN));
  const progress = readProgress(root, RERUN);
  const { colors } = io;
  if (labs.length === 0) {
    io.out(
      `No labs yet: labs/ has no NN-name folders. Add one (see "Contributing a lab" in README.md), then run: ${RERUN}`,
    );
    return 0;
  }

  for (const lab of labs) {
    const earned = lab.tasks
      .filter((task) => taskStatus(progress, lab.id, task.id) === 'passed')
      .reduce((sum, task) => sum + task.points, 0);
    const max = lab.tasks.reduce((sum, task) => sum + task.points, 0);
    io.out(`${colors.bold(`Lab ${lab.id}  ${lab.title}`)}  ${colors.dim(`(${earned}/${max} points)`)}`);
    // The task id is what `course hint` takes, so it leads each line.
    const idWidth = Math.max(...lab.tasks.map((task) => task.id.length));
    const done = (taskId: string): boolean => taskStatus(progress, lab.id, taskId) === 'passed';
    const width = Math.max(...lab.tasks.map((task) => task.title.length));
    for (const task of lab.tasks) {
      const status = taskStatus(progress, lab.id, task.id);
      const mark =
        status === 'passed' ? colors.green('✓') : status === 'failed' ? colors.red('✗') : colors.dim('·');
      const label = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'not checked';
      const points = `${task.points} pts`.padStart(7);
      const order =
        task.dependsOn.length > 0 ? `  ${colors.yellow(`(${dependencyNote(task, status, done)})`)}` : '';
      io.out(
        `  ${mark} ${task.id.padEnd(idWidth)}  ${task.title.padEnd(width)}  ${points}  ${label}${order}`,
      );
    }
    io.out();
  }

  const next = labs.find((lab) => !allTasksPassed(progress, lab));
  io.out(
    next
      ? `Next: ${colors.cyan(`npx course check ${next.id}`)}`
      : colors.green('Every lab passes: the course is complete. Well done!'),
  );
  return 0;
}

/** The order to do tasks in: "uses a and b: do those first" until they pass, then just what it uses. */
function dependencyNote(
  task: Task,
  status: TaskStatus | undefined,
  done: (taskId: string) => boolean,
): string {
  const waiting = task.dependsOn.filter((id) => !done(id));
  return status === 'passed' || waiting.length === 0
    ? `uses ${task.dependsOn.join(', ')}`
    : usesLine(task, waiting);
}
