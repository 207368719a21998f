import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CourseError } from '../errors';
import {
  dependencyMounts,
  findTampering,
  gradeLab,
  pool,
  prepareCopy,
  type GradeSettings,
  type LabGrade,
  type SubmissionGrade,
} from '../grade/grade-submission';
import {
  classroomResult,
  feedbackMarkdown,
  FORMATS,
  gradebookCsv,
  junitXml,
  resultsJson,
  type Format,
} from '../grade/reports';
import { hiddenTestLines } from '../grade/hidden-source';
import { detectSandbox, type Isolation } from '../grade/os-sandbox';
import { assertReferenceUnchanged, fingerprint } from '../grade/reference-integrity';
import { loadLab, type Lab } from '../lab-manifest';
import type { Io } from '../output';
import {
  buildEdition,
  discoverLabs,
  writeEdition,
  type Edition,
  type ReleaseManifest,
} from '../release/edition';
import { listLabFolders, resolveLab } from '../workspace';

export interface GradeOptions {
  submissions: string[];
  labs: string[];
  formats: string;
  out: string;
  jobs: string;
  timeout: string;
  manifest?: string;
  keep?: boolean;
  /** `auto` sandboxes when bubblewrap works here and warns when not; `require` refuses then; `off` never does. */
  sandbox?: 'auto' | 'require' | 'off';
}

const RERUN = 'npx course grade --submission <dir>';

/** Parses and checks every option before anything is copied or run, so bad input changes nothing. */
function parseOptions(reference: string, cwd: string, options: GradeOptions) {
  const formats = options.formats.split(',').map((format) => format.trim()) as Format[];
  const unknown = formats.find((format) => !FORMATS.includes(format));
  if (unknown !== undefined) {
    throw new CourseError(
      `Unknown format "${unknown}"; the formats are ${FORMATS.join(', ')}. Run, for example: ${RERUN} --format json,md`,
    );
  }
  const jobs = Number(options.jobs);
  const timeout = Number(options.timeout);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new CourseError(
      `--jobs must be a whole number of at least 1, not "${options.jobs}". Run, for example: ${RERUN} --jobs 2`,
    );
  }
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new CourseError(
      `--timeout is seconds per lab, more than 0, not "${options.timeout}". Run, for example: ${RERUN} --timeout 120`,
    );
  }
  if (options.submissions.length === 0) {
    throw new CourseError(`Name at least one submission folder. Run: ${RERUN}`);
  }
  const submissions = options.submissions.map((dir) => path.resolve(cwd, dir));
  for (const dir of submissions) {
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new CourseError(
        `The submission ${dir} is not a folder; pass the student's workspace folder. Run: ${RERUN}`,
      );
    }
    if (!fs.existsSync(path.join(dir, 'labs'))) {
      throw new CourseError(
        `The submission ${dir} has no labs/ folder, so it is not a course workspace; pass the folder that holds labs/. Run: ${RERUN}`,
      );
    }
  }
  const discovered = discoverLabs(reference).labs;
  const labs =
    options.labs.length > 0
      ? options.labs.map((ref) => {
          const folder = resolveLab(listLabFolders(reference), ref);
          return (
            discovered.find((lab) => lab.folder.name === folder.name) ?? loadLab(reference, folder, RERUN)
          );
        })
      : discovered;
  let expected: Record<string, string>;
  // Built when no manifest is given: the tamper checks compare against it, and the warm-up grades it.
  let edition: Edition | undefined;
  if (options.manifest) {
    const file = path.resolve(cwd, options.manifest);
    if (!fs.existsSync(file)) {
      throw new CourseError(
        `--manifest ${file} does not exist; pass the .course/release-manifest.json of the release you handed out. Run: ${RERUN}`,
      );
    }
    expected = (JSON.parse(fs.readFileSync(file, 'utf8')) as ReleaseManifest).protected;
  } else {
    edition = buildEdition(reference, { labs });
    expected = edition.manifest.protected;
  }
  return {
    formats: [...new Set(formats)],
    jobs,
    timeoutMs: timeout * 1000,
    submissions,
    labs,
    expected,
    edition,
    out: path.resolve(cwd, options.out),
  };
}

/**
 * Grades submissions (student-edition workspaces) against the reference: each lab of each submission is one
 * job; --jobs of them run at a time. Writes the chosen reports and prints one line per submission.
 */
