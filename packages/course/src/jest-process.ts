import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { JestProgress } from './jest-progress';
import { toSuiteResults, type JestJson, type SuiteResult } from './jest-report';
import { killProcessTree, whenGone } from './process-tree';

export interface JestProcessOptions {
  /** The lab folder: Jest's working directory and what result paths are made relative to. */
  labDir: string;
  config: string;
  /** A scratch folder this run owns: results, Jest's cache, and (when sandboxed) HOME and TMPDIR. */
  scratch: string;
  timeoutMs: number;
  /** The complete environment of the child; nothing of the caller's leaks in unless put here. */
  env: NodeJS.ProcessEnv;
  /** Node options for Jest and its workers, for example a --require preload. */
  nodeArgs?: string[];
  /** Bytes of stdout and of stderr kept; the rest is dropped and counted. */
  maxOutputBytes?: number;
  maxWorkers?: number;
  /** One process, no workers: less work per run, and the grader reruns what a stopped run left. */
  inBand?: boolean;
  /** Run only these test files (absolute paths); all of the lab's when absent. */
  testFiles?: string[];
  /** Stops a test file that runs longer than this (a loop, a promise that never settles), and the run with it. */
  fileBudgetMs?: number;
  /** Aborting kills the run at once: a save in watch mode, Ctrl+C. */
  signal?: AbortSignal;
  /** Jest's transform cache; a fresh one in `scratch` when absent (the grader shares nothing between runs). */
  cacheDirectory?: string;
  /** Also Jest's default reporter (its usual output on stderr), for `check --verbose`. */
  jestOutput?: boolean;
  /**
   * Results come only from the reporter's lines on a pipe (file descriptor 3) that this process reads as the
   * run goes, never from a file the run could rewrite: what the grader uses. Jest's own JSON is not written.
   */
  streamResults?: boolean;
  /**
   * Where the run sees the lab folder and the scratch folder, when a sandbox mounts them at other paths (the
   * grader's fixed paths, which let every submission share one warm transform cache). Results and the
   * unfinished files are given back as host paths.
   */
  inside?: { labDir: string; scratch: string };
  /** Wraps the Jest command, for example in the grader's OS sandbox; `release` runs once the run has ended. */
  wrap?: (command: string, args: string[]) => { command: string; args: string[]; release?(): void };
}

