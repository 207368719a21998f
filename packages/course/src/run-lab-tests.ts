import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CourseError } from './errors';
import { toSuiteResults, type JestJson, type SuiteResult } from './jest-report';
import { displayPath, type LabFolder } from './workspace';

export interface LabTestRun {
  /** Jest's own stdout and stderr, shown only with --verbose. */
  stdout: string;
  stderr: string;
  /** Undefined when Jest stopped before writing results (a broken jest.config.js, for example). */
  suites?: SuiteResult[];
}

/**
 * Runs the lab's tests in a child process: a student's code can hang, exit or pollute globals, and none of
 * that may take the CLI down with it. --json into a file keeps the machine-readable results apart from
 * whatever the tests print; --ci stops snapshot tests from silently writing new snapshots. Without
 * --passWithNoTests, Jest exits as soon as it finds no tests, racing the write of the results file; with it,
 * an empty result arrives reliably and the caller reports the missing tests itself.
 */
export function runLabTests(root: string, folder: LabFolder, rerun: string): LabTestRun {
  const config = path.join(folder.dir, 'jest.config.js');
  if (!fs.existsSync(config)) {
    throw new CourseError(
      `${displayPath(root, config)} is missing, so the lab's tests cannot run; restore it ` +
        `(git checkout -- ${displayPath(root, config)}), then run: ${rerun}`,
    );
  }
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-jest-'));
  try {
    const outputFile = path.join(outputDir, 'results.json');
    const jestBin = require.resolve('jest/bin/jest');
    const child = spawnSync(
      process.execPath,
      [jestBin, '--config', config, '--json', '--outputFile', outputFile, '--ci', '--passWithNoTests'],
      { cwd: folder.dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (child.error) throw child.error;
    const run = { stdout: child.stdout, stderr: child.stderr };
    if (!fs.existsSync(outputFile)) return run;
    const report = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson;
    return { ...run, suites: toSuiteResults(report, labDirSpellings(folder.dir)) };
  } finally {
    fs.rmSync(outputDir, { recursive: true, force: true });
  }
}

function labDirSpellings(dir: string): string[] {
  const real = fs.realpathSync.native(dir);
  return real === dir ? [dir] : [dir, real];
}
