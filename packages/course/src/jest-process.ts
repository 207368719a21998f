import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toSuiteResults, type JestJson, type SuiteResult } from './jest-report';

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
}

export interface JestProcessResult {
  /** Undefined when no test file reported at all. */
  suites?: SuiteResult[];
  /** True when the results are only the files that finished before the run stopped. */
  partial: boolean;
  /** Test files (absolute) that started but never reported: what was running when the run stopped. */
  unfinished: string[];
  timedOut: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const PARTIAL_REPORTER = path.join(__dirname, 'sandbox', 'partial-reporter.js');

/**
 * Runs Jest on one lab in its own process group, so a timeout can kill Jest, its workers and anything the
 * tests started. Results come from --outputFile; when Jest never gets to write it (killed, or code under
 * test called process.exit), the reporter's per-file lines give the files that did finish.
 */
export function runJestProcess(options: JestProcessOptions): Promise<JestProcessResult> {
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
    options.labDir,
    '--json',
    '--outputFile',
    outputFile,
    '--ci',
    '--passWithNoTests',
    '--watchman=false',
    '--forceExit',
    '--cacheDirectory',
    path.join(options.scratch, 'jest-cache'),
    options.inBand ? '--runInBand' : `--maxWorkers=${options.maxWorkers ?? 2}`,
    '--reporters',
    PARTIAL_REPORTER,
  ];
  const limit = options.maxOutputBytes ?? 256 * 1024;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.labDir,
      env: { ...options.env, COURSE_PARTIAL_RESULTS: partialFile },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = capped(limit);
    const stderr = capped(limit);
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      // --forceExit ends Jest, not what the tests spawned; the group goes with it.
      killGroup();
      const labDirs = spellings(options.labDir);
      const complete = !timedOut && fs.existsSync(outputFile);
      const partial = readPartial(partialFile);
      const report = complete ? readJson(outputFile) : partial.report;
      resolve({
        ...(report && { suites: toSuiteResults(report, labDirs) }),
        partial: !complete,
        unfinished: complete ? [] : partial.unfinished,
        timedOut,
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: Date.now() - started,
      });
    });
  });
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

function readPartial(file: string): { report?: JestJson; unfinished: string[] } {
  if (!fs.existsSync(file)) return { unfinished: [] };
  const started = new Set<string>();
  const testResults: JestJson['testResults'] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as JestJson['testResults'][number] | { started: string };
      if ('started' in entry) started.add(entry.started);
      else testResults.push(entry);
    } catch {
      // A line cut short by the kill.
    }
  }
  testResults.forEach((result) => started.delete(result.name));
  return { ...(testResults.length > 0 && { report: { testResults } }), unfinished: [...started] };
}

function spellings(dir: string): string[] {
  const real = fs.realpathSync.native(dir);
  return real === dir ? [dir] : [dir, real];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
