import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  emptyProgress,
  progressFile,
  progressProblem,
  readProgress,
  recordCheck,
  recordHints,
  writeProgress,
} from '../src/progress';

const roots: string[] = [];
function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-progress-'));
  roots.push(root);
  return root;
}
afterEach(() => roots.splice(0).forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

describe('progress', () => {
  it('starts empty when there is no progress file', () => {
    const root = tempRoot();

    const progress = readProgress(root, 'npx course list');

    expect(progress).toEqual({ version: 1, labs: {} });
  });

  it('writes atomically and reads back what it wrote, leaving no temporary file', () => {
    const root = tempRoot();
    const progress = recordHints(emptyProgress(), '01', 'greet', 2);

    writeProgress(root, progress);

    expect(readProgress(root, 'npx course list')).toEqual(progress);
    expect(fs.readdirSync(path.join(root, '.course'))).toEqual(['progress.json']);
  });

  it('records a check with its time, keeping hint counts and other labs', () => {
    const before = recordHints(recordHints(emptyProgress(), '01', 'greet', 2), '02', 'route', 1);
    const now = new Date('2025-03-01T12:00:00.000Z');

    const after = recordCheck(before, '01', [{ taskId: 'greet', status: 'failed' }], now);

    expect(after).toEqual({
      version: 1,
      labs: {
        '01': {
          checkedAt: '2025-03-01T12:00:00.000Z',
          tasks: { greet: { status: 'failed', checkedAt: '2025-03-01T12:00:00.000Z', hintsShown: 2 } },
        },
        '02': { tasks: { route: { hintsShown: 1 } } },
      },
    });
  });

  it('refuses a corrupt file with one line naming it and the fix, and leaves it in place', () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, '.course'));
    fs.writeFileSync(progressFile(root), '{"version": 1, "labs": []}');

    const read = () => readProgress(root, 'npx course list');

    expect(read).toThrow(
      '.course/progress.json is corrupt (labs must be an object); delete it to start a fresh record (check ' +
        'results and hint counts are forgotten), then run: npx course list',
    );
    expect(fs.readFileSync(progressFile(root), 'utf8')).toBe('{"version": 1, "labs": []}');
  });

  it('names what is wrong with a badly shaped task entry', () => {
    const problem = progressProblem({ version: 1, labs: { '01': { tasks: { greet: { status: 'done' } } } } });

    expect(problem).toBe('labs["01"].tasks["greet"].status must be "passed" or "failed"');
  });
});
