import path from 'node:path';

/** What a failed assertion says, bounded, and where it failed. */
export interface FailureDetails {
  /** The matcher line, then the expected and received values (or their difference). */
  lines: string[];
  /** `file:line:column` relative to the workspace root: the first stack frame in the lab's own code (not its
   *  tests), else the first in its tests. */
  location?: string;
}

export interface DetailLimits {
  /** Lines kept of each value or difference; the rest is counted, never silently dropped. */
  maxLines: number;
  /** Characters kept of one line (a long string value). */
  maxLineLength: number;
}

export const DEFAULT_LIMITS: DetailLimits = { maxLines: 40, maxLineLength: 200 };

const STACK_FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/;
// A new part starts at a blank line, or where Jest names a value: "Expected: 200", "Received value: ...",
// "- Expected  - 1" (a difference's header).
const PART_START = /^(Expected|Received)\b|^- Expected\b/;

/**
 * Splits a Jest failure message (matcher line, values, stack) into the part a student reads. Each value or
 * difference is kept whole up to `maxLines`, then the number of lines left out is said: a summary cut to
 * "- Expected - 1 / + Received + 0" hides the one line that matters.
 */
export function failureDetails(
  message: string,
  where: { root: string; labDir: string },
  limits: DetailLimits = DEFAULT_LIMITS,
): FailureDetails {
  const all = message.split('\n');
  const firstFrame = all.findIndex((line) => STACK_FRAME.test(line));
  const body = (firstFrame < 0 ? all : all.slice(0, firstFrame)).map((line) => line.trimEnd());
  if (body[0] !== undefined) body[0] = body[0].replace(/^(\w*Error): (?=expect)/, '');
  const location = firstFrame < 0 ? undefined : locate(all.slice(firstFrame), where);
  return { lines: bound(trimBlank(body), limits), ...(location && { location }) };
}

function bound(lines: string[], limits: DetailLimits): string[] {
  const kept: string[] = [];
  let partLines = 0;
  let dropped = 0;
  const flush = (): void => {
    if (dropped > 0) kept.push(`… ${dropped} more line${dropped === 1 ? '' : 's'}`);
    dropped = 0;
  };
  for (const line of lines) {
    if (line.trim() === '') {
      flush();
      partLines = 0;
      if (kept.at(-1) !== '') kept.push('');
      continue;
    }
    if (PART_START.test(line)) {
      flush();
      partLines = 0;
    }
    partLines++;
    if (partLines > limits.maxLines) dropped++;
    else kept.push(line.length > limits.maxLineLength ? `${line.slice(0, limits.maxLineLength)}…` : line);
  }
  flush();
  return kept;
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end);
}

/** Frames name files absolutely, or relative to the lab (where Jest runs) once formatted. */
function locate(frames: string[], where: { root: string; labDir: string }): string | undefined {
  const inLab = frames.flatMap((frame) => {
    const match = STACK_FRAME.exec(frame);
    // Node's own frames (node:internal/...) name no file of the lab.
    if (!match || /^[a-z]+:/.test(match[1]!)) return [];
    const file = path.resolve(where.labDir, match[1]!);
    const relative = path.relative(where.labDir, file).split(path.sep).join('/');
    if (relative.startsWith('..') || relative.includes('node_modules/')) return [];
    const shown = `${path.relative(where.root, file).split(path.sep).join('/')}:${match[2]}:${match[3]}`;
    return [{ isTest: /(^|\/)test\//.test(relative), shown }];
  });
  return (inLab.find((frame) => !frame.isTest) ?? inLab[0])?.shown;
}
