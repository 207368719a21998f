/**
 * The lab source format: solution regions, YAML starter lines and hidden tests. Everything here is pure (text
 * in, text out) so release, reset, doctor and grade agree on exactly one reading of a file.
 */

export type Syntax = 'code' | 'yaml';

/** A file as the student edition sees it: fixed text around regions, and each region's starter. */
export interface StarterLayout {
  /** N + 1 pieces of text that surround the N regions, exactly as the student edition has them. */
  outside: string[];
  regions: { task: string; starter: string }[];
}

export interface ReleasedFile {
  /** The student edition's text. */
  text: string;
  /** Set when the file had solution regions. */
  layout?: StarterLayout;
  /** Task ids of the regions, in order (may repeat). */
  tasks: string[];
  hiddenTestsRemoved: boolean;
}

/** A malformed marker, with its 1-based line; release and doctor report it as `file:line: problem`. */
export class MarkerError extends Error {
  override readonly name = 'MarkerError';
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const YAML_EXTENSIONS = ['.yml', '.yaml'];
const IMPORT = "import { NotImplemented } from '@serverless-course/test-kit';";
const REQUIRE = "const { NotImplemented } = require('@serverless-course/test-kit');";

export function syntaxOf(file: string): Syntax | undefined {
  const lower = file.toLowerCase();
  if (CODE_EXTENSIONS.some((extension) => lower.endsWith(extension))) return 'code';
  if (YAML_EXTENSIONS.some((extension) => lower.endsWith(extension))) return 'yaml';
  return undefined;
}

function patterns(syntax: Syntax): { begin: RegExp; end: RegExp; todo: RegExp; continuation: RegExp } {
  const c = syntax === 'code' ? '\\/\\/' : '#';
  return {
    begin: new RegExp(`^(\\s*)${c} BEGIN SOLUTION(?: (\\S+))?\\s*$`),
    end: new RegExp(`^\\s*${c} END SOLUTION\\s*$`),
    todo: new RegExp(`^\\s*${c} TODO\\(([^)]*)\\):`),
    // An instruction may wrap onto comment lines indented past the comment marker.
    continuation: new RegExp(`^\\s*${c} {2,}\\S`),
  };
}

const HIDDEN_BEGIN = /^\s*\/\/ BEGIN HIDDEN TESTS\s*$/;
const HIDDEN_END = /^\s*\/\/ END HIDDEN TESTS\s*$/;
const STARTER_LINE = /^(\s*)#\|(?: (.*))?$/;

/** Does the text contain any marker at all? Cheap pre-check before a full parse. */
export function hasMarkers(text: string): boolean {
  return /(BEGIN|END) (SOLUTION|HIDDEN TESTS)/.test(text);
}

/**
 * Turns a reference file into its student-edition form. `titles` names the lab's tasks: a region for an
 * unknown task is an error, and a region without its own TODO line gets one from the task's title.
 */
export function releaseText(text: string, syntax: Syntax, titles: Map<string, string>): ReleasedFile {
  const withoutHidden = syntax === 'code' ? removeHiddenTests(text) : { text, removed: false };
  const lines = withoutHidden.text.split('\n');
  const { begin, end, todo, continuation } = patterns(syntax);
  const outside: string[][] = [[]];
  const regions: { task: string; starter: string }[] = [];
  let open: { task: string; indent: string; line: number; body: string[] } | undefined;

  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const beginMatch = begin.exec(line);
    if (beginMatch) {
      if (open)
        throw new MarkerError(lineNumber, `BEGIN SOLUTION inside the region opened on line ${open.line}`);
      const task = beginMatch[2];
      if (!task)
        throw new MarkerError(lineNumber, 'BEGIN SOLUTION needs a task id: BEGIN SOLUTION <task-id>');
      if (!titles.has(task)) {
        throw new MarkerError(
          lineNumber,
          `BEGIN SOLUTION ${task} names no task of lab.json (tasks: ${[...titles.keys()].join(', ')})`,
        );
      }
      open = { task, indent: beginMatch[1] ?? '', line: lineNumber, body: [] };
      return;
    }
    if (end.test(line)) {
      if (!open) throw new MarkerError(lineNumber, 'END SOLUTION without a BEGIN SOLUTION above it');
      regions.push({ task: open.task, starter: starterFor(open, syntax, titles, todo, continuation) });
      outside.push([]);
      open = undefined;
      return;
    }
    if (open) open.body.push(line);
    else outside[outside.length - 1]!.push(line);
  });
  if (open) throw new MarkerError(open.line, `BEGIN SOLUTION ${open.task} has no END SOLUTION`);

  const outsideText = outside.map((part) => part.join('\n'));
  if (regions.length > 0 && syntax === 'code') outsideText[0] = withNotImplementedImport(outsideText, syntax);
  const layout = regions.length > 0 ? { outside: outsideText, regions } : undefined;
  return {
    text: layout ? joinLayout(layout) : withoutHidden.text,
    ...(layout && { layout }),
    tasks: regions.map((region) => region.task),
    hiddenTestsRemoved: withoutHidden.removed,
  };
}

/** Each region's text sits on its own lines between the outside pieces. */
export function joinLayout(layout: { outside: string[]; regions: { starter: string }[] }): string {
  return layout.outside.reduce(
    (text, piece, index) =>
      index === 0 ? piece : `${text}\n${layout.regions[index - 1]!.starter}\n${piece}`,
    '',
  );
}

