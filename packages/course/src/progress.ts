import fs from 'node:fs';
import path from 'node:path';
import { CourseError } from './errors';
import { parseJson } from './json-file';

export type TaskStatus = 'passed' | 'failed';

export interface TaskProgress {
  /** Absent until the lab is checked; hints can be shown before that. */
  status?: TaskStatus;
  checkedAt?: string;
  hintsShown?: number;
}

export interface LabProgress {
  checkedAt?: string;
  tasks: Record<string, TaskProgress>;
}

export interface Progress {
  version: 1;
  labs: Record<string, LabProgress>;
}

export function progressFile(root: string): string {
  return path.join(root, '.course', 'progress.json');
}

export function emptyProgress(): Progress {
  return { version: 1, labs: {} };
}

/**
 * A missing file is a fresh start. A corrupt one stops the command rather than being replaced: it holds the
 * student's record, so deleting it is their decision.
 */
export function readProgress(root: string, rerun: string): Progress {
  const file = progressFile(root);
  if (!fs.existsSync(file)) return emptyProgress();
  const corrupt = (problem: string): never => {
    throw new CourseError(
      `.course/progress.json is corrupt (${problem}); delete it to start a fresh record ` +
        `(check results and hint counts are forgotten), then run: ${rerun}`,
    );
  };
  const parsed = parseJson(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) return corrupt(`not valid JSON: ${parsed.problem}`);
  const problem = progressProblem(parsed.value);
  if (problem) return corrupt(problem);
  return parsed.value as Progress;
}

/** Pure shape check; returns what is wrong, or undefined when the value is usable progress. */
export function progressProblem(value: unknown): string | undefined {
  if (!isRecord(value) || value.version !== 1) return 'expected { "version": 1, "labs": { ... } }';
  if (!isRecord(value.labs)) return 'labs must be an object';
  for (const [labId, lab] of Object.entries(value.labs)) {
    if (!isRecord(lab) || !isRecord(lab.tasks)) return `labs["${labId}"].tasks must be an object`;
    for (const [taskId, task] of Object.entries(lab.tasks)) {
      const where = `labs["${labId}"].tasks["${taskId}"]`;
      if (!isRecord(task)) return `${where} must be an object`;
      if (task.status !== undefined && task.status !== 'passed' && task.status !== 'failed') {
        return `${where}.status must be "passed" or "failed"`;
      }
      if (
        task.hintsShown !== undefined &&
        !(Number.isInteger(task.hintsShown) && Number(task.hintsShown) >= 0)
      ) {
        return `${where}.hintsShown must be a whole number`;
      }
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Write-then-rename, so an interrupted write never leaves half a file that the next run calls corrupt. */
export function writeProgress(root: string, progress: Progress): void {
  const file = progressFile(root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

/** Pure: records one check of a lab, keeping each task's hint count. */
export function recordCheck(
  progress: Progress,
  labId: string,
  statuses: { taskId: string; status: TaskStatus }[],
  now: Date,
): Progress {
  const checkedAt = now.toISOString();
  const previous = progress.labs[labId]?.tasks ?? {};
  const tasks: Record<string, TaskProgress> = { ...previous };
  for (const { taskId, status } of statuses) {
    tasks[taskId] = { ...previous[taskId], status, checkedAt };
  }
  return { ...progress, labs: { ...progress.labs, [labId]: { checkedAt, tasks } } };
}

/** Pure: remembers how many hints of a task have been shown. */
export function recordHints(progress: Progress, labId: string, taskId: string, hintsShown: number): Progress {
  const lab = progress.labs[labId] ?? { tasks: {} };
  const tasks = { ...lab.tasks, [taskId]: { ...lab.tasks[taskId], hintsShown } };
  return { ...progress, labs: { ...progress.labs, [labId]: { ...lab, tasks } } };
}

/** A lab is done when every one of its tasks passed its last check. */
export function allTasksPassed(progress: Progress, lab: { id: string; tasks: { id: string }[] }): boolean {
  return lab.tasks.every((task) => taskStatus(progress, lab.id, task.id) === 'passed');
}

export function taskStatus(progress: Progress, labId: string, taskId: string): TaskStatus | undefined {
  return progress.labs[labId]?.tasks[taskId]?.status;
}
