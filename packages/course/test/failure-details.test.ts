import { failureDetails } from '../src/failure-details';

const where = { root: '/course', labDir: '/course/labs/01-hello' };

const stack = [
  '    at Object.toEqual (/course/labs/01-hello/test/unit/hello.test.ts:24:30)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:104:5)',
].join('\n');

describe('failureDetails', () => {
  it('keeps the whole difference of a toEqual, not just its header, and drops "Error:" and the stack', () => {
    const message = [
      'Error: expect(received).toEqual(expected) // deep equality',
      '',
      '- Expected  - 1',
      '+ Received  + 1',
      '',
      '  Object {',
      '-   "message": "Hello, Ada!",',
      '+   "message": "Hello Ada",',
      '  }',
      stack,
    ].join('\n');

    const details = failureDetails(message, where);

    expect(details.lines).toEqual([
      'expect(received).toEqual(expected) // deep equality',
      '',
      '- Expected  - 1',
      '+ Received  + 1',
      '',
      '  Object {',
      '-   "message": "Hello, Ada!",',
      '+   "message": "Hello Ada",',
      '  }',
    ]);
  });

  it('bounds each value on its own, says how many lines it left out, and cuts very long lines', () => {
    const expected = Array.from({ length: 50 }, (_, index) => `  "item ${index}",`);
    const message = [
      'Error: expect(received).toBe(expected)',
      '',
      'Expected: Array [',
      ...expected,
      ']',
      `Received: "${'x'.repeat(300)}"`,
      stack,
    ].join('\n');

    const details = failureDetails(message, where, { maxLines: 10, maxLineLength: 40 });

    expect(details.lines).toEqual([
      'expect(received).toBe(expected)',
      '',
      'Expected: Array [',
      ...expected.slice(0, 9),
      '… 42 more lines',
      `Received: "${'x'.repeat(29)}…`,
    ]);
  });

  it("points at the first frame in the lab's own code, relative to the workspace, past node's frames", () => {
    const message = [
      'TypeError: Cannot read properties of undefined',
      '    at internal (node:internal/modules/cjs/loader:1:1)',
      '    at handler (/course/labs/01-hello/src/handlers/hello.ts:12:5)',
      '    at Object.<anonymous> (/course/labs/01-hello/test/unit/hello.test.ts:8:23)',
    ].join('\n');

    expect(failureDetails(message, where).location).toBe('labs/01-hello/src/handlers/hello.ts:12:5');
  });

  it('falls back to the test file when the stack never enters the lab code, and reads relative frames', () => {
    expect(failureDetails(`Error: boom\n${stack}`, where).location).toBe(
      'labs/01-hello/test/unit/hello.test.ts:24:30',
    );
    expect(failureDetails('Error: boom\n    at exit (src/handlers/hello.ts:3:9)', where).location).toBe(
      'labs/01-hello/src/handlers/hello.ts:3:9',
    );
    expect(failureDetails('Error: boom', where).location).toBeUndefined();
  });
});
