import path from 'node:path';

/** One test as the course sees it: enough to match it to a task and explain a failure. */
export interface TestOutcome {
  /** Ancestor describe titles and the test title joined by spaces, as Jest's -t matches. */
  fullName: string;
  status: 'passed' | 'failed' | 'skipped';
  /** The first lines of the failure, without the stack. */
  failure?: string;
  /** The whole failure, stack included (capped): where the values and the failing line come from. */
  failureMessage?: string;
}

/** One test file. `error` is set when the file could not run at all (it threw on import, or does not parse). */
export interface SuiteResult {
  /** Relative to the lab folder with forward slashes, the way lab.json names test files. */
  file: string;
  error?: string;
  /** Set when the course stopped the run in this file (over its time budget, or a process.exit): `error` says
   *  why, as a sentence that follows the file's name. */
  stopped?: boolean;
  tests: TestOutcome[];
  /** What the file's code logged (capped), when the run recorded it: a swallowed error may show only there. */
  console?: string[];
}

/** The parts of `jest --json` the course reads. */
export interface JestJson {
  testResults: {
    name: string;
    status: string;
    message: string;
    /** Not in Jest's own JSON: the course's reporter adds the file's console messages. */
    console?: string[];
    assertionResults: {
      ancestorTitles: string[];
      title: string;
      fullName?: string;
      status: string;
      failureMessages?: string[];
    }[];
  }[];
}

// Jest's output is plain when piped, but a test's own message can still carry colour codes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
/** A failure longer than this is cut: a loop that builds a huge string must not flood the CLI's memory. */
const MAX_FAILURE_CHARS = 64 * 1024;

export function toSuiteResults(report: JestJson, labDirs: string[]): SuiteResult[] {
  return report.testResults.map((suite) => {
    const tests = suite.assertionResults.map((test): TestOutcome => ({
      fullName: test.fullName ?? [...test.ancestorTitles, test.title].join(' '),
      status: test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped',
      ...(test.status === 'failed' && {
        failure: summarizeFailure(test.failureMessages?.[0] ?? ''),
        failureMessage: (test.failureMessages?.[0] ?? '').replace(ANSI, '').slice(0, MAX_FAILURE_CHARS),
      }),
    }));
    // A failed suite whose tests did not fail never ran them: its message is the error that stopped it.
    const broken = suite.status === 'failed' && !tests.some((test) => test.status === 'failed');
    return {
      file: relativeTo(labDirs, suite.name),
      ...(broken && { error: summarizeSuiteError(suite.message, labDirs) }),
      tests,
      ...(suite.console && { console: suite.console }),
    };
  });
}

/**
 * Jest may report the real path of a file (macOS's /var is /private/var), so every spelling of the lab
 * folder is tried and the one that contains the file wins.
 */
function relativeTo(labDirs: string[], file: string): string {
  for (const dir of labDirs) {
    const relative = path.relative(dir, file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return file.split(path.sep).join('/');
}

/** Up to three lines of the message, stopping at the stack trace. */
export function summarizeFailure(message: string): string {
  const lines: string[] = [];
  for (const line of message.replace(ANSI, '').split('\n')) {
    if (/^\s*at /.test(line)) break;
    if (line.trim() !== '') lines.push(line.trim());
    if (lines.length === 3) break;
  }
  return lines.join('\n') || 'the test failed without a message';
}

/**
 * Jest's "Test suite failed to run" block: a syntax error is buried under a paragraph of transform advice, so
 * that line wins; otherwise the first line after the heading is the thrown error. Absolute paths are cut to
 * the lab folder to keep the line short.
 */
export function summarizeSuiteError(message: string, labDirs: string[]): string {
  const lines = message
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('●'));
  const chosen =
    lines.find((line) => /^SyntaxError:/.test(line)) ?? lines[0] ?? 'the test file failed to run';
  return labDirs.reduce((line, dir) => line.split(`${dir}${path.sep}`).join(''), chosen);
}
