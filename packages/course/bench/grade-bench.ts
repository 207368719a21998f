// Grades 30 generated submissions of Lab 01 with --jobs 2, in the OS sandbox and without it, and prints the
// seconds per submission-lab of each and their ratio: a third are the untouched student edition, a third the
// reference solution, a third half-solved. Run it with `npm run bench:grade --workspace
// @serverless-course/course` from the course root.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picocolors from 'picocolors';
import { grade } from '../src/commands/grade';
import { buildEdition, discoverLabs, writeEdition } from '../src/release/edition';
import { findRoot } from '../src/workspace';

const SUBMISSIONS = 30;
const JOBS = 2;

async function main(): Promise<void> {
  const root = findRoot(process.cwd(), process.env);
  const lab = discoverLabs(root).labs.find((candidate) => candidate.id === '01');
  if (!lab) throw new Error('labs/01-hello-lambda/lab.json is missing; the benchmark grades Lab 01');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-bench-'));
  try {
    const edition = path.join(scratch, 'edition');
    writeEdition(buildEdition(root, { labs: [lab] }), edition);
    const labSrc = path.join('labs', lab.folder.name, 'src');
    const solvedFiles = listFiles(path.join(root, labSrc));
    const submissions = Array.from({ length: SUBMISSIONS }, (_unused, index) => {
      const dir = path.join(scratch, `student-${String(index + 1).padStart(2, '0')}`);
      fs.cpSync(edition, dir, { recursive: true });
      const solved =
        index % 3 === 1 ? solvedFiles : index % 3 === 2 ? solvedFiles.filter((_f, i) => i % 2 === 0) : [];
      for (const file of solved) fs.copyFileSync(path.join(root, labSrc, file), path.join(dir, labSrc, file));
      return dir;
    });

    // The same submissions graded twice in one run: in the OS sandbox (what instructors get), and without
    // it (--no-sandbox), the alternative the sandbox's cost is measured against.
    const sandboxed = await timeGrading(root, scratch, submissions, 'auto');
    const bare = await timeGrading(root, scratch, submissions, 'off');
    console.log(
      `sandbox cost: ${(sandboxed.seconds / bare.seconds).toFixed(2)}x the time without it ` +
        `(${(sandboxed.seconds / SUBMISSIONS).toFixed(2)} s against ${(bare.seconds / SUBMISSIONS).toFixed(2)} s per submission-lab)`,
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Grades every submission once in `mode` and prints what it took; returns the wall time in seconds. */
async function timeGrading(
  root: string,
  scratch: string,
  submissions: string[],
  mode: 'auto' | 'off',
): Promise<{ seconds: number }> {
  const lines: string[] = [];
  const io = {
    out: (line = '') => lines.push(line),
    err: (line = '') => lines.push(line),
    colors: picocolors.createColors(false),
  };
  const reports = path.join(scratch, `reports-${mode}`);
  const cpuBefore = machineCpuSeconds();
  const started = process.hrtime.bigint();
  await grade(
    root,
    io,
    {
      submissions,
      labs: ['01'],
      formats: 'json,csv',
      out: reports,
      jobs: String(JOBS),
      timeout: '120',
      sandbox: mode,
    },
    process.env,
    process.cwd(),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = machineCpuSeconds() - cpuBefore;
  const durations = submissions.map((dir) => {
    const results = JSON.parse(
      fs.readFileSync(path.join(reports, path.basename(dir), 'results.json'), 'utf8'),
    ) as {
      labs: { duration: number }[];
      score: number;
    };
    return { lab: results.labs[0]!.duration, score: results.score };
  });
  const labRuns = durations.map((d) => d.lab).sort((a, b) => a - b);
  console.log(`== ${mode === 'auto' ? 'in the OS sandbox' : 'without the sandbox (--no-sandbox)'}`);
  console.log(lines.filter((line) => /^(Graded|Grading in|Warning)/.test(line)).join('\n'));
  console.log(`scores: ${durations.map((d) => d.score).join(' ')}`);
  console.log(
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}; one lab run (Jest process) ` +
      `median ${labRuns[Math.floor(labRuns.length / 2)]!.toFixed(2)} s, slowest ${labRuns[labRuns.length - 1]!.toFixed(2)} s`,
  );
  console.log(
    `${SUBMISSIONS} submissions of Lab 01, --jobs ${JOBS}: grading took ${seconds.toFixed(1)} s, ` +
      `${(seconds / SUBMISSIONS).toFixed(2)} s per submission-lab`,
  );
  if (!Number.isNaN(cpu)) {
    // On a shared machine the wall time measures the neighbours too; CPU seconds spread over the cores is
    // what the same run would take with the machine to itself.
    const lanes = Math.min(os.availableParallelism(), JOBS);
    console.log(
      `CPU used by the machine while grading: ${cpu.toFixed(1)} s, ${(cpu / SUBMISSIONS).toFixed(2)} s per submission-lab; ` +
        `with ${lanes} idle cores that is ${(cpu / SUBMISSIONS / lanes).toFixed(2)} s per submission-lab`,
    );
  }
  return { seconds };
}

/**
 * CPU seconds the whole machine has spent busy (user, nice, system, interrupts, steal), from /proc/stat on
 * Linux; NaN elsewhere. Children's own counters miss the sandboxed runs (bubblewrap reaps them itself), so
 * this counts every process: run the benchmark on an otherwise idle machine.
 */
function machineCpuSeconds(): number {
  try {
    const fields = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / 100;
  } catch {
    return Number.NaN;
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
