/**
 * A problem the student (or lab author) can fix. Its message is one line that names the problem and ends with
 * the command to run next; main prints it and exits 2. Throwing it before any write is what guarantees that
 * bad input changes nothing on disk.
 */
export class CourseError extends Error {
  override readonly name = 'CourseError';
  readonly exitCode = 2;
}
