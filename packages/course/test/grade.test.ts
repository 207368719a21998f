import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
  ADD_SOLUTION,
  ADD_TEST,
  adderLab,
  copySubmission,
  GREET_SOLUTION,
  linkNodeModules,
} from './support/course-fixture';
import { FixtureWorkspace } from './support/workspace';

// One grading run of ten submissions, then one of a submission that never ends and one that writes into the
// reference: each lab run spawns Jest.
jest.setTimeout(180_000);

interface Results {
  version: number;
  status: string;
  message?: string;
  score: number;
  max_score: number;
  duration: number;
  tampering: { file: string; change: string }[];
  tests: {
    name: string;
    status: string;
    message: string | null;
    task_id?: number;
    task?: string;
    lab: string;
  }[];
  labs: { id: string; tasks: { id: string; status: string; score: number; message?: string }[] }[];
}

const ADD_WRONG = ADD_SOLUTION.replace('return a + b;', 'return a - b;');
const GREET_WRONG = GREET_SOLUTION.replace('return `Hello, ${name}!`;', "return 'Hi';");
const lab = (file: string): string => `labs/01-adder/${file}`;

let course: FixtureWorkspace;
let submissions: string;
let fakeHome: string;
let out: string;
let grading: { status: number | null; stdout: string; stderr: string };

const results = (name: string): Results =>
  JSON.parse(fs.readFileSync(path.join(out, name, 'results.json'), 'utf8')) as Results;
const taskScores = (name: string): Record<string, number> =>
  Object.fromEntries(results(name).labs[0]!.tasks.map((task) => [task.id, task.score]));

beforeAll(() => {
  course = new FixtureWorkspace([adderLab]);
  linkNodeModules(course);
  submissions = fs.mkdtempSync(path.join(os.tmpdir(), 'course-submissions-'));
  fakeHome = fs.mkdtempSync(path.join(os.tmpdir(), 'course-home-'));
  out = path.join(submissions, 'reports');
  const edition = path.join(submissions, 'student');
  expect(course.run(['release', '--out', edition]).status).toBe(0);
  const reference = (name: string, edits: Record<string, string | null>): string =>
    copySubmission(course.root, path.join(submissions, name), edits);

  const graded = [
    edition,
    reference('solved', {}),
    reference('edited-test', {
      [lab('src/add.js')]: ADD_WRONG,
      [lab('test/add.test.js')]: ADD_TEST.replace('toBe(5)', 'toBe(-1)'),
    }),
    reference('jest-config-ignores-tests', {
      [lab('src/add.js')]: ADD_WRONG,
      [lab('jest.config.js')]:
        "module.exports = { testEnvironment: 'node', testPathIgnorePatterns: ['add'] };\n",
    }),
    reference('forcing-test', {
      [lab('src/greet.js')]: GREET_WRONG,
      [lab('test/force.test.js')]: "describe('greet', () => { it('always passes', () => {}); });\n",
    }),
    reference('run-configuration', {
      [lab('src/add.js')]: ADD_WRONG,
      // What Jest, swc and npm read besides the main configuration: each could change how the tests run.
      [lab('.swcrc')]:
        '{ "jsc": { "transform": { "optimizer": { "globals": { "vars": { "it": "it.skip" } } } } } }\n',
      [lab('__mocks__/greet.js')]: "module.exports = { greet: () => 'Hello, Ada!' };\n",
      [lab('src/__mocks__/add.js')]: 'exports.add = (a, b) => a + b;\n',
      ['.npmrc']: 'ignore-scripts=false\n',
    }),
    reference('leaks-hidden-tests', {
      // The error message carries the test file as graded, hidden tests included, on one line (reports show
      // a message's first line).
      [lab('src/add.js')]:
        "exports.add = () => { throw new Error(require('node:fs').readFileSync(require('node:path').join(__dirname, '../test/add.test.js'), 'utf8').replace(/\\n/g, ' ')); };\n",
    }),
    reference('exits', {
      [lab('src/greet.js')]: GREET_SOLUTION.replace('return `Hello', 'process.exit(0);\n  return `Hello'),
    }),
    reference('writes-outside', {
      [lab('src/add.js')]: ADD_SOLUTION.replace(
        'return a + b;',
        "require('node:fs').writeFileSync(require('node:path').join(require('node:os').homedir(), 'escaped.txt'), 'x');\n" +
          "  require('node:fs').writeFileSync(require('node:path').resolve(__dirname, '../../../escaped.txt'), 'x');\n" +
          '  return a + b;',
      ),
    }),
    reference('calls-out', {
      [lab('src/greet.js')]: GREET_SOLUTION.replace(
        'return `Hello, ${name}!`;',
        "require('node:net').connect(80, 'example.com');\n  return `Hello, ${name}!`;",
      ),
    }),
  ];

  grading = course.run(
    ['grade', '--submission', ...graded, '--format', 'json,junit,md,csv,github', '--out', out, '--jobs', '2'],
    { HOME: fakeHome, GITHUB_OUTPUT: '' },
  );
});

