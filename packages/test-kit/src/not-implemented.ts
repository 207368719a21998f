/**
 * What a task's code throws in the student edition until the student writes it. `course release` puts
 * `throw new NotImplemented('<task-id>')` where the solution was, so a test that reaches unfinished work fails
 * with the task's id and the command that helps, not with a confusing `undefined`.
 *
 * The stubs import it as '@serverless-course/test-kit/not-implemented', apart from the rest of the kit: stubs
 * also sit in browser code, and the kit's index pulls in Node-only modules (node:child_process) that would
 * break a web page's bundle. So this module imports nothing.
 */
export class NotImplemented extends Error {
  constructor(readonly taskId: string) {
    super(`Task "${taskId}" is not implemented yet. Write it, then check it with: npx course check`);
    this.name = 'NotImplemented';
    reportToCourse(this.message);
  }
}

/** How a stub that was reached starts its line in a test file's console output (see reportToCourse). */
export const STUB_REACHED = 'course: stub reached: ';

/**
 * Code often catches what a stub throws: a handler answers 500, Express answers its HTML error page. The
 * test then fails on a status code and the stub is nowhere in its failure. Under `course check` and `course
 * grade` (which set COURSE_REPORT_STUBS) the stub says so in the test file's console output, with the test it
 * ran in, which is where the course looks to tell "waits on task X" from a wrong answer. Elsewhere (a plain
 * Jest run, the browser) it stays quiet.
 */
function reportToCourse(message: string): void {
  const env = typeof process === 'undefined' ? undefined : process.env;
  if (env?.COURSE_REPORT_STUBS !== '1') return;
  const jestExpect = (globalThis as { expect?: { getState?: () => { currentTestName?: string } } }).expect;
  const testName = jestExpect?.getState?.().currentTestName;
  console.warn(`${STUB_REACHED}${message}${testName === undefined ? '' : ` (test: ${testName})`}`);
}
