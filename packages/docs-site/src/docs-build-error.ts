/** A problem in the docs' sources: the message names the file and the fix; the CLI prints it and exits 1. */
export class DocsBuildError extends Error {
  override name = 'DocsBuildError';
}
