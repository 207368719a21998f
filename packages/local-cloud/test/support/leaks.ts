// What no answer of local-cloud may show, whatever it was sent: a stack frame, or a path of this machine
// (the repository, the working directory, node_modules, the temp or home directory). And an internal error
// to provoke that leak with: one shaped as Node's fs raises it, whose message names a file on this machine.
import os from 'node:os';
import path from 'node:path';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Paths of this machine an answer could give away; `/` alone (a cwd in a container) would match anything. */
const MACHINE_PATHS = [REPOSITORY_ROOT, process.cwd(), os.tmpdir(), os.homedir()].filter(
  (fragment) => fragment.length > 1,
);

/** Fails the test if the answer's body (or message) shows local-cloud's insides. */
export function expectNothingInternal(body: string | Buffer): void {
  const text = body.toString();
  // A V8 stack frame: "    at handle (/x/y.ts:1:2)" or "    at async Promise.all (index 0)".
  expect(text).not.toMatch(/^\s+at\s/m);
  for (const fragment of [...MACHINE_PATHS, '/node_modules/', 'file://'])
    expect(text).not.toContain(fragment);
  expect(text).not.toMatch(/(?:^|[^\w.])\/(?:home|root|work|Users|tmp|var|opt|usr|private)\//m);
  expect(text).not.toMatch(/\b[A-Za-z]:\\/);
}

/** The message local-cloud answers its own failures with: short, and it says where the reason is. */
export function expectInternalErrorMessage(message: string): void {
  expect(message).toMatch(/^local-cloud's .+ failed on this request\. Its terminal output says why/);
  expect(message.length).toBeLessThan(160);
}

/** Where the diskError() of a test says it failed, to find in the log. */
export const FAILED_FILE = path.join(os.tmpdir(), 'local-cloud-leak-check', 'state.json');

/** A failure inside local-cloud as the disk raises it: the message names a path, the stack names files. */
export function diskError(): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, open '${FAILED_FILE}'`), {
    code: 'EACCES',
    errno: -13,
    syscall: 'open',
    path: FAILED_FILE,
  });
}

/** True when the log holds the failure's detail for whoever diagnoses it: the path it names, and a stack frame. */
export function loggedWithStack(lines: string[], path = FAILED_FILE): boolean {
  return lines.some((line) => line.includes(path) && /^\s+at\s/m.test(line));
}
