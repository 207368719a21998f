import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hiddenTestLines, safeMessage, WITHHELD } from '../src/grade/hidden-source';

// What a student gets back from grading never shows a hidden test: a message that quotes one is withheld,
// code frames (test source) are dropped, and long messages are cut.
let labDir: string;
let hidden: string[];

beforeAll(() => {
  labDir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-hidden-source-'));
  fs.mkdirSync(path.join(labDir, 'test', 'unit'), { recursive: true });
  fs.writeFileSync(
    path.join(labDir, 'test', 'unit', 'add.test.ts'),
    [
      "it('adds', () => expect(add(2, 3)).toBe(5));",
      '// BEGIN HIDDEN TESTS',
      "it('adds negative numbers', () => expect(add(-2, -3)).toBe(-5));",
      '});',
      '// END HIDDEN TESTS',
    ].join('\n'),
  );
  hidden = hiddenTestLines(labDir);
});

afterAll(() => fs.rmSync(labDir, { recursive: true, force: true }));

it('collects the long lines of hidden blocks only, not the visible tests or short lines', () => {
  expect(hidden).toEqual(["it('adds negative numbers', () => expect(add(-2, -3)).toBe(-5));"]);
});

it('withholds a message that quotes a hidden test, however its whitespace was changed', () => {
  expect(
    safeMessage("Error: it('adds negative numbers',\n   () => expect(add(-2, -3)).toBe(-5));", hidden),
  ).toBe(WITHHELD);
});

it('keeps an ordinary message, without the code frame Jest adds', () => {
  const message = [
    'expect(received).toBe(expected) // Object.is equality',
    '',
    'Expected: 5',
    'Received: -1',
    '',
    '> 12 |     expect(add(2, 3)).toBe(5);',
    '     |                       ^',
    '  13 | });',
  ].join('\n');

  expect(safeMessage(message, hidden)).toBe(
    'expect(received).toBe(expected) // Object.is equality\n\nExpected: 5\nReceived: -1',
  );
});

it('cuts a long message to 500 characters', () => {
  expect(safeMessage('x'.repeat(2_000), hidden)).toBe(`${'x'.repeat(500)}… [truncated]`);
});
