import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { eventually } from '@serverless-course/test-kit';
import picocolors from 'picocolors';
import { watch, type CheckCall, type FileWatcher, type WatchDeps } from '../src/commands/watch';
import type { Lab } from '../src/lab-manifest';
import type { Io } from '../src/output';
import type { LabResults } from '../src/task-results';
import { fixtureWorkspaces } from './support/cleanup';

const workspace = fixtureWorkspaces();

class FakeWatcher extends EventEmitter implements FileWatcher {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

/** A terminal (raw keys) or a pipe (lines), a watcher the test drives, and test runs that answer at once. */
function harness(options: { tty: boolean; outcomes?: ((lab: Lab) => LabResults)[]; hang?: boolean }) {
  const course = workspace([
    {
      folder: '01-hello',
      title: 'Hello',
      tasks: [
        {
          id: 'greet',
          title: 'Greet the caller',
          points: 10,
          tests: ['greet'],
          hints: ['Return a string.', 'return "Hello";'],
        },
        { id: 'wave', title: 'Wave', points: 5, tests: ['wave'] },
      ],
      files: {
        'src/greet.js': 'exports.greet = () => {\n  // TODO(greet): say hello.\n};\n',
        'src/wave.js': "exports.wave = () => {\n  throw new NotImplemented('wave');\n};\n",
        'src/shared.js': 'exports.shout = (text) => text.toUpperCase();\n',
      },
    },
    { folder: '02-bye', title: 'Bye', tasks: [{ id: 'bye', title: 'Say bye', tests: ['bye'] }] },
  ]);
  const input = Object.assign(new PassThrough(), {
    isTTY: options.tty,
    setRawMode: jest.fn(),
  });
  const lines: string[] = [];
  const io: Io = {
    out: (line = '') => lines.push(line),
    err: (line = '') => lines.push(line),
    colors: picocolors.createColors(false),
  };
  const watchers: { watcher: FakeWatcher; dir: string; usePolling: boolean }[] = [];
  const runs: string[] = [];
  const calls: CheckCall[] = [];
  let outcome = 0;
  const deps: WatchDeps = {
    input,
    debounceMs: 1,
    createWatcher: (dir, { usePolling }) => {
      const watcher = new FakeWatcher();
      watchers.push({ watcher, dir, usePolling });
      return watcher;
    },
    runCheck: async (lab, call) => {
      runs.push(lab.id);
      calls.push(call);
      if (options.hang) {
        // A check stuck in a loop: it ends only when aborted, the way the real one kills its processes.
        await new Promise((resolve) => call.signal.addEventListener('abort', resolve));
        return { cancelled: true };
      }
      const make = options.outcomes?.[Math.min(outcome++, options.outcomes.length - 1)] ?? failing('greet');
      return { results: make(lab) };
    },
  };
  return { course, input, lines, watchers, runs, calls, deps, io };
}

function failing(...failed: string[]): (lab: Lab) => LabResults {
  return (lab) => ({
    tasks: lab.tasks.map((task) =>
      failed.includes(task.id)
        ? { task, status: 'failed', failure: { test: `${task.id} works`, message: 'Expected: "Hello"' } }
        : { task, status: 'passed' },
    ),
    unmatched: [],
    other: { passed: 0, failed: [], waitingFor: new Map(), brokenSuites: [] },
    allPassed: failed.length === 0,
  });
}

/** Resolves once the condition holds, checking every few milliseconds; bounded. */
async function until(condition: () => boolean): Promise<void> {
  await eventually(condition, { timeoutMs: 2000, intervalMs: 5 });
}

describe('course watch', () => {
  it('runs the tests at once and shows the first failing task, its points and the hint key', async () => {
    const { course, lines, runs, deps, io, input } = harness({ tty: true });

    const done = watch(course.root, io, '01', deps);
    await until(() => lines.some((line) => line.startsWith('Fix it')));
    input.write('q');

    expect(await done).toBe(0);
    expect(runs).toEqual(['01']);
    expect(lines).toContain('Lab 01  Hello: 1/2 tasks, 5/15 points');
    expect(lines).toContain('✗ greet (10 pts): Greet the caller');
    expect(lines).toContain('Fix it and save to re-run; stuck? press h (or run: npx course hint 01 greet)');
    expect(lines).toContain('h hint · l list · n next lab · q quit');
    expect(lines[lines.length - 1]).toBe('Stopped watching. Pick up again with: npx course watch 01');
    expect(input.setRawMode).toHaveBeenCalledWith(true);
    expect(input.setRawMode).toHaveBeenLastCalledWith(false);
  });

  it('watches the lab of the folder it runs in when no lab is named, or else the first not yet passed', async () => {
    const { course, lines, runs, deps, io, input, watchers } = harness({ tty: true });
    course.writeProgress({
      version: 1,
      labs: { '01': { tasks: { greet: { status: 'passed' }, wave: { status: 'passed' } } } },
    });

    const fromRoot = watch(course.root, io, undefined, deps, { cwd: course.root });
    await until(() => runs.length === 1);
    input.write('q');
    expect(await fromRoot).toBe(0);
    const fromLab = watch(course.root, io, undefined, deps, { cwd: `${course.root}/labs/01-hello/src` });
    await until(() => runs.length === 2);
    input.write('q');
    expect(await fromLab).toBe(0);

    expect(runs).toEqual(['02', '01']);
    expect(watchers.map(({ dir }) => dir)).toEqual([
      `${course.root}/labs/02-bye`,
      `${course.root}/labs/01-hello`,
    ]);
    expect(lines).toContain(
      'Watching lab 02 (bye), the first lab with tasks not yet passed; for another: npx course watch <lab>',
    );
    expect(lines).toContain(
      'Watching lab 01 (hello), the lab of the folder you are in; for another: npx course watch <lab>',
    );
  });

  it('re-runs once for a burst of saves, and answers h with the next hint and l with the list', async () => {
    const { course, lines, runs, deps, io, input, watchers } = harness({
      tty: true,
      outcomes: [failing('greet'), failing()],
    });
    const done = watch(course.root, io, '1', deps);
    await until(() => runs.length === 1 && lines.some((line) => line.startsWith('Fix it')));

    watchers[0]!.watcher.emit('all', 'change', `${course.root}/labs/01-hello/src/greet.js`);
    watchers[0]!.watcher.emit('all', 'change', `${course.root}/labs/01-hello/src/greet.js`);
    await until(() => lines.some((line) => line.startsWith('Every task of lab 01 passes')));
    input.write('l');
    input.write('q');
    await done;

    expect(runs).toEqual(['01', '01']);
    expect(lines).toContain(
      'Every task of lab 01 passes. Press n for the next lab (or run: npx course check 01)',
    );
    expect(lines.some((line) => line.startsWith('Lab 02  Bye'))).toBe(true);
    expect(watchers[0]!.watcher.closed).toBe(true);
  });

  it('shows a hint on h, and moves to the next lab on n', async () => {
    const { course, lines, runs, deps, io, input, watchers } = harness({ tty: true });
    const done = watch(course.root, io, '01', deps);
    await until(() => lines.some((line) => line.startsWith('Fix it')));

    input.write('h');
    input.write('n');
    await until(() => runs.length === 2);
    input.write('q');
    await done;

    expect(lines).toContain('Hint 1 of 2 for "Greet the caller" (lab 01):');
    expect(lines).toContain('  Return a string.');
    expect(runs).toEqual(['01', '02']);
    expect(watchers.map((entry) => entry.dir)).toEqual([
      `${course.root}/labs/01-hello`,
      `${course.root}/labs/02-bye`,
    ]);
  });

  it('reads the same letters a line at a time without a terminal', async () => {
    const { course, lines, deps, io, input } = harness({ tty: false });
    const done = watch(course.root, io, '01', deps);
    await until(() => lines.some((line) => line.startsWith('Fix it')));

    input.write('x\n');
    input.write('q\n');

    expect(await done).toBe(0);
    expect(lines).toContain('type h, l, n or q and press Enter');
    expect(lines).toContain('Unknown key "x": type h, l, n or q and press Enter');
    expect(input.setRawMode).not.toHaveBeenCalled();
  });

  it('falls back to polling when file events fail', async () => {
    const { course, lines, deps, io, input, watchers } = harness({ tty: true });
    const done = watch(course.root, io, '01', deps);
    await until(() => lines.some((line) => line.startsWith('Fix it')));

    watchers[0]!.watcher.emit('error', new Error('ENOSPC: System limit for number of file watchers reached'));
    await until(() => watchers.length === 2);
    input.write('q');
    await done;

    expect(watchers.map((entry) => entry.usePolling)).toEqual([false, true]);
    expect(watchers[0]!.watcher.closed).toBe(true);
    expect(lines).toContain(
      'File events are unavailable (Error: ENOSPC: System limit for number of file watchers reached); polling for changes instead.',
    );
  });

  it('polls from the start when asked to', async () => {
    const { course, lines, deps, io, input, watchers } = harness({ tty: true });
    const done = watch(course.root, io, '01', deps, { poll: true });
    await until(() => lines.some((line) => line.startsWith('Fix it')));
    input.write('q');
    await done;

    expect(watchers[0]!.usePolling).toBe(true);
    expect(lines).toContain('Watching labs/01-hello for changes (polling).');
  });

  it('checks only the tasks whose files a save changed, and the whole lab for a file no task owns', async () => {
    const { course, lines, calls, deps, io, input, watchers } = harness({ tty: true });
    const done = watch(course.root, io, '01', deps);
    await until(() => calls.length === 1 && lines.some((line) => line.startsWith('Fix it')));
    const save = (file: string): void => {
      watchers[0]!.watcher.emit('all', 'change', `${course.root}/labs/01-hello/${file}`);
    };

    save('src/greet.js');
    await until(() => calls.length === 2 && lines.filter((line) => line.startsWith('Fix it')).length === 2);
    save('src/wave.js');
    save('src/greet.js');
    await until(() => calls.length === 3 && lines.filter((line) => line.startsWith('Fix it')).length === 3);
    save('src/shared.js');
    await until(() => calls.length === 4 && lines.filter((line) => line.startsWith('Fix it')).length === 4);
    input.write('q');
    await done;

    expect(calls.map((call) => call.taskIds)).toEqual([undefined, ['greet'], ['wave', 'greet'], undefined]);
    expect(lines).toContain('Checking task greet...');
    expect(lines).toContain('Checking lab 01...');
  });

  it('cancels a check still running when a file is saved, and checks again with the new code', async () => {
    const { course, lines, calls, deps, io, input, watchers } = harness({ tty: true, hang: true });
    const done = watch(course.root, io, '01', deps);
    await until(() => calls.length === 1);

    watchers[0]!.watcher.emit('all', 'change', `${course.root}/labs/01-hello/src/greet.js`);
    await until(() => calls.length === 2);
    input.write('q');

    expect(await done).toBe(0);
    expect(calls[0]!.signal.aborted).toBe(true);
    // The stopped check's verdict is still owed: the next check covers the whole lab, not just the save.
    expect(calls[1]!.taskIds).toBeUndefined();
    expect(lines[lines.length - 1]).toBe('Stopped watching. Pick up again with: npx course watch 01');
  });

  it('quits at once on q, Ctrl+C or a signal, stopping the check in progress', async () => {
    for (const stop of ['q', '\u0003', 'signal']) {
      const { course, calls, deps, io, input } = harness({ tty: true, hang: true });
      const interrupt = new AbortController();
      const done = watch(course.root, io, '01', deps, { signal: interrupt.signal });
      await until(() => calls.length === 1);

      if (stop === 'signal') interrupt.abort();
      else input.write(stop);

      expect(await done).toBe(0);
      expect(calls[0]!.signal.aborted).toBe(true);
    }
  });
});
