// Loaded by the grader after Jest's own setup in every graded test file (setupFilesAfterEnv), before the
// file's code and the code under test: it keeps the runner's own `expect` and test functions, and after the
// file's tests checks that they are still in place and that `expect` still fails what it must. A stub that
// swaps `globalThis.expect` for an accept-anything stand-in, or overrides a matcher with expect.extend, is
// reported on the grader's pipe as tampering.
/* global afterAll */
const fs = require('node:fs');

const writeSync = fs.writeSync;
const GLOBALS = ['expect', 'test', 'it', 'describe', 'beforeAll', 'beforeEach', 'afterAll', 'afterEach'];
const originals = new Map(GLOBALS.map((name) => [name, globalThis[name]]));
const runnersExpect = globalThis.expect;

// Each of these must throw: if one does not, a matcher was replaced.
const MUST_FAIL = [
  (expect) => expect(1).toBe(2),
  (expect) => expect({ a: 1 }).toEqual({ a: 2 }),
  (expect) => expect({ a: 1 }).toStrictEqual({ a: 2 }),
  (expect) => expect({ a: 1 }).toMatchObject({ a: 2 }),
  (expect) => expect([1]).toContain(2),
  (expect) => expect(false).toBeTruthy(),
  (expect) => expect(undefined).toBeDefined(),
  (expect) => expect(() => undefined).toThrow(),
  (expect) => expect('a').toMatch(/b/),
  (expect) => expect(1).not.toBe(1),
];

function report(what) {
  const fd = Number(process.env.COURSE_RESULTS_FD);
  const file = runnersExpect.getState().testPath ?? 'a test file';
  if (Number.isInteger(fd) && fd > 2) writeSync(fd, `${JSON.stringify({ tampered: file, what })}\n`);
}

afterAll(() => {
  const replaced = GLOBALS.filter((name) => globalThis[name] !== originals.get(name));
  if (replaced.length > 0) report(`the test globals were replaced: ${replaced.join(', ')}`);
  const state = runnersExpect.getState();
  const counted = state.assertionCalls;
  const passing = MUST_FAIL.filter((check) => {
    try {
      check(runnersExpect);
      return true;
    } catch {
      return false;
    }
  });
  // The checks are the grader's, not the file's assertions.
  runnersExpect.setState({ assertionCalls: counted });
  if (passing.length > 0) report(`expect's matchers were changed: ${passing.length} failing checks passed`);
});
