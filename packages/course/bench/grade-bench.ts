// Grades 30 generated submissions of Lab 01 with --jobs 2 and prints the seconds per submission-lab: a third
// are the untouched student edition, a third the reference solution, a third half-solved. Run it with
// `npm run bench:grade --workspace @serverless-course/course` from the course root.
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

    const lines: string[] = [];
    const io = {
      out: (line = '') => lines.push(line),
      err: (line = '') => lines.push(line),
      colors: picocolors.createColors(false),
    };
    const cpuBefore = childCpuSeconds();
    const started = process.hrtime.bigint();
    await grade(
      root,
      io,
      {
        submissions,
        labs: ['01'],
        formats: 'json,csv',
        out: path.join(scratch, 'reports'),
        jobs: String(JOBS),
        timeout: '120',
      },
      process.env,
      process.cwd(),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = childCpuSeconds() - cpuBefore;
    const durations = submissions.map((dir) => {
      const results = JSON.parse(
        fs.readFileSync(path.join(scratch, 'reports', path.basename(dir), 'results.json'), 'utf8'),
      ) as {
        labs: { duration: number }[];
        score: number;
      };
      return { lab: results.labs[0]!.duration, score: results.score };
    });
    const labRuns = durations.map((d) => d.lab).sort((a, b) => a - b);
    console.log(lines.filter((line) => line.startsWith('Graded')).join('\n'));
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
        `CPU used by the lab runs: ${cpu.toFixed(1)} s, ${(cpu / SUBMISSIONS).toFixed(2)} s per submission-lab; ` +
          `with ${lanes} idle cores that is ${(cpu / SUBMISSIONS / lanes).toFixed(2)} s per submission-lab`,
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** CPU seconds of finished child processes (user + system), from /proc on Linux; NaN elsewhere. */
function childCpuSeconds(): number {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // Fields 16 and 17 of stat (cutime, cstime) are the 14th and 15th after the command name, in clock ticks.
    return (Number(fields[13]) + Number(fields[14])) / 100;
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
