// What every local-cloud server does when it fails itself (a fault of the emulator or of the machine, not of
// the caller's request and not of a function): the client gets a short answer in the service's own wire
// format that says where to look, and the reason, stack included, goes to local-cloud's log. An internal
// error must not reach the client as it is: its stack names local-cloud's files, and its message often names
// the machine's (an ENOENT carries the path it could not open).

/** Where a server writes its lines: the terminal, through the CLI. */
export type Log = (line: string) => void;

/** The method and target of the request that failed, for the log line. */
export interface FailedRequest {
  method?: string;
  url?: string;
}

/** The message of an internal-error answer: `server` is how the client knows it, "S3", "Lambda Invoke API". */
export function internalErrorMessage(server: string): string {
  return `local-cloud's ${server} failed on this request. Its terminal output says why; fix that and retry.`;
}

/** The error as the log shows it: the stack, which starts with the name and message, else its text. */
export function errorDetail(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Writes what a failed request needs for its diagnosis to the log, and nothing to the client. */
export function logInternalError(log: Log, request: FailedRequest, error: unknown): void {
  log(`${request.method ?? 'GET'} ${request.url ?? '/'} failed inside local-cloud: ${errorDetail(error)}`);
}
