/**
 * A service configuration local-cloud cannot run: serverless.yml rejected by the framework, a value outside
 * what Lambda accepts, a missing file. Its message is one line naming the file, the problem and the fix, so
 * the CLI can print it as it is and exit 2.
 */
export class ServiceConfigError extends Error {
  override readonly name = 'ServiceConfigError';
  readonly exitCode = 2;

  constructor(
    /** The file at fault (absolute), usually serverless.yml. */
    readonly file: string,
    /** What is wrong, one sentence, no trailing period needed. */
    readonly problem: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(`${file}: ${oneLine(problem)}. Fix: ${oneLine(fix)}`);
  }
}

function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.$/, '');
}
