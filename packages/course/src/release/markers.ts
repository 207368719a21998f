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
// The kit's browser-safe entry: stubs also sit in web pages, which the kit's index (Node-only) would break.
const STUB_MODULE = '@serverless-course/test-kit/not-implemented';
const IMPORT = `import { NotImplemented } from '${STUB_MODULE}';`;
const REQUIRE = `const { NotImplemented } = require('${STUB_MODULE}');`;
// Either entry counts as imported: a file that already imports NotImplemented keeps the author's choice.
const IMPORTED = /\bNotImplemented\b[^;]*from\s*['"]@serverless-course\/test-kit(\/not-implemented)?['"]/;
const REQUIRED =
  /\bNotImplemented\b[^;]*require\(\s*['"]@serverless-course\/test-kit(\/not-implemented)?['"]\s*\)/;

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

export const HIDDEN_BEGIN = /^\s*\/\/ BEGIN HIDDEN TESTS\s*$/;
export const HIDDEN_END = /^\s*\/\/ END HIDDEN TESTS\s*$/;
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
  if (regions.length > 0 && syntax === 'code') {
    outsideText[0] = withNotImplementedImport(outsideText[0]!, outsideText.join('\n'));
  }
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

/**
 * Adds the stub's import to a code file that uses NotImplemented without importing it: release adds it to every
 * file it stubs, and reset puts it back when the student removed it once the file needed it no more.
 */
export function ensureNotImplementedImport(text: string): string {
  return /\bnew NotImplemented\(/.test(text) ? withNotImplementedImport(text, text) : text;
}

/**
 * `head` (the text before the first region) with the stub's import, unless `whole` already has it: before the
 * first import, or after the leading comments.
 */
function withNotImplementedImport(head: string, whole: string): string {
  if (IMPORTED.test(whole) || REQUIRED.test(whole)) return head;
  const lines = head.split('\n');
  // A CommonJS file (no import or export statement) gets a require, which every loader understands.
  const usesRequire = !/^\s*(import|export)\s/m.test(whole);
  const statement = usesRequire ? REQUIRE : IMPORT;
  const firstImport = lines.findIndex((line) => (usesRequire ? /\brequire\(/ : /^import\s/).test(line));
  if (firstImport >= 0) {
    lines.splice(firstImport, 0, statement);
    return lines.join('\n');
  }
  const index = afterLeadingComments(lines);
  lines.splice(index, 0, statement, ...(lines[index]?.trim() === '' ? [] : ['']));
  return lines.join('\n');
}

/** The index of the first line after a file's leading comments, shebang and 'use strict'. */
function afterLeadingComments(lines: string[]): number {
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
  return index;
}

/**
 * The released file with a comment that turns off, for this file, the lint rules its stubs break (unused
 * parameters and imports, mostly): above the stub's import, so the student sees why. ESLint reports the
 * comment as unused once the tasks are written, which tells the student to delete it.
 */
export function withLintDirective(released: ReleasedFile, rules: string[]): ReleasedFile {
  if (!released.layout || rules.length === 0) return released;
  const lines = released.layout.outside[0]!.split('\n');
  const stubImport = lines.findIndex((line) => line === IMPORT || line === REQUIRE);
  lines.splice(stubImport >= 0 ? stubImport : afterLeadingComments(lines), 0, ...lintDirective(rules));
  const layout = { ...released.layout, outside: [lines.join('\n'), ...released.layout.outside.slice(1)] };
  return { ...released, layout, text: joinLayout(layout) };
}

function lintDirective(rules: string[]): string[] {
  return [
    `/* eslint-disable ${rules.join(', ')} --`,
    '   The stubs below leave parameters and imports unused until you write their tasks.',
    '   Lint says when this comment is no longer needed: delete it then. */',
  ];
}

/**
 * Removes `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS`, markers included. The blank line that separated a
 * block from the tests above goes too when nothing but a blank line or a closing bracket follows it, so the
 * student's test files stay as Prettier formats them.
 */
export function removeHiddenTests(text: string): { text: string; removed: boolean } {
  const kept: string[] = [];
  let openedAt: number | undefined;
  let justClosed = false;
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
      justClosed = true;
      return;
    }
    if (openedAt !== undefined) return;
    if (justClosed && kept.at(-1)?.trim() === '' && /^\s*([)}\]]|$)/.test(line)) kept.pop();
    justClosed = false;
    kept.push(line);
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
