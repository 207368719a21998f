import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type * as Chokidar from 'chokidar';
import { runCheck, type CheckOutcome } from '../check-run';
import type { CompileError } from '../compile/compile-errors';
import { Compiler } from '../compile/compiler';
import { chooseCurrentLab } from '../current-lab';
import { loadLab, type Lab } from '../lab-manifest';
import type { Io } from '../output';
import { readProgress, recordCheck, taskStatus, writeProgress } from '../progress';
import { renderCompileErrors, renderFailure } from '../task-report';
import { findTaskSources } from '../task-sources';
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

/** What watch needs of a check; `sources` may be left out (no "Edit:" lines then). */
export type WatchCheck = Pick<CheckOutcome, 'results' | 'problem'> &
  Partial<Pick<CheckOutcome, 'sources' | 'cancelled'>>;

export interface CheckCall {
  /** Only these tasks; the whole lab when absent. */
  taskIds?: string[];
  /** Aborted by the next save, `n` or quitting: the check must stop at once. */
  signal: AbortSignal;
  onCompileErrors: (errors: CompileError[]) => void;
}

export interface WatchDeps {
  input: KeyInput;
  createWatcher: WatcherFactory;
  /** Checks a lab, or some of its tasks, and records the progress. */
  runCheck(lab: Lab, call: CheckCall): Promise<WatchCheck>;
  /** Milliseconds to wait for more saves before checking. */
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

/**
 * The real checks of a watch session: one type checker for the whole session, so each save re-checks only
 * what changed (a fraction of a second once warm). Progress is recorded after every finished check.
 */
export function labChecker(
  root: string,
  env: NodeJS.ProcessEnv,
): { run: WatchDeps['runCheck']; close(): Promise<void> } {
  const compiler = new Compiler(path.join(root, '.course', 'cache', 'typescript'));
  return {
    async run(lab, call) {
      const rerun = `npx course watch ${lab.id}`;
      const outcome = await runCheck({
        root,
        lab,
        compiler,
        env,
        rerun,
        signal: call.signal,
        onCompileErrors: call.onCompileErrors,
        ...(call.taskIds && { taskIds: call.taskIds }),
      });
      if (outcome.results) {
        const statuses = outcome.results.tasks.map((r) => ({ taskId: r.task.id, status: r.status }));
        writeProgress(root, recordCheck(readProgress(root, rerun), lab.id, statuses, new Date()));
      }
      return outcome.problem
        ? {
            ...outcome,
            problem: `Jest could not run the tests of labs/${lab.folder.name}: ${outcome.problem}; see more with: npx course check ${lab.id} --verbose`,
          }
        : outcome;
    },
    close: () => compiler.close(),
  };
}

/**
 * Checks the current lab on every save and shows the first failing task, its points and how to get a hint. A
 * save checks only the tasks whose files changed (the whole lab for a shared file), and cancels a check still
 * running, which kills every process it started. On a terminal, single keys act at once (h hint, l list, n
 * next lab, q or Ctrl+C quit); without one (piped input, CI, an editor's task runner), the same letters are
 * read a line at a time. Resolves on quit, or when `signal` aborts (SIGINT, SIGTERM).
 */
export function watch(
  root: string,
  io: Io,
  labRef: string | undefined,
  deps: WatchDeps,
  options: { poll?: boolean; cwd?: string; signal?: AbortSignal } = {},
): Promise<number> {
  const folders = listLabFolders(root).filter((folder) => fs.existsSync(path.join(folder.dir, 'lab.json')));
  const { colors } = io;
  let lab = loadLab(
    root,
    labRef ? resolveLab(folders, labRef) : chooseCurrentLab(root, io, options.cwd ?? root, folders, 'watch'),
    'npx course watch',
  );
  let watcher: FileWatcher | undefined;
  let lastCheck: WatchCheck | undefined;
  let timer: NodeJS.Timeout | undefined;
  let usePolling = options.poll === true;
  const tty = deps.input.isTTY === true && typeof deps.input.setRawMode === 'function';
  const keys = tty ? 'h hint · l list · n next lab · q quit' : 'type h, l, n or q and press Enter';

  // What the next check covers: some tasks, or the whole lab ('lab').
  let wanted: Set<string> | 'lab' | undefined;
  let running: { controller: AbortController; scope: Set<string> | 'lab' } | undefined;
  let loop: Promise<void> | undefined;
  let quitting = false;
  const want = (scope: Set<string> | 'lab'): void => {
    wanted = wanted === 'lab' || scope === 'lab' ? 'lab' : new Set([...(wanted ?? []), ...scope]);
  };

  const passedNow = (taskId: string): boolean => {
    const result = lastCheck?.results?.tasks.find((r) => r.task.id === taskId);
    return result
      ? result.status === 'passed'
      : taskStatus(readProgress(root, 'npx course watch'), lab.id, taskId) === 'passed';
  };

  const show = (outcome: WatchCheck): void => {
    lastCheck = outcome;
    const { results } = outcome;
    if (!results) {
      io.out(colors.red(outcome.problem ?? 'The tests could not run.'));
      return;
    }
    const done = lab.tasks.filter((task) => passedNow(task.id));
    const earned = done.reduce((sum, task) => sum + task.points, 0);
    const max = lab.tasks.reduce((sum, task) => sum + task.points, 0);
    io.out(
      colors.bold(
        `Lab ${lab.id}  ${lab.title}: ${done.length}/${lab.tasks.length} tasks, ${earned}/${max} points`,
      ),
    );
    const failed = results.tasks.find((r) => r.status === 'failed');
    if (failed) {
      io.out(`${colors.red('✗')} ${failed.task.id} (${failed.task.points} pts): ${failed.task.title}`);
      const sources = outcome.sources ?? { filesOf: () => [], taskAt: () => undefined };
      renderFailure(io, { root, lab, sources, passed: passedNow }, failed, '    ');
      io.out(
        `Fix it and save to re-run; stuck? press h (or run: npx course hint ${lab.id} ${failed.task.id})`,
      );
    } else if (!results.allPassed) {
      io.out(`All tasks pass, but other tests fail; see them with: npx course check ${lab.id}`);
    } else if (done.length === lab.tasks.length) {
      io.out(
        colors.green(
          `Every task of lab ${lab.id} passes. Press n for the next lab (or run: npx course check ${lab.id})`,
        ),
      );
    } else {
      const passed = results.tasks.map((r) => r.task.id).join(', ');
      const next = lab.tasks.find((task) => !passedNow(task.id))!;
      io.out(
        colors.green(`✓ ${passed} passes. Next: task ${next.id} (${next.title}); save its file to check it`),
      );
    }
    io.out(colors.dim(keys));
  };

  /** Checks until nothing more is wanted; a new save aborts the check in progress and widens the next. */
  const drain = async (): Promise<void> => {
    while (wanted !== undefined && !quitting) {
      const scope = wanted;
      wanted = undefined;
      const controller = new AbortController();
      running = { controller, scope };
      const what = scope === 'lab' ? `lab ${lab.id}` : `task ${[...scope].join(', ')}`;
      io.out(colors.dim(`Checking ${what}...`));
      try {
        const outcome = await deps.runCheck(lab, {
          ...(scope !== 'lab' && { taskIds: [...scope] }),
          signal: controller.signal,
          onCompileErrors: (errors) => renderCompileErrors(io, lab, errors),
        });
        if (!controller.signal.aborted && !outcome.cancelled) show(outcome);
        else if (!quitting) want(scope); // Its verdict is still owed, with whatever the save added.
      } catch (error) {
        show({ problem: `The check failed: ${String(error)}` });
      } finally {
        running = undefined;
      }
    }
  };

  const checkNow = (scope: Set<string> | 'lab'): void => {
    want(scope);
    running?.controller.abort();
    loop ??= drain().finally(() => (loop = undefined));
  };

  /** The tasks a saved file belongs to; the whole lab for a file no task owns. */
  const scopeOf = (file: string): Set<string> | 'lab' => {
    const relative = path.relative(lab.folder.dir, file).split(path.sep).join('/');
    const sources = findTaskSources(root, lab);
    const owners = lab.tasks.filter(
      (task) =>
        sources.filesOf(task.id).includes(relative) ||
        task.tests.some((entry) => entry.replace(/^\.\//, '') === relative),
    );
    return owners.length > 0 ? new Set(owners.map((task) => task.id)) : 'lab';
  };

  let saved: Set<string> | 'lab' | undefined;
  const schedule = (file: string): void => {
    const scope = scopeOf(file);
    saved = saved === 'lab' || scope === 'lab' ? 'lab' : new Set([...(saved ?? []), ...scope]);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const scopeNow = saved ?? 'lab';
      saved = undefined;
      checkNow(scopeNow);
    }, deps.debounceMs ?? 150);
  };

  const startWatching = (): void => {
    watcher = deps.createWatcher(lab.folder.dir, { usePolling });
    watcher.on('all', (_event, file) => {
      if (!IGNORED.test(file)) schedule(file);
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
    let lineReader: readline.Interface | undefined;
    const quit = async (): Promise<void> => {
      if (quitting) return;
      quitting = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onSignal);
      deps.input.removeAllListeners('data');
      if (tty) deps.input.setRawMode!(false);
      deps.input.pause();
      lineReader?.close();
      // Stops the check in progress (and every process it started) rather than waiting for it.
      running?.controller.abort();
      await Promise.all([watcher?.close(), loop]);
      io.out(`Stopped watching. Pick up again with: npx course watch ${lab.id}`);
      resolve(0);
    };
    const onSignal = (): void => void quit();

    const onKey = (key: string): void => {
      if (quitting) return;
      const failed = lastCheck?.results?.tasks.find((r) => r.status === 'failed');
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
          wanted = undefined;
          lastCheck = undefined;
          void Promise.resolve(watcher?.close()).then(() => {
            startWatching();
            checkNow('lab');
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

    if (options.signal?.aborted) {
      resolve(0);
      return;
    }
    options.signal?.addEventListener('abort', onSignal);
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
    checkNow('lab');
  });
}
