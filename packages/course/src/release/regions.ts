import { ensureNotImplementedImport, type StarterLayout, type Syntax } from './markers';

/** Where a region is in a student's file: lines [start, end), blank lines around it left out. */
interface Span {
  start: number;
  end: number;
}

/**
 * How many lines of the starter's text right above a region (its last block of lines, a signature and the
 * comment over it) must match to find the region without its TODO line.
 */
const CONTEXT_LINES = 3;

/**
 * Puts a task's regions (every region when `task` is undefined) of a student's file back to their starter,
 * and keeps everything else as the student has it: other tasks' code, and edits around the regions (imports
 * removed or added, helpers written between functions). A region is found by its `TODO(<task>)` line and the
 * starter's line right above it (the function's signature), else by the lines above it alone, and it ends at
 * the starter's line right below it (the closing brace). Undefined when a region to reset cannot be found.
 * A code file whose stubs need NotImplemented gets its import back.
 */
export function resetTask(
  text: string,
  layout: StarterLayout,
  syntax: Syntax,
  task: string | undefined,
): string | undefined {
  const lines = text.split('\n');
  const spans = locateRegions(lines, layout, syntax);
  const targets = layout.regions.flatMap((region, index) =>
    task === undefined || region.task === task ? [index] : [],
  );
  if (targets.some((index) => spans[index] === undefined)) return undefined;
  // From the last region up, so the line numbers of those above stay true.
  for (const index of [...targets].reverse()) {
    const { start, end } = spans[index]!;
    lines.splice(start, end - start, ...layout.regions[index]!.starter.split('\n'));
  }
  const reset = lines.join('\n');
  return syntax === 'code' ? ensureNotImplementedImport(reset) : reset;
}

/** Each region's span in the student's lines, in order; undefined for a region that cannot be found. */
function locateRegions(lines: string[], layout: StarterLayout, syntax: Syntax): (Span | undefined)[] {
  const marker = syntax === 'code' ? '//' : '#';
  let cursor = 0;
  return layout.regions.map((region, index) => {
    const above = lastParagraph(layout.outside[index]!).slice(-CONTEXT_LINES);
    // Two regions with only blank lines between them: the next one's TODO line ends this one.
    const next = layout.regions[index + 1]?.starter.split('\n')[0];
    const below = nonBlankLines(layout.outside[index + 1]!)[0] ?? next;
    const todo = lines.findIndex(
      (line, at) => at >= cursor && line.trim().startsWith(`${marker} TODO(${region.task}):`),
    );
    let start = regionStart(lines, cursor, todo, above);
    if (start === undefined) return undefined;
    let end = below === undefined ? lines.length : lines.indexOf(below, start);
    if (end < start) return undefined;
    cursor = end;
    // Blank lines at its edges belong to the text around the region: they stay as the student has them.
    while (start < end && lines[start]!.trim() === '') start++;
    while (end > start && lines[end - 1]!.trim() === '') end--;
    return { start, end };
  });
}

/**
 * With its TODO line, a region starts under the nearest copy of the starter's line above it (the student may
 * have written code between the signature and the TODO), or at the TODO line when that line changed.
 * Without it (the student deleted the comment), it starts under the starter's lines above it, all of them.
 */
function regionStart(lines: string[], cursor: number, todo: number, above: string[]): number | undefined {
  const lastAbove = above.at(-1);
  if (todo >= 0) {
    if (lastAbove === undefined) return cursor;
    const anchor = lines.lastIndexOf(lastAbove, todo);
    return anchor >= cursor ? anchor + 1 : todo;
  }
  if (above.length === 0) return undefined;
  for (let at = cursor; at + above.length <= lines.length; at++) {
    if (above.every((line, offset) => lines[at + offset] === line)) return at + above.length;
  }
  return undefined;
}

/** The lines of the last block of non-blank lines: a function's doc comment and signature, say. */
function lastParagraph(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findLastIndex((line) => line.trim() !== '') + 1;
  const start = lines.slice(0, end).findLastIndex((line) => line.trim() === '') + 1;
  return lines.slice(start, end);
}

function nonBlankLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
