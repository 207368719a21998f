// How fast a student hears about a mistake: `course check` and `course watch` on a student edition made with
// `course release`, each figure beside the previous approach (one plain Jest run of the whole lab, which is
// what check and watch ran before) measured in the same run. Run it from the course root with
// `npm run bench:check --workspace @serverless-course/course [-- 01 04]` (the labs to measure; 01 and 04,
// the smallest and the largest, by default). It takes a few minutes: the previous approach waits out loops.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLab, type Lab } from '../src/lab-manifest';
import { copyLocalCloudCaches, linkNodeModules } from '../src/release/edition';
import { findTaskSources } from '../src/task-sources';
import { findRoot, listLabFolders } from '../src/workspace';

const BIN = path.resolve(__dirname, '..', 'bin', 'course.js');
const JEST = require.resolve('jest/bin/jest');
/** Saves timed in watch mode; the figure is their median. */
const SAVES = 10;
/** A run of the previous approach that has not ended by then is stopped and reported as not ending. */
const CAP_SECONDS = 150;

interface Timed {
  seconds: number;
  /** CPU seconds it used, its child processes included: what it would take with the cores to itself. */
  cpuSeconds: number;
  output: string;
  /** False when it was stopped at the cap. */
  ended: boolean;
}

async function main(): Promise<void> {
  const root = findRoot(process.cwd(), process.env);
  const labIds = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['01', '04'];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-check-bench-'));
  try {
    const edition = path.join(scratch, 'edition');
    await timed(process.execPath, [BIN, 'release', '--out', edition], root, 120);
    linkNodeModules(root, edition);
    copyLocalCloudCaches(root, edition);
    console.log(
      `machine: ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}`,
    );
    const labs = listLabFolders(edition)
      .filter((folder) => labIds.includes(folder.id))
      .map((folder) => loadLab(edition, folder, 'npm run bench:check'));
    for (const lab of labs) {
      const task = firstCodeTask(edition, lab);
      await compare(edition, lab, task, 'a syntax error', (stub) => stub.replace(/\);$/, ';'));
      await compare(edition, lab, task, 'a type error', (stub) => `const broken: string = 42;\n  ${stub}`);
    }
    const lab01 = labs.find((lab) => lab.id === '01');
    if (lab01) {
      const loop = (stub: string): string => `while (Date.now() > 0) {\n    // spin\n  }\n  ${stub}`;
      await compare(edition, lab01, 'remaining-time', 'an infinite loop', loop);
      await watchSaves(edition, lab01);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The first task whose code is in a TypeScript file, where syntax and type errors can go. */
function firstCodeTask(edition: string, lab: Lab): string {
  const sources = findTaskSources(edition, lab);
  const task = lab.tasks.find((candidate) =>
    sources.filesOf(candidate.id).some((file) => file.endsWith('.ts')),
  );
  if (!task) throw new Error(`lab ${lab.id} has no task with TypeScript code`);
  return task.id;
}

/** Puts a mistake into the task's stub, times `course check NN task` and a full Jest run, then undoes it. */
async function compare(
  edition: string,
  lab: Lab,
  taskId: string,
  mistake: string,
  change: (stub: string) => string,
): Promise<void> {
  const undo = withMistake(edition, lab, taskId, change);
  try {
    const check = await timed(process.execPath, [BIN, 'check', lab.id, taskId], edition, CAP_SECONDS);
    const jest = await timed(process.execPath, [JEST, '--ci'], lab.folder.dir, CAP_SECONDS);
    const verdict = /does not compile|did not finish/.test(check.output) ? 'reported' : 'NOT reported';
    console.log(
      `${mistake} in lab ${lab.id} (${taskId}): course check ${lab.id} ${taskId} ${check.seconds.toFixed(1)} s, ` +
        `${check.cpuSeconds.toFixed(1)} CPU-s (${verdict}); full Jest run of the lab ${describe(jest)}; ${ratio(jest, check)}`,
    );
  } finally {
    undo();
  }
}

/** Replaces the task's first stub line with the mistake; returns the function that puts the file back. */
function withMistake(
  edition: string,
  lab: Lab,
  taskId: string,
  change: (stub: string) => string,
): () => void {
  const stub = `throw new NotImplemented('${taskId}');`;
  const file = findTaskSources(edition, lab)
    .filesOf(taskId)
    .map((relative) => path.join(lab.folder.dir, relative))
    .find((candidate) => candidate.endsWith('.ts') && fs.readFileSync(candidate, 'utf8').includes(stub));
  if (!file) throw new Error(`no stub of task ${taskId} in lab ${lab.id}`);
  const original = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, original.replace(stub, change(stub)));
  return () => fs.writeFileSync(file, original);
}

/**
 * Starts `course watch NN`, waits for its first verdict, then saves the hello-handler file SAVES times and
 * times each save until the next verdict. The previous approach ran the whole lab on every save.
 */
async function watchSaves(edition: string, lab: Lab): Promise<void> {
  const file = path.join(lab.folder.dir, 'src', 'handlers', 'hello.ts');
  const original = fs.readFileSync(file, 'utf8');
  const watcher = spawn(process.execPath, [BIN, 'watch', lab.id], {
    cwd: edition,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const verdicts = (): number =>
    output.split('\n').filter((line) => line.startsWith(`Lab ${lab.id}  `)).length;
  watcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const seconds: number[] = [];
  try {
    await until(() => verdicts() >= 1, CAP_SECONDS);
    for (let save = 1; save <= SAVES; save++) {
      const before = verdicts();
      const started = process.hrtime.bigint();
      fs.writeFileSync(file, `${original}// save ${save}\n`);
      await until(() => verdicts() > before, CAP_SECONDS);
      seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
  } finally {
    watcher.stdin.end('q\n');
    fs.writeFileSync(file, original);
  }
  const jestRuns: Timed[] = [];
  for (let run = 0; run < 3; run++)
    jestRuns.push(await timed(process.execPath, [JEST, '--ci'], lab.folder.dir, CAP_SECONDS));
  const ours = median(seconds);
  const theirs = median(jestRuns.map((run) => run.seconds));
  console.log(
    `watch, save to verdict for hello-handler (lab ${lab.id}), median of ${SAVES} saves: ${ours.toFixed(2)} s ` +
      `(all: ${seconds.map((s) => s.toFixed(2)).join(' ')}); full Jest run of the lab, median of 3: ` +
      `${theirs.toFixed(1)} s; ${(theirs / ours).toFixed(1)}× faster`,
  );
}

function timed(command: string, args: string[], cwd: string, capSeconds: number): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const cpuBefore = childCpuSeconds();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    let ended = true;
    const cap = setTimeout(() => {
      ended = false;
      process.kill(-child.pid!, 'SIGKILL');
    }, capSeconds * 1000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(cap);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, cpuSeconds: childCpuSeconds() - cpuBefore, output, ended });
    });
  });
}

async function until(condition: () => boolean, capSeconds: number): Promise<void> {
  const deadline = Date.now() + capSeconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no verdict within ${capSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function describe(run: Timed): string {
  return run.ended
    ? `${run.seconds.toFixed(1)} s, ${run.cpuSeconds.toFixed(1)} CPU-s`
    : `did not end in ${CAP_SECONDS} s (stopped)`;
}

/**
 * CPU seconds of the finished child processes (user + system), from /proc on Linux; NaN elsewhere. On a
 * shared machine the wall time measures the neighbours too; CPU time does not.
 */
function childCpuSeconds(): number {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // Fields 16 and 17 of stat (cutime, cstime) are the 14th and 15th after the command name, in clock ticks.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

function ratio(theirs: Timed, ours: Timed): string {
  const factor = theirs.seconds / ours.seconds;
  return `${theirs.ended ? '' : 'at least '}${factor.toFixed(1)}× faster`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
