import path from 'node:path';
import type { Lab } from '../lab-manifest';
import type { TaskSources } from '../task-sources';
import type { RawDiagnostic } from './typecheck';

/** A syntax or type error in the lab, with the tasks it belongs to. */
export interface CompileError {
  kind: 'syntax' | 'type';
  /** Relative to the workspace root with forward slashes: the path the student opens. */
  file: string;
  line: number;
  column: number;
  message: string;
  code: number;
  /** The tasks this error fails; empty when it belongs to the lab as a whole (a shared file). */
  tasks: string[];
}

/**
 * Gives each compiler error its tasks: a task's own test file makes it that task's (a wrong export name
 * shows up in the test that imports it); a line inside a task's code region makes it that task's; anything
 * else is the lab's.
 */
export function toCompileErrors(
  root: string,
  lab: Lab,
  sources: TaskSources,
  diagnostics: RawDiagnostic[],
): CompileError[] {
  return diagnostics.map((diagnostic) => {
    const file = diagnostic.file ?? path.join(lab.folder.dir, 'tsconfig.json');
    const inLab = path.relative(lab.folder.dir, file).split(path.sep).join('/');
    const claimedBy = lab.tasks
      .filter((task) => task.tests.some((entry) => entry.replace(/^\.\//, '') === inLab))
      .map((task) => task.id);
    const owner = claimedBy.length > 0 ? undefined : sources.taskAt(inLab, diagnostic.line);
    return {
      kind: diagnostic.kind,
      file: path.relative(root, file).split(path.sep).join('/'),
      line: diagnostic.line,
      column: diagnostic.column,
      message: diagnostic.message,
      code: diagnostic.code,
      tasks: claimedBy.length > 0 ? claimedBy : owner ? [owner] : [],
    };
  });
}

/** `file:line:column  message (TS1005)`, the message's first line: what editors and terminals link. */
export function formatCompileError(error: CompileError): string {
  return `${error.file}:${error.line}:${error.column}  ${error.message.split('\n')[0]} (TS${error.code})`;
}