function starterFor(
  region: { task: string; indent: string; body: string[] },
  syntax: Syntax,
  titles: Map<string, string>,
  todo: RegExp,
  continuation: RegExp,
): string {
  const [first, ...rest] = region.body;
  const todoLines: string[] = [];
  const todoMatch = first === undefined ? null : todo.exec(first);
  if (first !== undefined && todoMatch && todoMatch[1] === region.task) {
    todoLines.push(first);
    for (const line of rest) {
      if (!continuation.test(line)) break;
      todoLines.push(line);
    }
  } else {
    const marker = syntax === 'code' ? '//' : '#';
    todoLines.push(`${region.indent}${marker} TODO(${region.task}): ${titles.get(region.task)}.`);
  }
  if (syntax === 'code') {
    return [...todoLines, `${region.indent}throw new NotImplemented('${region.task}');`].join('\n');
  }
  const starter = region.body.flatMap((line) => {
    const match = STARTER_LINE.exec(line);
    return match ? [`${match[1] ?? ''}${match[2] ?? ''}`.replace(/\s+$/, '')] : [];
  });
  return [...todoLines, ...starter].join('\n');
}

/** Adds the stub's import when the file lacks it: before the first import, or after the leading comments. */
function withNotImplementedImport(outside: string[], syntax: Syntax): string {
  const head = outside[0]!;
  const whole = outside.join('\n');
  if (/\bNotImplemented\b[^;]*from\s*['"]@serverless-course\/test-kit['"]/.test(whole)) return head;
  if (/\bNotImplemented\b[^;]*require\(\s*['"]@serverless-course\/test-kit['"]\s*\)/.test(whole)) return head;
  if (syntax !== 'code') return head;
  const lines = head.split('\n');
  // A CommonJS file (no import or export statement) gets a require, which every loader understands.
  const usesRequire = !/^\s*(import|export)\s/m.test(whole);
  const statement = usesRequire ? REQUIRE : IMPORT;
  const firstImport = lines.findIndex((line) => (usesRequire ? /\brequire\(/ : /^import\s/).test(line));
  if (firstImport >= 0) {
    lines.splice(firstImport, 0, statement);
    return lines.join('\n');
  }
  let index = 0;
  let inBlock = false;
  while (index < lines.length) {
    const line = lines[index]!.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
    } else if (line.startsWith('/*')) {
      inBlock = !line.includes('*/');
    } else if (!(line.startsWith('//') || line.startsWith('#!') || /^['"]use strict['"];?$/.test(line))) {
      break;
    }
    index++;
  }
  lines.splice(index, 0, statement, ...(lines[index]?.trim() === '' ? [] : ['']));
  return lines.join('\n');
}

/** Removes `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS`, markers included. */
export function removeHiddenTests(text: string): { text: string; removed: boolean } {
  const kept: string[] = [];
  let openedAt: number | undefined;
  let removed = false;
  text.split('\n').forEach((line, index) => {
    if (HIDDEN_BEGIN.test(line)) {
      if (openedAt !== undefined) {
        throw new MarkerError(index + 1, `BEGIN HIDDEN TESTS inside the block opened on line ${openedAt}`);
      }
      openedAt = index + 1;
      removed = true;
      return;
    }
    if (HIDDEN_END.test(line)) {
      if (openedAt === undefined)
        throw new MarkerError(index + 1, 'END HIDDEN TESTS without a BEGIN above it');
      openedAt = undefined;
      return;
    }
    if (openedAt === undefined) kept.push(line);
  });
  if (openedAt !== undefined) throw new MarkerError(openedAt, 'BEGIN HIDDEN TESTS has no END HIDDEN TESTS');
  return { text: kept.join('\n'), removed };
}

/**
 * Finds the regions of an edited student file by looking for the starter's fixed text, in order. Returns the
 * text of each region as the student has it, or undefined when some fixed text changed (the file was edited
 * outside its regions).
 */
export function locateRegions(text: string, layout: StarterLayout): string[] | undefined {
  const { outside } = layout;
  if (outside.length === 1) return text === outside[0] ? [] : undefined;
  const first = outside[0]!;
  if (!text.startsWith(`${first}\n`)) return undefined;
  let cursor = first.length + 1;
  const found: string[] = [];
  for (let index = 1; index < outside.length; index++) {
    const piece = outside[index]!;
    const isLast = index === outside.length - 1;
    const position = isLast ? lastPieceStart(text, piece, cursor) : text.indexOf(`\n${piece}\n`, cursor - 1);
    if (position < 0 || position < cursor - 1) return undefined;
    found.push(text.slice(cursor, position));
    cursor = position + piece.length + 2;
  }
  return found;
}

function lastPieceStart(text: string, piece: string, cursor: number): number {
  const wanted = `\n${piece}`;
  return text.endsWith(wanted) && text.length - wanted.length >= cursor - 1
    ? text.length - wanted.length
    : -1;
}

/** Rebuilds a student file with the given task's regions back to their starter; other regions untouched. */
export function resetRegions(current: string[], layout: StarterLayout, task: string | undefined): string {
  return joinLayout({
    outside: layout.outside,
    regions: layout.regions.map((region, index) => ({
      starter: task === undefined || region.task === task ? region.starter : current[index]!,
    })),
  });
}
