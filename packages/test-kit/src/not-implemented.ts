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
  }
}
