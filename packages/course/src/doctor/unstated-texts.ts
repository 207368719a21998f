import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Lab } from '../lab-manifest';
import { hasMarkers, MarkerError, releaseText, syntaxOf, type Syntax } from '../release/markers';
import { expectedTexts, normaliseWhitespace, type ExpectedText } from './expected-texts';
import { taskSections } from './lesson-sections';

const SKIPPED_DIRS = new Set(['node_modules', '.local-cloud', '.serverless', '.esbuild', 'coverage', 'dist']);
/** Data files a lab may give (a JSON Schema model, say); lab.json is not one: its hints are not the lesson. */
const GIVEN_DATA = /\.json$/;
const NOT_GIVEN_DATA = /(^|\/)(lab|package(-lock)?|tsconfig[^/]*)\.json$/;

/**
 * Tests never demand what the lesson does not say. For every task, the texts its tests expect of the
 * student's code (see expected-texts.ts) must appear in the task's section of the lab's README.md or its
 * title, unless the test supplies the text itself (an input it sends back) or code the student is given
 * produces it. One problem per missing text, as `file:line`.
 */
export function unstatedTexts(root: string, lab: Lab): string[] {
  const lessonFile = path.join(lab.folder.dir, 'README.md');
  const lesson = relativeTo(root, lessonFile);
  if (!fs.existsSync(lessonFile)) {
    return [`${lesson} is missing: each task needs a lesson section that states what its tests expect`];
  }
  const sections = taskSections(fs.readFileSync(lessonFile, 'utf8'));
  const files = labFiles(lab.folder.dir);
  const tests = files
    .filter((file) => /(^|\/)test\//.test(file) && syntaxOf(file) === 'code')
    .map((file) => ({
      file,
      ...expectedTexts(file, fs.readFileSync(path.join(lab.folder.dir, file), 'utf8')),
    }));
  const supplied = new Haystack([
    ...tests.flatMap((test) => test.supplied),
    ...givenTexts(
      lab,
      files.filter((file) => !/(^|\/)test\//.test(file)),
    ),
  ]);

  const problems: string[] = [];
  for (const task of lab.tasks) {
    const section = sections.get(task.id);
    if (!section) {
      problems.push(
        `${lesson} has no section for task ${task.id}: put its acceptance criteria under a heading, with the line Task id: \`${task.id}\``,
      );
      continue;
    }
    const stated = new Haystack([lessonText(`${task.title}\n${section.text}`)]);
    const reported = new Set<string>();
    for (const { file, expected } of tests) {
      for (const expectation of expected.filter((found) => claims(task.tests, file, found))) {
        const missing = missingPieces(expectation, stated, supplied);
        const key = missing.join('\n');
        if (missing.length === 0 || reported.has(key)) continue;
        reported.add(key);
        problems.push(
          `${relativeTo(root, path.join(lab.folder.dir, file))}:${expectation.line}: task ${task.id}'s tests expect ` +
            `${describe(expectation, missing)}, which its lesson section (${lesson}:${section.line}, ` +
            `"${section.heading}") does not state`,
        );
      }
    }
  }
  return problems;
}

/** A task claims a test file, or the tests whose full name is or starts with an entry (see task-results.ts). */
function claims(entries: string[], file: string, expectation: ExpectedText): boolean {
  const fullName = expectation.titles.join(' ');
  return entries.some(
    (entry) => entry.replace(/^\.\//, '') === file || fullName === entry || fullName.startsWith(`${entry} `),
  );
}

/**
 * The pieces of an expectation that neither the lesson states nor the test or the given code supplies. A
 * piece may also be made of supplied texts joined by stated ones: "Hello, Grace!" for the input "Grace" needs
 * only "Hello," stated, and "Group 2" from the test's own `Group ${n}` needs nothing.
 */
function missingPieces(expectation: ExpectedText, stated: Haystack, supplied: Haystack): string[] {
  // A name, id or action (one word) is the same in any case: IAM's dynamodb:getitem is dynamodb:GetItem.
  const caseInsensitive = (text: string): boolean => expectation.caseInsensitive || !/\s/.test(text);
  const known = (text: string): boolean =>
    stated.has(text, caseInsensitive(text)) || supplied.has(text, caseInsensitive(text));
  const found = (piece: string): boolean => known(piece) || supplied.remainders(piece).every(known);
  if (expectation.anyPiece) return expectation.pieces.some(found) ? [] : expectation.pieces;
  return expectation.pieces.filter((piece) => !found(piece));
}

const MEANINGFUL = /[\p{L}\p{N}].*[\p{L}\p{N}]/su;

/** Texts to search, whitespace-normalised, each piece looked up as a substring. */
class Haystack {
  private readonly texts: string[];
  private readonly text: string;
  private lower?: string;

  constructor(texts: string[]) {
    this.texts = [...new Set(texts.map(normaliseWhitespace))];
    this.text = this.texts.join('\u0000');
  }

  has(piece: string, caseInsensitive: boolean): boolean {
    if (!caseInsensitive) return this.text.includes(piece);
    this.lower ??= this.text.toLowerCase();
    return this.lower.includes(piece.toLowerCase());
  }

  /**
   * What is left of a piece once every text of this haystack that it contains as whole words is cut out,
   * longest first: the runs with two letters or digits at least.
   */
  remainders(piece: string): string[] {
    const cuts = this.texts
      .filter((text) => MEANINGFUL.test(text) && piece.includes(text))
      .sort((a, b) => b.length - a.length);
    let rest = [piece];
    for (const cut of cuts) {
      const word = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(cut)}(?![\\p{L}\\p{N}])`, 'u');
      rest = rest.flatMap((part) => part.split(word));
    }
    return rest.map((part) => part.trim()).filter((part) => MEANINGFUL.test(part));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Markdown as a reader sees it: `\_` is `_`. */
function lessonText(markdown: string): string {
  return markdown.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

/**
 * What the student edition gives: the string literals of its code (solutions stubbed; comments are not
 * code, and a TODO line is not the lesson), its YAML without comments, and its data files.
 */
function givenTexts(lab: Lab, files: string[]): string[] {
  const titles = new Map(lab.tasks.map((task) => [task.id, task.title]));
  return files.flatMap((file) => {
    const syntax = syntaxOf(file);
    if (!syntax && !(GIVEN_DATA.test(file) && !NOT_GIVEN_DATA.test(file))) return [];
    const original = fs.readFileSync(path.join(lab.folder.dir, file), 'utf8');
    const text = syntax && hasMarkers(original) ? releasedText(original, syntax, titles) : original;
    if (text === undefined) return [];
    if (syntax === 'code') return stringLiterals(file, text);
    if (syntax === 'yaml') return [text.replace(/^\s*#.*$/gm, '')];
    return [text];
  });
}

/** Undefined for a file whose markers are malformed: doctor reports that already, and gives nothing of it. */
function releasedText(original: string, syntax: Syntax, titles: Map<string, string>): string | undefined {
  try {
    return releaseText(original, syntax, titles).text;
  } catch (error) {
    if (error instanceof MarkerError) return undefined;
    throw error;
  }
}

function stringLiterals(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isJsxText(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      found.push(node.head.text, ...node.templateSpans.map((span) => span.literal.text));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Files of a lab folder, relative with forward slashes, without installs and build output. */
function labFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : labFiles(dir, relative);
    return entry.isFile() ? [relative] : [];
  });
}

function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** The expectation as written; a regex or template also gets the texts of it that are missing. */
function describe(expectation: ExpectedText, missing: string[]): string {
  const shown = abbreviate(expectation.shown);
  const plainString = /^['"]/.test(expectation.shown) && !expectation.anyPiece;
  const texts = missing.map((piece) => JSON.stringify(piece)).join(expectation.anyPiece ? ' or ' : ' and ');
  return plainString ? shown : `${shown} (${texts})`;
}

function abbreviate(text: string): string {
  const flat = normaliseWhitespace(text);
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
