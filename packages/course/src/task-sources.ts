import fs from 'node:fs';
import path from 'node:path';
import type { Lab } from './lab-manifest';
import { MANIFEST_PATH, SKIPPED_DIRS, type ReleaseManifest } from './release/edition';
import { locateRegions, syntaxOf, type StarterLayout } from './release/markers';

/** Lines 1-based and inclusive; `file` relative to the lab folder with forward slashes. */
export interface TaskRegion {
  file: string;
  task: string;
  startLine: number;
  endLine: number;
}

/** Where each task's code is, in the reference or in a student's edition of it. */
export interface TaskSources {
  /** The files a task's code goes in, code files before configuration. */
  filesOf(taskId: string): string[];
  /** The task whose code holds this line of the file: its region, else the only task of the file. */
  taskAt(file: string, line: number): string | undefined;
}

// A task's code is never in its tests, nor in anything an edition leaves out.
const SKIPPED_FOLDERS = new Set([...SKIPPED_DIRS, 'test']);

/**
 * Finds the task regions of a lab's sources in three ways, for the three states a file can be in: the
 * reference's `BEGIN SOLUTION` markers; the release manifest's starter layout (a student's file whose text
 * outside the regions is unchanged); and the stub's `TODO(<task>)` or `NotImplemented('<task>')` lines, whose
 * block is the task's (a student's file without the manifest, from a clone of their repository).
 */
export function findTaskSources(root: string, lab: Lab): TaskSources {
  const ids = new Set(lab.tasks.map((task) => task.id));
  const starters = readStarters(root, lab);
  const regions: TaskRegion[] = [];
  // Which tasks have code in which file: the manifest knows even when a file's regions can no longer be found.
  const fileTasks = new Map<string, Set<string>>(
    [...starters].map(([file, layout]) => [file, new Set(layout.regions.map((region) => region.task))]),
  );
  for (const file of listSourceFiles(lab.folder.dir)) {
    const text = fs.readFileSync(path.join(lab.folder.dir, file), 'utf8');
    const lines = text.split('\n');
    const found = [
      ...markedRegions(lines),
      ...(starters.has(file) ? layoutRegions(text, starters.get(file)!) : []),
      ...stubRegions(lines),
    ].filter((region) => ids.has(region.task));
    for (const region of found) {
      const known = regions.some(
        (other) => other.file === file && other.task === region.task && other.startLine === region.startLine,
      );
      if (!known) regions.push({ file, ...region });
      fileTasks.set(file, new Set([...(fileTasks.get(file) ?? []), region.task]));
    }
  }
  return {
    filesOf: (taskId) =>
      [...fileTasks]
        .filter(
          ([file, tasks]) =>
            tasks.has(taskId) && ids.has(taskId) && fs.existsSync(path.join(lab.folder.dir, file)),
        )
        .map(([file]) => file)
        .sort(
          (a, b) => Number(syntaxOf(a) === 'yaml') - Number(syntaxOf(b) === 'yaml') || a.localeCompare(b),
        ),
    taskAt: (file, line) => {
      const holding = regions.filter(
        (region) => region.file === file && region.startLine <= line && line <= region.endLine,
      );
      // The innermost region wins: a stub's block can sit inside a larger marked region.
      holding.sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine));
      if (holding[0]) return holding[0].task;
      const tasks = fileTasks.get(file);
      return tasks?.size === 1 ? [...tasks][0] : undefined;
    },
  };
}

type Found = Omit<TaskRegion, 'file'>;

function markedRegions(lines: string[]): Found[] {
  const found: Found[] = [];
  let open: { task: string; line: number } | undefined;
  lines.forEach((line, index) => {
    const begin = /^\s*(?:\/\/|#) BEGIN SOLUTION (\S+)\s*$/.exec(line);
    if (begin) open = { task: begin[1]!, line: index + 1 };
    else if (open && /^\s*(?:\/\/|#) END SOLUTION\s*$/.test(line)) {
      found.push({ task: open.task, startLine: open.line, endLine: index + 1 });
      open = undefined;
    }
  });
  return found;
}

/** The regions of the released starter, where the student's file still has the starter's text around them. */
function layoutRegions(text: string, layout: StarterLayout): Found[] {
  const current = locateRegions(text, layout);
  if (!current) return [];
  const found: Found[] = [];
  // Pieces are joined by newlines: outside[0], region 0, outside[1], region 1, ...
  let line = lineCount(layout.outside[0]!) + 1;
  current.forEach((region, index) => {
    const length = lineCount(region);
    found.push({ task: layout.regions[index]!.task, startLine: line, endLine: line + length - 1 });
    line += length + lineCount(layout.outside[index + 1]!);
  });
  return found;
}

/**
 * A stub line's task owns the block around it: from the nearest line above indented less than the stub (the
 * function's opening line) to the nearest line below indented less (its closing brace). Formatted code is
 * indented by block, so indentation finds the block without parsing a file that may not parse.
 */
function stubRegions(lines: string[]): Found[] {
  const found: Found[] = [];
  lines.forEach((line, index) => {
    const stub = /\bTODO\(([a-z0-9-]+)\)|\bNotImplemented\(\s*['"]([a-z0-9-]+)['"]\s*\)/.exec(line);
    if (!stub) return;
    const indent = indentOf(line);
    let start = index;
    while (start > 0 && !(lines[start - 1]!.trim() !== '' && indentOf(lines[start - 1]!) < indent)) start--;
    let end = index;
    while (end < lines.length - 1 && !(lines[end + 1]!.trim() !== '' && indentOf(lines[end + 1]!) < indent))
      end++;
    found.push({ task: (stub[1] ?? stub[2])!, startLine: Math.max(1, start), endLine: end + 2 });
  });
  return found;
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

/** The release manifest's starter layouts of the lab's files, by path in the lab. */
function readStarters(root: string, lab: Lab): Map<string, StarterLayout> {
  const prefix = `labs/${lab.folder.name}/`;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, MANIFEST_PATH), 'utf8')) as ReleaseManifest;
    return new Map(
      Object.entries(manifest.starters)
        .filter(([file]) => file.startsWith(prefix))
        .map(([file, starter]) => [file.slice(prefix.length), starter.layout]),
    );
  } catch {
    return new Map(); // The reference, or a clone without the manifest: markers and stubs still tell.
  }
}

/** The lab's code and YAML files outside its tests and build output, relative to the lab folder. */
function listSourceFiles(labDir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(labDir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : listSourceFiles(labDir, relative);
    return entry.isFile() && syntaxOf(entry.name) !== undefined ? [relative] : [];
  });
}
