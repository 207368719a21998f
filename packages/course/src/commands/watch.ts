import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type * as Chokidar from 'chokidar';
import { chooseCurrentLab } from '../current-lab';
import { runJestProcess } from '../jest-process';
import { loadLab, type Lab } from '../lab-manifest';
import type { Io } from '../output';
import { readProgress, recordCheck, writeProgress } from '../progress';
import { mapResultsToTasks, type LabResults } from '../task-results';
import { listLabFolders, resolveLab } from '../workspace';
import { hint } from './hint';
import { list } from './list';

/** The part of a chokidar watcher that watch uses; tests pass a fake. */
export interface FileWatcher {
  on(event: 'all', listener: (event: string, file: string) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close(): Promise<void> | void;
}

export type WatcherFactory = (dir: string, options: { usePolling: boolean }) => FileWatcher;

export interface KeyInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeAllListeners(event: 'data'): unknown;
  pause(): unknown;
  resume(): unknown;
}

export interface WatchDeps {
  input: KeyInput;
  createWatcher: WatcherFactory;
  /** Runs a lab's tests; undefined when Jest could not run them, with the reason. */
  runTests(lab: Lab): Promise<{ results?: LabResults; problem?: string }>;
  /** Milliseconds to wait for more saves before re-running. */
  debounceMs?: number;
}

const IGNORED = /(^|[/\\])(node_modules|\.local-cloud|\.serverless|\.esbuild|coverage|dist|\.git)([/\\]|$)/;

/** chokidar, skipping build output and installs; polling when asked or when file events are unavailable. */
export const chokidarWatcher: WatcherFactory = (dir, options) => {
  // Loaded on first use: every other command starts faster without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const chokidar = require('chokidar') as typeof Chokidar;
  return chokidar.watch(dir, {
    ignoreInitial: true,
    ignored: (file: string) => IGNORED.test(path.relative(dir, file)),
    usePolling: options.usePolling,
    interval: 500,
  });
};

export function jestRunner(root: string): WatchDeps['runTests'] {
  return async (lab) => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-watch-'));
    try {
      const run = await runJestProcess({
        labDir: lab.folder.dir,
        config: path.join(lab.folder.dir, 'jest.config.js'),
        scratch,
        timeoutMs: 10 * 60 * 1000,
        env: { ...process.env, NO_COLOR: '1' },
      });
      if (!run.suites || run.suites.length === 0) {
        return {
          problem: `Jest could not run the tests of labs/${lab.folder.name}; see why with: npx course check ${lab.id} --verbose`,
        };
      }
      const results = mapResultsToTasks(lab.tasks, run.suites);
      const progress = readProgress(root, `npx course watch ${lab.id}`);
      writeProgress(
        root,
        recordCheck(
          progress,
          lab.id,
          results.tasks.map((r) => ({ taskId: r.task.id, status: r.status })),
          new Date(),
        ),
      );
      return { results };
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  };
}

/**
 * Re-runs the current lab's tests on every save and shows the first failing task, its points and how to get
 * a hint. On a terminal, single keys act at once (h hint, l list, n next lab, q quit); without one (piped
 * input, CI, an editor's task runner), the same letters are read a line at a time. Resolves on quit.
 */