afterAll(() => {
  course.remove();
  fs.rmSync(submissions, { recursive: true, force: true });
  fs.rmSync(fakeHome, { recursive: true, force: true });
});

describe('course grade', () => {
  it('prints one line per submission and where the reports are', () => {
    expect(grading.stderr).toBe('');
    expect(grading.status).toBe(0);
    expect(grading.stdout).toContain('✗ student  0/15  [01 0/15]');
    expect(grading.stdout).toContain('✓ solved  15/15  [01 15/15]');
    expect(grading.stdout).toMatch(
      /Graded 10 submissions \(10 lab runs\) in [\d.]+ s\. Reports: .*reports\. Read one with: cat .*student\/feedback\.md/,
    );
  });

  it('scores the student edition below the maximum, every task failing on its stub', () => {
    expect(results('student')).toEqual(
      expect.objectContaining({ version: 3, status: 'fail', score: 0, max_score: 15, tampering: [] }),
    );
    expect(results('student').labs[0]!.tasks[0]!.message).toContain('Task "add" is not implemented yet');
  });

  it('scores the reference solution the maximum, hidden tests included, without calling it tampering', () => {
    const solved = results('solved');

    expect(solved).toEqual(
      expect.objectContaining({ status: 'pass', score: 15, max_score: 15, tampering: [] }),
    );
    expect(solved.tests.map((test) => test.name)).toContain('Lab 01 › add adds negative numbers');
    expect(solved.tests.find((test) => test.name === 'Lab 01 › greet greets by name')).toEqual({
      name: 'Lab 01 › greet greets by name',
      status: 'pass',
      message: null,
      output: null,
      task_id: 2,
      task: 'greet',
      lab: '01',
    });
    expect(solved.duration).toBeGreaterThan(0);
  });

  it('grades an edited test with the official one and reports the edit as tampering', () => {
    expect(taskScores('edited-test')).toEqual({ add: 0, greet: 5 });
    expect(results('edited-test').tampering).toEqual([
      { file: 'labs/01-adder/test/add.test.js', change: 'modified' },
    ]);
    expect(grading.stdout).toContain('tampered: labs/01-adder/test/add.test.js (modified)');
  });

  it('ignores a Jest config that skips tests, and reports it', () => {
    expect(taskScores('jest-config-ignores-tests')).toEqual({ add: 0, greet: 5 });
    expect(results('jest-config-ignores-tests').tampering).toEqual([
      { file: 'labs/01-adder/jest.config.js', change: 'modified' },
    ]);
  });

  it('drops an added test that would force a pass, and reports it', () => {
    expect(taskScores('forcing-test')).toEqual({ add: 10, greet: 0 });
    expect(results('forcing-test').tampering).toEqual([
      { file: 'labs/01-adder/test/force.test.js', change: 'added' },
    ]);
  });

  it('removes the run configuration a submission adds (.swcrc, __mocks__, .npmrc), and reports each file', () => {
    expect(taskScores('run-configuration')).toEqual({ add: 0, greet: 5 });
    expect(results('run-configuration').tampering).toEqual([
      { file: '.npmrc', change: 'added' },
      { file: 'labs/01-adder/__mocks__/greet.js', change: 'added' },
      { file: 'labs/01-adder/.swcrc', change: 'added' },
      { file: 'labs/01-adder/src/__mocks__/add.js', change: 'added' },
    ]);
  });

  it('never hands back a hidden test, even when graded code puts one in its error message', () => {
    const feedback = fs.readFileSync(path.join(out, 'leaks-hidden-tests', 'feedback.md'), 'utf8');
    const reports = ['results.json', 'junit.xml', 'classroom-result.txt'].map((file) =>
      fs.readFileSync(path.join(out, 'leaks-hidden-tests', file), 'utf8'),
    );

    expect(taskScores('leaks-hidden-tests')).toEqual({ add: 0, greet: 5 });
    expect(feedback).toContain('the message is withheld: it quotes a hidden test');
    // A hidden test's name may show; its source never does.
    for (const text of [feedback, ...reports]) expect(text).not.toContain('add(-2, -3)');
  });

  it('scores 0 for a task whose code calls process.exit, and keeps the other tasks', () => {
    expect(taskScores('exits')).toEqual({ add: 10, greet: 0 });
  });

  it('keeps writes outside the workspace away from the grader and the submission', () => {
    expect(taskScores('writes-outside')).toEqual({ add: 10, greet: 5 });
    expect(fs.existsSync(path.join(fakeHome, 'escaped.txt'))).toBe(false);
    expect(fs.readdirSync(path.join(submissions, 'writes-outside'))).not.toContain('escaped.txt');
    expect(fs.existsSync(path.join(submissions, 'escaped.txt'))).toBe(false);
  });

  it('blocks the network: a connection to another host throws', () => {
    expect(taskScores('calls-out')).toEqual({ add: 10, greet: 0 });
    expect(results('calls-out').labs[0]!.tasks[1]!.message).toContain(
      'Network access to example.com is blocked while grading',
    );
  });

  it('writes JUnit XML with a suite per lab and an integrity suite for tampering', () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(
      fs.readFileSync(path.join(out, 'edited-test', 'junit.xml'), 'utf8'),
    ) as { testsuites: { '@_failures': string; testsuite: { '@_name': string; '@_failures': string }[] } };

    expect(xml.testsuites.testsuite.map((suite) => [suite['@_name'], suite['@_failures']])).toEqual([
      ['Lab 01 Adder', '2'],
      ['integrity', '1'],
    ]);
  });

  it('writes Markdown feedback that names the failing task and the hint command', () => {
    const feedback = fs.readFileSync(path.join(out, 'edited-test', 'feedback.md'), 'utf8');

    expect(feedback).toContain('**Score: 5/15**');
    expect(feedback).toContain('| `add` Add two numbers | 0/10 | ❌ failed |');
    expect(feedback).toContain('Stuck? Run `npx course hint 01 add`');
    expect(feedback).toContain(
      '> **Integrity:** Protected files differ from the release: labs/01-adder/test/add.test.js (modified)',
    );
  });

  it('writes a CSV gradebook with a row per submission', () => {
    const rows = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trimEnd().split('\n');

    expect(rows[0]).toBe('submission,lab 01 (of 15),score,max_score,status,tampered_files');
    expect(rows).toContain('solved,15,15,15,pass,');
    expect(rows).toContain('edited-test,5,5,15,fail,labs/01-adder/test/add.test.js (modified)');
    expect(rows).toHaveLength(11);
  });

  it("writes GitHub Classroom's runner result: base64 JSON, one test per task with its score", () => {
    const encoded = fs.readFileSync(path.join(out, 'forcing-test', 'classroom-result.txt'), 'utf8').trim();

    const decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
      version: number;
      max_score: number;
      tests: { name: string; status: string; score: number }[];
    };

    expect(decoded.version).toBe(1);
    expect(decoded.max_score).toBe(15);
    expect(decoded.tests.map((test) => [test.name, test.status, test.score])).toEqual([
      ['Lab 01 add: Add two numbers', 'pass', 10],
      ['Lab 01 greet: Greet by name', 'fail', 0],
      ['Integrity: protected files unchanged', 'fail', 0],
    ]);
  });
});