export async function grade(
  reference: string,
  io: Io,
  options: GradeOptions,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<number> {
  const settings = parseOptions(reference, cwd, options);
  const isolation = chooseIsolation(options.sandbox ?? 'auto', env, io);
  const readOnly = isolation.kind === 'bubblewrap' ? dependencyMounts(reference) : [];
  const started = Date.now();
  const referenceFingerprint = fingerprint(reference);
  const hiddenLines = new Map(settings.labs.map((lab) => [lab.id, hiddenTestLines(lab.folder.dir)]));
  const scratchRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'course-grade-'));
  const names = uniqueNames(settings.submissions);
  try {
    const prepared = new Map<
      string,
      Promise<{ work: string; tampering: ReturnType<typeof findTampering>; startedAt: number }>
    >();
    const prepare = (index: number) => {
      const dir = settings.submissions[index]!;
      let ready = prepared.get(dir);
      if (!ready) {
        ready = Promise.resolve().then(() => {
          const startedAt = Date.now();
          const work = path.join(scratchRoot, String(index), 'work');
          const tampering = findTampering(
            dir,
            settings.expected,
            settings.labs.map((lab) => lab.folder.name),
          );
          prepareCopy(dir, reference, work, settings.labs);
          return { work, tampering, startedAt };
        });
        prepared.set(dir, ready);
      }
      return ready;
    };
    const base = { timeoutMs: settings.timeoutMs, env, isolation, readOnly };
    const warmCaches =
      isolation.kind === 'bubblewrap' && settings.submissions.length >= WARM_FROM
        ? await warmUp(
            reference,
            settings.edition ?? buildEdition(reference, { labs: settings.labs }),
            settings,
            path.join(scratchRoot, 'warm'),
            base,
          )
        : new Map<string, string>();
    const jobs = settings.submissions.flatMap((_dir, index) => settings.labs.map((lab) => ({ index, lab })));
    const labGrades = await pool(jobs, settings.jobs, async ({ index, lab }): Promise<LabGrade> => {
      const { work } = await prepare(index);
      const scratch = path.join(scratchRoot, String(index), `lab-${lab.id}`);
      const warmCache = warmCaches.get(lab.id);
      const graded = await gradeLab(work, lab, scratch, {
        ...base,
        hiddenTestLines: hiddenLines.get(lab.id) ?? [],
        ...(warmCache && { warmCache }),
      });
      const running = settings.jobs > 1 ? ' (or a lab run beside it)' : '';
      assertReferenceUnchanged(reference, referenceFingerprint, `${names[index]} lab ${lab.id}${running}`);
      return graded;
    });

    const grades: SubmissionGrade[] = [];
    for (const [index, dir] of settings.submissions.entries()) {
      const labs = labGrades.filter((_grade, position) => jobs[position]!.index === index);
      const { tampering, startedAt } = await prepare(index);
      const score = labs.reduce((sum, lab) => sum + lab.score, 0);
      const maxScore = labs.reduce((sum, lab) => sum + lab.maxScore, 0);
      const status = labs.some((lab) => lab.status === 'error')
        ? 'error'
        : labs.every((lab) => lab.status === 'pass')
          ? 'pass'
          : 'fail';
      grades.push({
        name: names[index]!,
        dir,
        status,
        labs,
        tampering,
        isolation: isolation.kind,
        score,
        maxScore,
        durationMs: Date.now() - startedAt,
      });
    }
    writeReports(grades, settings.formats, settings.out, env);
    report(io, grades, settings, Date.now() - started);
    return 0;
  } finally {
    if (!options.keep) fs.rmSync(scratchRoot, { recursive: true, force: true });
    else io.err(`Kept the graded copies in ${scratchRoot}`);
  }
}

/**
 * From this many submissions on, the grader first grades the untouched student edition of each lab in the
 * sandbox and gives every run a copy of that run's Jest cache: about a second saved per lab run, for one
 * extra run per lab.
 */
const WARM_FROM = 4;

/** The Jest cache of a sandboxed run of each lab's untouched student edition, by lab id. */
async function warmUp(
  reference: string,
  edition: Edition,
  { labs, jobs }: { labs: Lab[]; jobs: number },
  scratch: string,
  settings: Omit<GradeSettings, 'hiddenTestLines'>,
): Promise<Map<string, string>> {
  const editionDir = path.join(scratch, 'edition');
  const work = path.join(scratch, 'work');
  writeEdition(edition, editionDir);
  prepareCopy(editionDir, reference, work, labs);
  const caches = new Map<string, string>();
  await pool(labs, jobs, async (lab) => {
    const labScratch = path.join(scratch, `lab-${lab.id}`);
    await gradeLab(work, lab, labScratch, { ...settings, hiddenTestLines: [] });
    caches.set(lab.id, path.join(labScratch, 'run-1', 'jest-cache'));
  });
  return caches;
}