export function watch(
  root: string,
  io: Io,
  labRef: string | undefined,
  deps: WatchDeps,
  options: { poll?: boolean; cwd?: string } = {},
): Promise<number> {
  const folders = listLabFolders(root).filter((folder) => fs.existsSync(path.join(folder.dir, 'lab.json')));
  const { colors } = io;
  let lab = loadLab(
    root,
    labRef ? resolveLab(folders, labRef) : chooseCurrentLab(root, io, options.cwd ?? root, folders, 'watch'),
    'npx course watch',
  );
  let watcher: FileWatcher | undefined;
  let results: LabResults | undefined;
  let running: Promise<void> | undefined;
  let rerun = false;
  let timer: NodeJS.Timeout | undefined;
  let usePolling = options.poll === true;
  const tty = deps.input.isTTY === true && typeof deps.input.setRawMode === 'function';
  const keys = tty ? 'h hint · l list · n next lab · q quit' : 'type h, l, n or q and press Enter';

  const show = (outcome: { results?: LabResults; problem?: string }): void => {
    results = outcome.results;
    if (!outcome.results) {
      io.out(colors.red(outcome.problem ?? 'The tests could not run.'));
      return;
    }
    const done = outcome.results.tasks.filter((r) => r.status === 'passed');
    const earned = done.reduce((sum, r) => sum + r.task.points, 0);
    const max = lab.tasks.reduce((sum, task) => sum + task.points, 0);
    const failed = outcome.results.tasks.find((r) => r.status === 'failed');
    io.out(
      colors.bold(
        `Lab ${lab.id}  ${lab.title}: ${done.length}/${lab.tasks.length} tasks, ${earned}/${max} points`,
      ),
    );
    if (failed) {
      io.out(`${colors.red('✗')} ${failed.task.id} (${failed.task.points} pts): ${failed.task.title}`);
      if (failed.failure) {
        io.out(`    ${failed.failure.test}`);
        failed.failure.message.split('\n').forEach((line) => io.out(`      ${colors.dim(line)}`));
      }
      io.out(
        `Fix it and save to re-run; stuck? press h (or run: npx course hint ${lab.id} ${failed.task.id})`,
      );
    } else if (outcome.results.allPassed) {
      io.out(
        colors.green(
          `Every task of lab ${lab.id} passes. Press n for the next lab (or run: npx course check ${lab.id})`,
        ),
      );
    } else {
      io.out(`All tasks pass, but other tests fail; see them with: npx course check ${lab.id}`);
    }
    io.out(colors.dim(keys));
  };

  const runNow = (): void => {
    if (running) {
      rerun = true;
      return;
    }
    io.out(colors.dim(`Running the tests of lab ${lab.id}...`));
    running = deps
      .runTests(lab)
      .then(show, (error: unknown) => show({ problem: `The test run failed: ${String(error)}` }))
      .finally(() => {
        running = undefined;
        if (rerun) {
          rerun = false;
          runNow();
        }
      });
  };

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(runNow, deps.debounceMs ?? 150);
  };

  const startWatching = (): void => {
    watcher = deps.createWatcher(lab.folder.dir, { usePolling });
    watcher.on('all', (_event, file) => {
      if (!IGNORED.test(file)) schedule();
    });
    watcher.on('error', (error) => {
      if (usePolling) {
        io.err(
          colors.red(
            `Watching files failed: ${String(error)}. Re-run by hand with: npx course check ${lab.id}`,
          ),
        );
        return;
      }
      // inotify limits (ENOSPC) and network drives break native events; polling always works.
      io.err(colors.yellow(`File events are unavailable (${String(error)}); polling for changes instead.`));
      usePolling = true;
      void Promise.resolve(watcher?.close()).then(startWatching);
    });
  };

  return new Promise<number>((resolve) => {
    const quit = async (): Promise<void> => {
      if (timer) clearTimeout(timer);
      deps.input.removeAllListeners('data');
      if (tty) deps.input.setRawMode!(false);
      deps.input.pause();
      lineReader?.close();
      await watcher?.close();
      await running;
      io.out(`Stopped watching. Pick up again with: npx course watch ${lab.id}`);
      resolve(0);
    };

    const onKey = (key: string): void => {
      const failed = results?.tasks.find((r) => r.status === 'failed');
      switch (key) {
        case 'h':
          if (failed) hint(root, io, lab.id, failed.task.id);
          else io.out(`No failing task to hint at. Press n for the next lab.`);
          break;
        case 'l':
          list(root, io);
          break;
        case 'n': {
          const index = folders.findIndex((folder) => folder.name === lab.folder.name);
          const next = folders[index + 1];
          if (!next) {
            io.out(`Lab ${lab.id} is the last lab. Press q to quit.`);
            break;
          }
          lab = loadLab(root, next, 'npx course watch');
          void Promise.resolve(watcher?.close()).then(() => {
            startWatching();
            runNow();
          });
          break;
        }
        case 'q':
        case '\u0003':
          void quit();
          break;
        default:
          if (key.trim() !== '') io.out(`Unknown key "${key.trim()}": ${keys}`);
      }
    };

    let lineReader: readline.Interface | undefined;
    if (tty) {
      deps.input.setRawMode!(true);
      deps.input.on('data', (chunk) => String(chunk).split('').forEach(onKey));
    } else {
      lineReader = readline.createInterface({ input: deps.input as NodeJS.ReadableStream, terminal: false });
      lineReader.on('line', (line) => onKey(line.trim().charAt(0)));
      // End of input (a closed pipe) leaves the watcher running until Ctrl-C, as a CI log tail expects.
    }
    deps.input.resume();
    startWatching();
    io.out(`Watching labs/${lab.folder.name} for changes (${usePolling ? 'polling' : 'file events'}).`);
    runNow();
  });
}
