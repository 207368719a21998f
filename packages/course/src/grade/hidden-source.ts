// Hidden tests stay hidden in what a student gets back. Graded code can put anything in an error message,
// including the hidden tests' source it read from disk, and Jest adds code frames (the failing test's own
// lines) to its messages. So before any report is written, every message of a lab's grade loses its code
// frames, is withheld whole when it quotes a line of a hidden test, and is cut to a readable length.
import fs from 'node:fs';
import path from 'node:path';
import { listWorkspaceFiles } from '../release/edition';
import { HIDDEN_BEGIN, HIDDEN_END } from '../release/markers';
import type { LabGrade } from './grade-submission';

/** Shorter lines (`});`, `expect(x)`) are everywhere; these are long enough to be the test's own. */
const MIN_QUOTED_LENGTH = 16;
const MAX_LENGTH = 500;
// `> 12 |     expect(...)`, and the caret lines under it (`     |     ^`).
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const CODE_FRAME_LINE = /^\s*>?\s*\d*\s*\|/;
export const WITHHELD =
  'the message is withheld: it quotes a hidden test. Run the task locally with npx course check to see yours';

/** The lines of every hidden-test block in a lab's test files (the reference's), whitespace collapsed. */
export function hiddenTestLines(labDir: string): string[] {
  const lines = new Set<string>();
  for (const file of listWorkspaceFiles(labDir).filter((name) => TEST_FILE.test(name))) {
    let inside = false;
    for (const line of fs.readFileSync(path.join(labDir, file), 'utf8').split('\n')) {
      if (HIDDEN_BEGIN.test(line)) inside = true;
      else if (HIDDEN_END.test(line)) inside = false;
      else if (inside) {
        const normalized = collapse(line);
        if (normalized.length >= MIN_QUOTED_LENGTH) lines.add(normalized);
      }
    }
  }
  return [...lines];
}

/** A message safe to hand back: no code frames, no quoted hidden test, at most MAX_LENGTH characters. */
export function safeMessage(message: string, hidden: string[]): string {
  const flat = collapse(message);
  if (hidden.some((line) => flat.includes(line))) return WITHHELD;
  const kept = message
    .split('\n')
    .filter((line) => !CODE_FRAME_LINE.test(line))
    .join('\n')
    .trim();
  return kept.length > MAX_LENGTH ? `${kept.slice(0, MAX_LENGTH)}… [truncated]` : kept;
}

/** The grade with every task and test message made safe (see safeMessage). */
export function withSafeMessages(grade: LabGrade, hidden: string[]): LabGrade {
  const safe = <T extends { message?: string }>(item: T): T =>
    item.message === undefined ? item : { ...item, message: safeMessage(item.message, hidden) };
  return {
    ...grade,
    ...(grade.message !== undefined && { message: safeMessage(grade.message, hidden) }),
    tasks: grade.tasks.map(safe),
    tests: grade.tests.map(safe),
  };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
