/**
 * What a task's code throws in the student edition until the student writes it. `course release` puts
 * `throw new NotImplemented('<task-id>')` where the solution was, so a test that reaches unfinished work fails
 * with the task's id and the command that helps, not with a confusing `undefined`.
 */
export class NotImplemented extends Error {
  constructor(readonly taskId: string) {
    super(`Task "${taskId}" is not implemented yet. Write it, then check it with: npx course check`);
    this.name = 'NotImplemented';
  }
}
