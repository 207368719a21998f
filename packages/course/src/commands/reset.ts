import fs from 'node:fs';
import path from 'node:path';
import { backUp } from '../backups';
import { CourseError } from '../errors';
import { loadLab } from '../lab-manifest';
import type { Io } from '../output';
import { MANIFEST_PATH, type ReleaseManifest } from '../release/edition';
import { joinLayout, syntaxOf } from '../release/markers';
import { resetTask } from '../release/regions';
import { listLabFolders, resolveLab } from '../workspace';

/**
 * Puts a lab's starter code (or one task's) back, keeping every other edit. The starters come from the
 * release manifest, and each task's code is found by its TODO line and the starter's text around it, so
 * edits elsewhere in the file do not get in the way. A file where it cannot be found is left as it is unless
 * --force, which replaces the whole file with its starter. Whatever is overwritten is copied to
 * .course/backups first.
 */
export function reset(
  root: string,
  io: Io,
  labRef: string,
  taskId: string | undefined,
  options: { force?: boolean },
): number {
  const folder = resolveLab(listLabFolders(root), labRef);
  const command = `npx course reset ${folder.id}${taskId ? ` ${taskId}` : ''}`;
  const lab = loadLab(root, folder, command);
  if (taskId !== undefined && !lab.tasks.some((task) => task.id === taskId)) {
    const ids = lab.tasks.map((task) => task.id);
    throw new CourseError(
      `Lab ${lab.id} has no task "${taskId}"; its tasks are ${ids.join(', ')}. Run, for example: npx course reset ${lab.id} ${ids[0]}`,
    );
  }
  const manifestFile = path.join(root, MANIFEST_PATH);
  if (!fs.existsSync(manifestFile)) {
    throw new CourseError(
      `${MANIFEST_PATH} is missing, so there is no starter to go back to (reset works in a student edition made by course release); ` +
        `restore it from your course repository (git checkout -- ${MANIFEST_PATH}), then run: ${command}`,
    );
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ReleaseManifest;
  const files = Object.entries(manifest.starters).filter(
    ([file, starter]) =>
      file.startsWith(`labs/${folder.name}/`) && (taskId === undefined || starter.tasks.includes(taskId)),
  );
  if (files.length === 0) {
    throw new CourseError(
      `Lab ${lab.id} has no starter code${taskId ? ` for task ${taskId}` : ''} in ${MANIFEST_PATH}; nothing to reset. See the lab with: npx course list`,
    );
  }

  // Decide for every file before writing any, so a refusal leaves the workspace exactly as it was.
  const plans = files.map(([file, { layout }]) => {
    const full = path.join(root, file);
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    // A deleted file is simply restored.
    if (current === undefined) return { file, full, current, text: joinLayout(layout), clean: true };
    const text = resetTask(current, layout, syntaxOf(file) ?? 'code', taskId);
    return text === undefined
      ? { file, full, current, text: joinLayout(layout), clean: false }
      : { file, full, current, text, clean: true };
  });
  const blocked = plans.filter((plan) => !plan.clean);
  if (blocked.length > 0 && !options.force) {
    const one = blocked.length === 1;
    throw new CourseError(
      `${blocked.map((plan) => plan.file).join(', ')} changed so much that the task's code cannot be found in ${one ? 'it' : 'them'} ` +
        `(its TODO line and the starter's lines around it); to replace ${one ? 'that file' : 'those files'} with the starter ` +
        `anyway (your version is saved in .course/backups first), run: ${command} --force`,
    );
  }
  const changes = plans.filter((plan) => plan.current !== plan.text);
  const overwritten = changes.flatMap((plan) => (plan.current === undefined ? [] : [plan.file]));
  const backup = overwritten.length > 0 ? backUp(root, overwritten) : undefined;
  const { colors } = io;
  for (const plan of changes) {
    fs.mkdirSync(path.dirname(plan.full), { recursive: true });
    fs.writeFileSync(plan.full, plan.text);
    io.out(`  reset ${plan.file}${plan.clean ? '' : colors.yellow(' (whole file, --force)')}`);
  }
  const what = taskId ? `task ${taskId} of lab ${lab.id}` : `lab ${lab.id}`;
  const count = changes.length;
  io.out(
    count === 0
      ? `${what[0]!.toUpperCase()}${what.slice(1)} is already at its starter. Start it with: npx course check ${lab.id}`
      : `Reset ${what} to its starter (${count} file${count === 1 ? '' : 's'}); other edits kept.` +
          `${backup ? ` What it replaced is saved in ${backup}/.` : ''} Next: ${colors.cyan(`npx course check ${lab.id}`)}`,
  );
  return 0;
}
