import { XMLBuilder } from 'fast-xml-parser';
import type { LabGrade, SubmissionGrade } from './grade-submission';

export const FORMATS = ['json', 'junit', 'md', 'csv', 'github'] as const;
export type Format = (typeof FORMATS)[number];

const MAX_MESSAGE = 2000;

function truncate(text: string | undefined, limit = MAX_MESSAGE): string | undefined {
  if (text === undefined) return undefined;
  return text.length > limit ? `${text.slice(0, limit)}… [truncated]` : text;
}

function tamperingMessage(grade: SubmissionGrade): string | undefined {
  if (grade.tampering.length === 0) return undefined;
  const files = grade.tampering.map((t) => `${t.file} (${t.change})`).join(', ');
  return `Protected files differ from the release: ${files}. They were replaced by the official versions for grading.`;
}

/**
 * Exercism's test-runner interface v3 (version, status, message, tests[]) with the course's additions:
 * score, max_score, duration in seconds, the tampering found, and each lab's summary. `task_id` is the task's
 * 1-based number in its lab, as Exercism defines it; `lab` and `task` name it.
 */
export function resultsJson(grade: SubmissionGrade): object {
  const messages = [
    tamperingMessage(grade),
    ...grade.labs.map((lab) => lab.message && `Lab ${lab.lab.id}: ${lab.message}`),
  ].filter((text): text is string => Boolean(text));
  return {
    version: 3,
    status: grade.status,
    ...(messages.length > 0 && { message: messages.join('\n') }),
    tests: grade.labs.flatMap((lab) =>
      lab.tests.map((test) => ({
        name: `Lab ${lab.lab.id} › ${test.name}`,
        status: test.status,
        message: truncate(test.message) ?? null,
        output: null,
        ...(test.task !== undefined && {
          task_id: lab.lab.tasks.findIndex((task) => task.id === test.task) + 1,
          task: test.task,
        }),
        lab: lab.lab.id,
      })),
    ),
    score: grade.score,
    max_score: grade.maxScore,
    duration: round(grade.durationMs / 1000),
    tampering: grade.tampering,
    isolation: grade.isolation,
    labs: grade.labs.map((lab) => ({
      id: lab.lab.id,
      title: lab.lab.title,
      status: lab.status,
      ...(lab.message && { message: lab.message }),
      score: lab.score,
      max_score: lab.maxScore,
      duration: round(lab.durationMs / 1000),
      tasks: lab.tasks.map((task) => ({
        id: task.task.id,
        title: task.task.title,
        status: task.status,
        score: task.earned,
        max_score: task.task.points,
        ...(task.message && { message: truncate(task.message) }),
      })),
    })),
  };
}

/** JUnit XML: one testsuite per lab, one testcase per test, and an integrity suite when files were tampered. */
export function junitXml(grade: SubmissionGrade): string {
  const suites = grade.labs.map((lab) => labSuite(lab));
  if (grade.tampering.length > 0) {
    suites.push({
      '@_name': 'integrity',
      '@_tests': grade.tampering.length,
      '@_failures': grade.tampering.length,
      '@_errors': 0,
      testcase: grade.tampering.map((t) => ({
        '@_classname': 'integrity',
        '@_name': t.file,
        failure: {
          '@_message': `protected file ${t.change}`,
          '#text': `${t.file} was ${t.change} in the submission`,
        },
      })),
    });
  }
  const count = (key: '@_tests' | '@_failures' | '@_errors'): number =>
    suites.reduce((sum, suite) => sum + Number(suite[key]), 0);
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': grade.name,
      '@_tests': count('@_tests'),
      '@_failures': count('@_failures'),
      '@_errors': count('@_errors'),
      '@_time': round(grade.durationMs / 1000),
      testsuite: suites,
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
    processEntities: true,
  });
  return builder.build(document);
}

interface SuiteNode {
  '@_name': string;
  '@_tests': number;
  '@_failures': number;
  '@_errors': number;
  '@_time'?: number;
  testcase: object[];
}

function labSuite(lab: LabGrade): SuiteNode {
  const testcase = lab.tests.map((test) => ({
    '@_classname': `lab-${lab.lab.id}${test.task ? `.${test.task}` : ''}`,
    '@_name': test.name,
    ...(test.status === 'fail' && {
      failure: { '@_message': firstLine(test.message), '#text': truncate(test.message) ?? '' },
    }),
    ...(test.status === 'error' && {
      error: { '@_message': firstLine(test.message), '#text': truncate(test.message) ?? '' },
    }),
  }));
  return {
    '@_name': `Lab ${lab.lab.id} ${lab.lab.title}`,
    '@_tests': testcase.length,
    '@_failures': lab.tests.filter((test) => test.status === 'fail').length,
    '@_errors': lab.tests.filter((test) => test.status === 'error').length,
    '@_time': round(lab.durationMs / 1000),
    testcase,
  };
}

