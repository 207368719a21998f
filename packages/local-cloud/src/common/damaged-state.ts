// State local-cloud keeps on disk (a database, an object, a key) found damaged: a crash mid-write, a full
// disk, a hand edit. Said once, with the file, what is wrong and what to do, instead of an opaque error from
// deeper down or data served short.
export class DamagedStateError extends Error {
  override readonly name = 'DamagedStateError';
  readonly exitCode = 2;

  constructor(
    readonly file: string,
    problem: string,
    fix: string,
  ) {
    super(`${file} ${problem}. Fix: ${fix}`);
  }
}

/** The usual fix: keep the damaged file for a look, out of local-cloud's way. */
export function moveAsideFix(file: string, consequence: string): string {
  return `move it aside (mv "${file}" "${file}.damaged") and start again: ${consequence}`;
}