describe('course grade on a submission that never finishes', () => {
  it('stops the lab at its time limit, scores the finished task, and writes the step output', () => {
    const looping = copySubmission(course.root, path.join(submissions, 'loops'), {
      [lab('src/add.js')]: ADD_SOLUTION.replace('return a + b;', 'while (true) {}'),
    });
    const githubOutput = path.join(submissions, 'github-output.txt');
    const started = Date.now();

    const result = course.run(
      ['grade', '--submission', looping, '--timeout', '8', '--format', 'json,github', '--out', out],
      { HOME: fakeHome, GITHUB_OUTPUT: githubOutput },
    );

    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(taskScores('loops')).toEqual({ add: 0, greet: 5 });
    const add = results('loops').labs[0]!.tasks[0]!;
    expect(add.status).toBe('error');
    expect(add.message).toBe('its tests did not report: the run was stopped after the 8 s time limit');
    expect(results('loops').status).toBe('fail');
    expect(fs.readFileSync(githubOutput, 'utf8')).toMatch(/^result=[A-Za-z0-9+/]+=*\n$/);
  });
});

describe('course grade on a submission that writes into the reference checkout', () => {
  it('stops grading, names the changed file, and grades nothing after it', () => {
    const reference = new FixtureWorkspace([adderLab]);
    linkNodeModules(reference);
    try {
      const target = path.join(reference.root, lab('test/add.test.js'));
      const original = fs.readFileSync(target, 'utf8');
      // Graded code runs as the grader's user: here it finds the reference by its path and weakens a test.
      const writer = copySubmission(reference.root, path.join(submissions, 'writes-reference'), {
        [lab('src/add.js')]: ADD_SOLUTION.replace(
          'return a + b;',
          `require('node:fs').appendFileSync(${JSON.stringify(target)}, '\\n// weakened\\n');\n  return a + b;`,
        ),
      });
      const innocent = copySubmission(reference.root, path.join(submissions, 'after-the-writer'));
      const reports = path.join(submissions, 'reference-reports');

      const result = reference.run(
        ['grade', '--submission', writer, innocent, '--format', 'json', '--out', reports, '--jobs', '1'],
        { HOME: fakeHome },
      );

      expect(result.status).toBe(2);
      expect(result.stderr).toContain(
        'The reference checkout changed while grading writes-reference lab 01: labs/01-adder/test/add.test.js.',
      );
      expect(result.stderr).toContain('git checkout -- <file>');
      expect(fs.existsSync(path.join(reports, 'after-the-writer'))).toBe(false);
      expect(fs.readFileSync(target, 'utf8')).not.toBe(original);
    } finally {
      reference.remove();
    }
  });
});