/** Feedback for the student: score, then per lab each task with the first reason it failed and a hint command. */
export function feedbackMarkdown(grade: SubmissionGrade): string {
  const lines = [`# Grading feedback: ${grade.name}`, '', `**Score: ${grade.score}/${grade.maxScore}**`, ''];
  const tamper = tamperingMessage(grade);
  if (tamper)
    lines.push(
      `> **Integrity:** ${tamper} Restore them with \`git checkout -- <file>\` before you submit again.`,
      '',
    );
  for (const lab of grade.labs) {
    lines.push(`## Lab ${lab.lab.id}: ${lab.lab.title} (${lab.score}/${lab.maxScore})`, '');
    if (lab.message) lines.push(`> ${lab.message}`, '');
    lines.push('| Task | Points | Result |', '| --- | ---: | --- |');
    for (const task of lab.tasks) {
      const mark =
        task.status === 'pass' ? '✅ passed' : task.status === 'error' ? '⚠️ no result' : '❌ failed';
      lines.push(
        `| \`${task.task.id}\` ${escapeCell(task.task.title)} | ${task.earned}/${task.task.points} | ${mark} |`,
      );
    }
    const failed = lab.tasks.filter((task) => task.status !== 'pass');
    if (failed.length > 0) {
      lines.push('');
      for (const task of failed) {
        lines.push(
          `- **${task.task.id}**: ${escapeCell(firstLine(task.message) ?? 'failed')}. Stuck? Run \`npx course hint ${lab.lab.id} ${task.task.id}\``,
        );
      }
    }
    lines.push('');
  }
  lines.push(`Check your work locally with \`npx course check <lab>\` before you submit again.`, '');
  return lines.join('\n');
}

/** One row per submission: each lab's score, the total, and the tampered files, for a spreadsheet. */
export function gradebookCsv(grades: SubmissionGrade[]): string {
  const labs = grades[0]?.labs.map((lab) => lab.lab) ?? [];
  const header = [
    'submission',
    ...labs.map((lab) => `lab ${lab.id} (of ${lab.tasks.reduce((sum, task) => sum + task.points, 0)})`),
    'score',
    'max_score',
    'status',
    'tampered_files',
  ];
  const rows = grades.map((grade) => [
    grade.name,
    ...labs.map((lab) => String(grade.labs.find((graded) => graded.lab.id === lab.id)?.score ?? '')),
    String(grade.score),
    String(grade.maxScore),
    grade.status,
    grade.tampering.map((t) => `${t.file} (${t.change})`).join('; '),
  ]);
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/**
 * GitHub Classroom's autograding runner result, which education/autograding-grading-reporter decodes from
 * the `<RUNNER>_RESULTS` environment variable (base64 JSON) and sums `tests[].score` against `max_score`.
 * One test per task; tampering adds a failing integrity test worth nothing.
 */
export function classroomResult(grade: SubmissionGrade): { json: object; base64: string } {
  const tests = grade.labs.flatMap((lab) =>
    lab.tasks.map((task) => ({
      name: `Lab ${lab.lab.id} ${task.task.id}: ${task.task.title}`,
      status: task.status,
      score: task.earned,
      max_score: task.task.points,
      message: truncate(task.message, 500) ?? '',
      test_code: `npx course check ${lab.lab.id}`,
      filename: `labs/${lab.lab.folder.name}/lab.json`,
      line_no: 0,
      duration: round(lab.durationMs / 1000),
    })),
  );
  const tamper = tamperingMessage(grade);
  if (tamper) {
    tests.push({
      name: 'Integrity: protected files unchanged',
      status: 'fail',
      score: 0,
      max_score: 0,
      message: tamper,
      test_code: '',
      filename: '',
      line_no: 0,
      duration: 0,
    });
  }
  const json = { version: 1, status: grade.status, max_score: grade.maxScore, tests };
  return { json, base64: Buffer.from(JSON.stringify(json)).toString('base64') };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function firstLine(text: string | undefined): string | undefined {
  return text
    ?.split('\n')
    .find((line) => line.trim() !== '')
    ?.trim();
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
