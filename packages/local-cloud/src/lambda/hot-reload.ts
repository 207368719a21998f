// Hot reload: watches the source files the bundles were built from (their esbuild metafiles list them, so a
// helper imported by one handler counts for that handler only), and on a change rebuilds just the modules that
// use the file and recycles just their functions' sandboxes. The next invocation of those functions runs the
// new code, cold; every other function stays warm.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ModuleBundler } from './bundler';

export interface ReloadEvent {
  /** Functions whose sandboxes were recycled. */
  functionKeys: string[];
  /** The files whose change caused it. */
  changedFiles: string[];
  /** From the first change seen to the sandboxes recycled (rebuild included). */
  durationMs: number;
  /** Functions whose module no longer compiles: their invocations fail until it does. */
  failures: { functionKey: string; detail: string }[];
}

export interface HotReloadOptions {
  bundler: ModuleBundler;
  /** Module path to the keys of the functions whose handler lives in it. */
  functionsByModule: Map<string, string[]>;
  recycle(functionKeys: string[]): Promise<void>;
  onReload(event: ReloadEvent): void;
}

// Editors often write a file in several steps (truncate, write, rename): wait this long for the last one.
const SETTLE_MS = 15;
// chokidar drops a second change to the same file within 50 ms of the first (its throttle emits no trailing
// event), so a quick second save would be lost; each change is checked again once that window has passed.
const RECHECK_MS = 60;

export class HotReloader {
  private readonly changed = new Set<string>();
  private readonly rechecks = new Map<string, NodeJS.Timeout>();
  private firstChangeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private inputs: Set<string>;
  private closed = false;

  private constructor(
    private readonly options: HotReloadOptions,
    private readonly watcher: FSWatcher,
    private directories: Set<string>,
  ) {
    this.inputs = options.bundler.inputFiles();
    watcher.on('all', (_event, file, stats) => this.onEvent(String(file), stats?.mtimeMs));
  }

  /** Resolves once the watcher is ready, so a change made right after it is seen. */
  static async start(options: HotReloadOptions): Promise<HotReloader> {
    // Directories rather than files: a file a module starts importing is then already watched if it sits
    // beside the others, and an editor that replaces a file by renaming another over it is still seen.
    const directories = directoriesOf(options.bundler.inputFiles());
    const watcher = watch([...directories], { ignoreInitial: true, depth: 0, alwaysStat: true });
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', resolve);
      watcher.once('error', (error) => reject(error instanceof Error ? error : new Error(String(error))));
    });
    return new HotReloader(options, watcher, directories);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.rechecks.forEach((timer) => clearTimeout(timer));
    await this.watcher.close();
    await this.running;
  }

  private onEvent(file: string, mtimeMs: number | undefined): void {
    if (this.closed || !this.inputs.has(file)) return;
    this.onChange(file);
    this.recheckLater(file, mtimeMs);
  }

  private onChange(file: string): void {
    if (this.changed.size === 0) this.firstChangeAt = performance.now();
    this.changed.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // One reload at a time: a change during a rebuild is picked up by the next one.
      this.running = this.running.then(() => this.reload());
    }, SETTLE_MS);
  }

  private recheckLater(file: string, seenMtimeMs: number | undefined): void {
    if (this.rechecks.has(file)) return;
    const timer = setTimeout(() => {
      this.rechecks.delete(file);
      void stat(file).then(
        (stats) => {
          if (this.closed || stats.mtimeMs === seenMtimeMs) return;
          this.onChange(file);
          this.recheckLater(file, stats.mtimeMs);
        },
        () => undefined,
      );
    }, RECHECK_MS);
    this.rechecks.set(file, timer);
  }

  private async reload(): Promise<void> {
    if (this.closed || this.changed.size === 0) return;
    const changedFiles = [...this.changed];
    const startedAt = this.firstChangeAt;
    this.changed.clear();
    const { bundler, functionsByModule } = this.options;
    const modules = bundler.modulesUsing(changedFiles);
    if (modules.length === 0) return;
    const functionKeys = modules.flatMap((modulePath) => functionsByModule.get(modulePath) ?? []);
    let failures: ReloadEvent['failures'];
    try {
      await bundler.rebuild(modules);
      await this.options.recycle(functionKeys);
      await this.watchNewDirectories();
      failures = modules.flatMap((modulePath) => {
        const failure = bundler.bundle(modulePath).failure;
        const keys = functionsByModule.get(modulePath) ?? [];
        return failure ? keys.map((functionKey) => ({ functionKey, detail: failure.detail })) : [];
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      failures = functionKeys.map((functionKey) => ({ functionKey, detail }));
    }
    this.options.onReload({
      functionKeys,
      changedFiles,
      durationMs: performance.now() - startedAt,
      failures,
    });
  }

  /** A rebuilt module may import files from a folder no module used before. */
  private async watchNewDirectories(): Promise<void> {
    this.inputs = this.options.bundler.inputFiles();
    const added = [...directoriesOf(this.inputs)].filter((directory) => !this.directories.has(directory));
    if (added.length === 0) return;
    added.forEach((directory) => this.directories.add(directory));
    this.watcher.add(added);
    // chokidar has no promise for add(): the new folders' files are compared with the build's view instead.
    await Promise.all(
      [...this.inputs]
        .filter((file) => added.includes(path.dirname(file)))
        .map(async (file) => this.recheckLater(file, (await stat(file).catch(() => undefined))?.mtimeMs)),
    );
  }
}

function directoriesOf(files: Iterable<string>): Set<string> {
  return new Set([...files].map((file) => path.dirname(file)));
}
