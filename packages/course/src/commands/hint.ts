import { CourseError } from '../errors';
import { loadLab } from '../lab-manifest';
import type { Io } from '../output';
import { readProgress, recordHints, writeProgress } from '../progress';
import { listLabFolders, resolveLab } from '../workspace';

/**
 * Reveals one more hint per call, gentlest first, so a student takes only as much help as they need; the
 * count lives in progress so it survives between runs. Once all are out, it repeats them rather than
 * pretending there is more.
 */
export function hint(root: string, io: Io, labRef: string, taskId: string): number {
  const folder = resolveLab(listLabFolders(root), labRef);
  const rerun = `npx course hint ${folder.id} ${taskId}`;
  const lab = loadLab(root, folder, rerun);
  const task = lab.tasks.find((candidate) => candidate.id === taskId);
  if (!task) {
    const ids = lab.tasks.map((candidate) => candidate.id);
    throw new CourseError(
      `Lab ${lab.id} has no task "${taskId}"; its tasks are ${ids.join(', ')}. ` +
        `Run, for example: npx course hint ${lab.id} ${ids[0]}`,
    );
  }
  const progress = readProgress(root, rerun);
  const { colors } = io;
  const total = task.hints.length;
  const shown = Math.min(progress.labs[lab.id]?.tasks[task.id]?.hintsShown ?? 0, total);
  const check = `npx course check ${lab.id}`;

  if (shown === total) {
    io.out(colors.bold(`All ${total} hint${total === 1 ? '' : 's'} for "${task.title}" (lab ${lab.id}):`));
    task.hints.forEach((text, index) => io.out(`  ${index + 1}. ${text}`));
    io.out(`There are no more hints. Try it, then run: ${colors.cyan(check)}`);
    return 0;
  }

  const number = shown + 1;
  io.out(colors.bold(`Hint ${number} of ${total} for "${task.title}" (lab ${lab.id}):`));
  io.out(`  ${task.hints[shown]}`);
  writeProgress(root, recordHints(progress, lab.id, task.id, number));
  io.out(
    number < total
      ? `Try it, then run: ${colors.cyan(check)}  (still stuck? Run: ${colors.cyan(rerun)})`
      : `That was the last hint. Try it, then run: ${colors.cyan(check)}`,
  );
  return 0;
}