export interface JestProcessResult {
  /** Undefined when no test file reported at all. */
  suites?: SuiteResult[];
  /** True when the results are only the files that finished before the run stopped. */
  partial: boolean;
  /** Test files (absolute) that started but never reported: what was running when the run stopped. */
  unfinished: string[];
  timedOut: boolean;
  /** What the streamed results show was tampered with (see JestProgress.problems). */
  problems: string[];
  /** Test files (absolute) that ran past `fileBudgetMs`; the run was stopped for them. */
  overBudget: string[];
  /** True when `signal` stopped the run. */
  cancelled: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const PARTIAL_REPORTER = path.join(__dirname, 'sandbox', 'partial-reporter.js');
/** How often the time budget is checked: a file over budget is stopped at most this late. */
const BUDGET_POLL_MS = 100;

/**
 * Runs Jest on one lab in its own process group. A timeout, a file over its budget or an abort kills Jest,
 * its workers and everything the tests started (see killProcessTree). Results come from --outputFile; when
 * Jest never gets to write it (killed, or code under test called process.exit), the reporter's per-file
 * lines give the files that did finish.
 */
export function runJestProcess(options: JestProcessOptions): Promise<JestProcessResult> {
  const seen = options.inside ?? { labDir: options.labDir, scratch: options.scratch };
  const toHost = (file: string): string => path.join(options.labDir, path.relative(seen.labDir, file));
  const outputFile = path.join(options.scratch, 'jest-results.json');
  const partialFile = path.join(options.scratch, 'jest-partial.jsonl');
  const jestBin = require.resolve('jest/bin/jest');
  const args = [
    ...(options.nodeArgs ?? []),
    jestBin,
    // Patterns first: an array option such as --reporters would swallow positional arguments after it.
    // Anchored on the path inside the lab, so they hold wherever the lab was copied to.
    ...(options.testFiles ?? []).map(
      (file) => `/${escapeRegExp(path.relative(options.labDir, file).split(path.sep).join('/'))}$`,
    ),
    '--config',
    options.config,
    '--rootDir',
    seen.labDir,
    ...(options.streamResults ? [] : ['--json', '--outputFile', outputFile]),
    '--ci',
    '--passWithNoTests',
    '--watchman=false',
    '--forceExit',
    '--cacheDirectory',
    options.cacheDirectory ?? path.join(seen.scratch, 'jest-cache'),
    options.inBand ? '--runInBand' : `--maxWorkers=${options.maxWorkers ?? 2}`,
    '--reporters',
    ...(options.jestOutput ? ['default'] : []),
    PARTIAL_REPORTER,
  ];
  const limit = options.maxOutputBytes ?? 256 * 1024;
  const started = Date.now();
  const progress = new JestProgress(options.streamResults ? undefined : partialFile);
  return new Promise((resolve, reject) => {
    const launch = options.wrap?.(process.execPath, args) ?? { command: process.execPath, args };
    const child = spawn(launch.command, launch.args, {
      cwd: options.labDir,
      env: {
        ...options.env,
        // A stub that code under test caught still names itself in the file's console (see task-results).
        COURSE_REPORT_STUBS: '1',
        ...(options.streamResults ? { COURSE_RESULTS_FD: '3' } : { COURSE_PARTIAL_RESULTS: partialFile }),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', options.streamResults ? 'pipe' : 'ignore'],
    });
    const results = child.stdio[3] as Readable | null;
    results?.setEncoding('utf8');
    results?.on('data', (text: string) => progress.push(text));
    const stdout = capped(limit);
    const stderr = capped(limit);
    child.stdout!.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.add(chunk));
    let timedOut = false;
    let cancelled = false;
    let overBudget: string[] = [];
    let killed: number[] = [];
    const stop = (): void => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        killed = killProcessTree(child.pid);
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const budget = options.fileBudgetMs;
    const watchdog =
      budget === undefined
        ? undefined
        : setInterval(() => {
            const over = progress.read().overBudget(budget, Date.now());
            if (over.length === 0) return;
            overBudget = over.map(toHost);
            clearInterval(watchdog);
            stop();
          }, BUDGET_POLL_MS);
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    const settle = (): void => {
      clearTimeout(timer);
      clearInterval(watchdog);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      settle();
      launch.release?.();
      reject(error);
    });
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): JestProcessResult => {
      // --forceExit ends Jest, not what the tests spawned in its group; they go with it.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
      const stopped = timedOut || cancelled || overBudget.length > 0;
      const finished = progress.read().results;
      const complete = !stopped && (options.streamResults ? progress.complete : fs.existsSync(outputFile));
      const report =
        complete && !options.streamResults
          ? readJson(outputFile)
          : finished.length > 0
            ? { testResults: finished }
            : undefined;
      return {
        ...(report && {
          suites: toSuiteResults(withConsole(report, finished), [...spellings(options.labDir), seen.labDir]),
        }),
        partial: !complete,
        unfinished: complete ? [] : progress.unfinished.map(toHost),
        timedOut,
        problems: progress.problems,
        overBudget,
        cancelled,
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: Date.now() - started,
      };
    };
    child.on('close', (exitCode, signal) => {
      settle();
      // Resolved only once everything it killed is gone: no orphan outlives the run.
      whenGone(killed).then(() => {
        launch.release?.();
        resolve(finish(exitCode, signal));
      }, reject);
    });
  });
}

/** Jest's own JSON lacks what the files logged; the reporter's lines have it. */
function withConsole(report: JestJson, reported: JestJson['testResults']): JestJson {
  const consoleOf = new Map(reported.map((result) => [result.name, result.console]));
  return {
    testResults: report.testResults.map((result) => {
      const logged = result.console ?? consoleOf.get(result.name);
      return logged ? { ...result, console: logged } : result;
    }),
  };
}

function capped(limit: number): { add(chunk: Buffer): void; text(): string } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  return {
    add(chunk) {
      const room = limit - kept;
      if (room > 0) chunks.push(chunk.subarray(0, room));
      kept += Math.min(room > 0 ? room : 0, chunk.length);
      dropped += Math.max(0, chunk.length - Math.max(room, 0));
    },
    text() {
      const text = Buffer.concat(chunks).toString('utf8');
      return dropped > 0 ? `${text}\n[output truncated: ${dropped} more bytes]` : text;
    },
  };
}

function readJson(file: string): JestJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JestJson;
  } catch {
    return undefined;
  }
}

function spellings(dir: string): string[] {
  const real = fs.realpathSync.native(dir);
  return real === dir ? [dir] : [dir, real];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
