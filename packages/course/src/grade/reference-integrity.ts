// Graded code runs as the grader's user, so it can reach the reference checkout (through the node_modules
// link, say) and write into it: a changed test there would then grade every later submission. The grader
// fingerprints the reference before it starts and checks it after every lab run, and stops at the first
// change rather than grade anything against a reference it can no longer trust.
import fs from 'node:fs';
import path from 'node:path';
import { CourseError } from '../errors';
import { listWorkspaceFiles, sha256 } from '../release/edition';

/** SHA-256 of every file of the reference an edition is built from, by relative path. */
export type Fingerprint = Map<string, string>;

export function fingerprint(reference: string): Fingerprint {
  return new Map(
    listWorkspaceFiles(reference).map((file) => [file, sha256(fs.readFileSync(path.join(reference, file)))]),
  );
}

/** The files added, changed or deleted since the fingerprint was taken, sorted. */
export function changedSince(reference: string, before: Fingerprint): string[] {
  const after = fingerprint(reference);
  const changed = new Set<string>();
  for (const [file, hash] of after) if (before.get(file) !== hash) changed.add(file);
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed].sort();
}

/** Throws, naming the files and what to do, when the reference is no longer what it was. */
export function assertReferenceUnchanged(reference: string, before: Fingerprint, during: string): void {
  const changed = changedSince(reference, before);
  if (changed.length === 0) return;
  const shown =
    changed.slice(0, 5).join(', ') + (changed.length > 5 ? `, and ${changed.length - 5} more` : '');
  throw new CourseError(
    `The reference checkout changed while grading ${during}: ${shown}. Grading stopped, since later ` +
      `submissions would be graded against it. Restore it (git status, then git checkout -- <file>), and grade ` +
      `that submission on its own to see which one wrote outside its copy.`,
  );
}