/** Says how graded code is isolated before anything runs; without a sandbox, warns or (when required) refuses. */
function chooseIsolation(mode: 'auto' | 'require' | 'off', env: NodeJS.ProcessEnv, io: Io): Isolation {
  const isolation: Isolation =
    mode === 'off' ? { kind: 'none', reason: 'you passed --no-sandbox' } : detectSandbox(env);
  if (isolation.kind === 'bubblewrap') {
    io.out(`Grading in an OS sandbox: ${isolation.description}.`);
    return isolation;
  }
  if (mode === 'require') {
    throw new CourseError(
      `--require-sandbox: no OS sandbox is available, because ${isolation.reason}. Grade on Linux with bubblewrap installed, or drop --require-sandbox to grade without isolation.`,
    );
  }
  io.err(
    io.colors.yellow(
      `Warning: grading WITHOUT isolation (${isolation.reason}). Graded code runs as you, with your files and network; a hostile submission can change its own result. Do not trust these scores for assessment; pass --require-sandbox to refuse instead.`,
    ),
  );
  return isolation;
}

function writeReports(
  grades: SubmissionGrade[],
  formats: Format[],
  out: string,
  env: NodeJS.ProcessEnv,
): void {
  fs.mkdirSync(out, { recursive: true });
  for (const grade of grades) {
    const dir = path.join(out, grade.name);
    fs.mkdirSync(dir, { recursive: true });
    if (formats.includes('json'))
      fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(resultsJson(grade), null, 2)}\n`);
    if (formats.includes('junit')) fs.writeFileSync(path.join(dir, 'junit.xml'), junitXml(grade));
    if (formats.includes('md')) fs.writeFileSync(path.join(dir, 'feedback.md'), feedbackMarkdown(grade));
    if (formats.includes('github')) {
      const { base64 } = classroomResult(grade);
      fs.writeFileSync(path.join(dir, 'classroom-result.txt'), `${base64}\n`);
      // In a workflow step, the reporter reads it as the step's `result` output.
      if (env.GITHUB_OUTPUT && grades.length === 1)
        fs.appendFileSync(env.GITHUB_OUTPUT, `result=${base64}\n`);
    }
  }
  if (formats.includes('csv')) fs.writeFileSync(path.join(out, 'gradebook.csv'), gradebookCsv(grades));
}

function report(
  io: Io,
  grades: SubmissionGrade[],
  settings: { out: string; labs: Lab[] },
  durationMs: number,
): void {
  const { colors } = io;
  for (const grade of grades) {
    const mark =
      grade.status === 'pass'
        ? colors.green('✓')
        : grade.status === 'error'
          ? colors.yellow('!')
          : colors.red('✗');
    const labs = grade.labs
      .map(
        (lab) =>
          `${lab.lab.id} ${lab.score}/${lab.maxScore}${lab.tampered ? ' (tampered)' : lab.message ? ' (stopped)' : ''}`,
      )
      .join(', ');
    const tamper =
      grade.tampering.length > 0
        ? colors.red(`  tampered: ${grade.tampering.map((t) => `${t.file} (${t.change})`).join(', ')}`)
        : '';
    io.out(`${mark} ${grade.name}  ${colors.bold(`${grade.score}/${grade.maxScore}`)}  [${labs}]${tamper}`);
  }
  const runs = grades.length * settings.labs.length;
  io.out(
    `Graded ${grades.length} submission${grades.length === 1 ? '' : 's'} (${runs} lab run${runs === 1 ? '' : 's'}) in ${(durationMs / 1000).toFixed(1)} s. ` +
      `Reports: ${settings.out}. Read one with: cat ${path.join(settings.out, grades[0]?.name ?? '', 'feedback.md')}`,
  );
}

/** Report folder names from the submission folders' names, numbered when two are the same. */
function uniqueNames(dirs: string[]): string[] {
  const seen = new Map<string, number>();
  return dirs.map((dir) => {
    const base = path.basename(dir).replace(/[^\w.-]+/g, '-') || 'submission';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}
