import fs from 'node:fs';
import path from 'node:path';
import { eventually } from '@serverless-course/test-kit';
import { runJestProcess } from '../src/jest-process';
import { isRunning } from '../src/process-tree';
import { fixtureWorkspaces } from './support/cleanup';
import { testFile, type FixtureWorkspace } from './support/workspace';

jest.setTimeout(60_000);

const workspace = fixtureWorkspaces();

/**
 * A test that starts a process in a process group of its own (as local-cloud does for each Lambda sandbox),
 * writes its pid, then never ends: a busy loop, or a promise that never settles.
 */
function stuckTest(pidFile: string, how: 'loop' | 'promise'): string {
  return [
    "const { spawn } = require('node:child_process');",
    "const fs = require('node:fs');",
    "it('never ends', async () => {",
    "  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });",
    `  fs.writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));`,
    how === 'loop' ? '  for (;;) {}' : '  await new Promise(() => {});',
    '}, 600000);',
    '',
  ].join('\n');
}

function labWith(files: Record<string, string>): {
  course: FixtureWorkspace;
  labDir: string;
  scratch: string;
} {
  const course = workspace([{ folder: '01-hello', tasks: [{ id: 'greet', tests: ['greet'] }], files }]);
  const scratch = path.join(course.root, 'scratch');
  fs.mkdirSync(scratch);
  return { course, labDir: path.join(course.root, 'labs', '01-hello'), scratch };
}

/** The process id the test file's grandchild writes to `file`, once it is there. */
function pidIn(file: string): Promise<number> {
  return eventually(
    () => {
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      if (text === '') throw new Error(`${file} is missing or empty`);
      return Number(text);
    },
    { timeoutMs: 10_000, description: `a process id in ${file}` },
  );
}

const runIn = (labDir: string, scratch: string) => ({
  labDir,
  config: path.join(labDir, 'jest.config.js'),
  scratch,
  timeoutMs: 120_000,
  env: { ...process.env, NO_COLOR: '1' },
});

describe('runJestProcess', () => {
  it('stops a test file that runs past its budget, names it, and kills every process it started', async () => {
    const { course, labDir, scratch } = labWith({});
    const pidFile = path.join(course.root, 'grandchild.pid');
    course.write('labs/01-hello/test/loop.test.js', stuckTest(pidFile, 'loop'));

    const run = await runJestProcess({ ...runIn(labDir, scratch), fileBudgetMs: 1_000 });

    expect(run.overBudget).toEqual([path.join(labDir, 'test', 'loop.test.js')]);
    expect(run.partial).toBe(true);
    expect(isRunning(await pidIn(pidFile))).toBe(false);
  });

  it('stops at once when aborted, and kills every process it started', async () => {
    const { course, labDir, scratch } = labWith({
      'test/greet.test.js': testFile('greet', { hi: 'passes' }),
    });
    const pidFile = path.join(course.root, 'grandchild.pid');
    course.write('labs/01-hello/test/wait.test.js', stuckTest(pidFile, 'promise'));
    const controller = new AbortController();

    const running = runJestProcess({ ...runIn(labDir, scratch), signal: controller.signal });
    const pid = await pidIn(pidFile);
    controller.abort();
    const run = await running;

    expect(run.cancelled).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(isRunning(pid)).toBe(false);
  });

  it("keeps the files' console output, where a swallowed error may show", async () => {
    const { labDir, scratch } = labWith({
      'test/log.test.js': "it('logs', () => { console.error('Task \"greet\" is not implemented yet.'); });\n",
    });

    const run = await runJestProcess(runIn(labDir, scratch));

    expect(run.suites?.[0]?.console).toEqual(['Task "greet" is not implemented yet.']);
  });
});
