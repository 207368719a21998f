import path from 'node:path';
import { formatCompileError, type CompileError } from './compile/compile-errors';
import { failureDetails } from './failure-details';
import type { Lab, Task } from './lab-manifest';
import type { Io } from './output';
import type { TaskFailure, TaskResult } from './task-results';
import type { TaskSources } from './task-sources';

/** Compile errors shown before the tasks; more than this and the rest are counted. */
const MAX_COMPILE_ERRORS = 10;
/** Lines of a compiler message's explanation shown under its first line. */
const MAX_MESSAGE_LINES = 3;

/** The compile errors, first thing: each with file:line:column, the compiler's message and its task. */
export function renderCompileErrors(io: Io, lab: Lab, errors: CompileError[]): void {
  if (errors.length === 0) return;
  const { colors } = io;
  io.out(colors.red(colors.bold(`Does not compile; fix ${errors.length === 1 ? 'this' : 'these'} first:`)));
  for (const error of errors.slice(0, MAX_COMPILE_ERRORS)) {
    const owner = error.tasks.length > 0 ? `task ${error.tasks.join(', ')}` : `lab ${lab.id}`;
    io.out(`  ${formatCompileError(error)}  ${colors.dim(`(${owner})`)}`);
    // TypeScript's first line says what clashed, the next ones why ("Property 'x' is missing...").
    const why = error.message.split('\n').slice(1, 1 + MAX_MESSAGE_LINES);
    why.forEach((line) => io.out(`      ${line.trim()}`));
  }
  if (errors.length > MAX_COMPILE_ERRORS) {
    io.out(
      `  … and ${errors.length - MAX_COMPILE_ERRORS} more; all of them: npx tsc --noEmit -p labs/${lab.folder.name}`,
    );
  }
}

export interface TaskContext {
  root: string;
  lab: Lab;
  sources: TaskSources;
  /** Whether a task of the lab passes (from this check, else from the last one). */
  passed(taskId: string): boolean;
}

/** One task: its mark, id, title and points, then why it failed (see renderFailure). */
export function renderTask(io: Io, context: TaskContext, result: TaskResult, idWidth: number): void {
  const { colors } = io;
  const { task } = result;
  const mark = result.status === 'passed' ? colors.green('✓') : colors.red('✗');
  io.out(`  ${mark} ${task.id.padEnd(idWidth)}  ${task.title} ${colors.dim(`(${task.points} pts)`)}`);
  renderFailure(io, context, result, '      ');
}

/**
 * Why a task failed: the tasks it waits on; or the failing test with its expected and received values and
 * where it failed; then the files to edit. Nothing for a passed task.
 */
export function renderFailure(io: Io, context: TaskContext, result: TaskResult, indent: string): void {
  const { colors } = io;
  const { task, failure } = result;
  if (!failure) return;
  if (failure.waitingFor) {
    const names = listed(failure.waitingFor);
    const one = failure.waitingFor.length === 1;
    io.out(
      `${indent}${colors.yellow(`fails only because ${names} ${one ? 'is' : 'are'} not done yet: do ${one ? 'it' : 'those'} first`)}`,
    );
    return;
  }
  const waiting = task.dependsOn.filter((id) => !context.passed(id));
  if (waiting.length > 0) io.out(`${indent}${colors.yellow(usesLine(task, waiting))}`);
  if (failure.notStarted) {
    io.out(`${indent}not started yet: its code still throws NotImplemented('${task.id}')`);
  } else {
    renderTestFailure(io, context, failure, indent);
  }
  const files = context.sources.filesOf(task.id);
  if (files.length > 0) {
    const shown = files.map((file) => path.posix.join('labs', context.lab.folder.name, file));
    io.out(`${indent}Edit: ${shown.join(', ')}`);
  }
}

/** The failing test, its expected and received values, and where it failed. */
function renderTestFailure(io: Io, context: TaskContext, failure: TaskFailure, indent: string): void {
  const { colors } = io;
  io.out(`${indent}${colors.red(failure.test)}`);
  if (failure.details !== undefined) {
    const details = failureDetails(failure.details, { root: context.root, labDir: context.lab.folder.dir });
    details.lines.forEach((line) => io.out(line === '' ? '' : `${indent}  ${line}`));
    if (details.location) io.out(`${indent}  ${colors.dim(`at ${details.location}`)}`);
  } else if (failure.message !== '') {
    failure.message.split('\n').forEach((line) => io.out(`${indent}  ${colors.dim(line)}`));
  }
}

/** "uses tasks a and b: do those first" */
export function usesLine(task: Task, dependencies: string[] = task.dependsOn): string {
  const one = dependencies.length === 1;
  return `uses task${one ? '' : 's'} ${listed(dependencies)}: do ${one ? 'it' : 'those'} first`;
}

function listed(ids: string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}
