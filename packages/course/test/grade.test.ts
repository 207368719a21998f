import { randomBytes } from 'node:crypto';
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
  labs: {
    id: string;
    status: string;
    message?: string;
    tasks: { id: string; status: string; score: number; message?: string }[];
  }[];
}

const ADD_WRONG = ADD_SOLUTION.replace('return a + b;', 'return a - b;');
const GREET_WRONG = GREET_SOLUTION.replace('return `Hello, ${name}!`;', "return 'Hi';");
const lab = (file: string): string => `labs/01-adder/${file}`;

let course: FixtureWorkspace;
let submissions: string;
let fakeHome: string;
let out: string;
let grading: { status: number | null; stdout: string; stderr: string };
/** In the grader's environment only: no report may ever show it. */
const SECRET = `grader-secret-${randomBytes(6).toString('hex')}`;
/** Command lines of the processes graded code leaves behind, to look for after grading. */
const LEFT_BEHIND = '61.4321';
const FORKED = '62.4321';
const ESCAPED_TMP = path.join('/tmp', `course-escaped-${randomBytes(6).toString('hex')}`);
/** The student edition's add, as every attack below leaves it: nothing of the task is solved. */
const STUB = "exports.add = () => { throw new Error('not implemented yet'); };\n";

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
  // A hostile student: the student edition, unsolved, with `code` run whenever the tests load src/add.js.
  const attack = (name: string, code: string): string =>
    copySubmission(edition, path.join(submissions, name), { [lab('src/add.js')]: `${code}\n${STUB}` });
  const realm = "const fs = require('node:fs'); const outer = fs.readFileSync.constructor;";
  const passedTests = (file: string, describe: string, titles: string[]) =>
    `{ name: require('node:path').join(__dirname, '../test/${file}'), status: 'passed', message: '', console: [], assertionResults: ${JSON.stringify(
      titles.map((title) => ({
        ancestorTitles: [describe],
        title,
        fullName: `${describe} ${title}`,
        status: 'passed',
        failureMessages: [],
      })),
    )} }`;

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
          `  require('node:fs').writeFileSync(${JSON.stringify(ESCAPED_TMP)}, 'x');\n` +
          '  return a + b;',
      ),
    }),
    reference('calls-out', {
      [lab('src/greet.js')]: GREET_SOLUTION.replace(
        'return `Hello, ${name}!`;',
        "require('node:net').connect(80, 'example.com');\n  return `Hello, ${name}!`;",
      ),
    }),
    // The attacks of the grading issue, each on top of the untouched student edition: each must score what the
    // honest stub scores (0) or be reported as tampering.
    attack(
      'rewrites-jest-output',
      `${realm} const p = outer('return process')(); const at = p.argv.indexOf('--outputFile');
       if (at > 0) p.on('exit', () => fs.writeFileSync(p.argv[at + 1], JSON.stringify({ success: true, numFailedTests: 0, testResults: [] })));`,
    ),
    attack(
      'forges-result-lines',
      `const fs = require('node:fs');
       for (const fd of [3, 4, 5]) { try { fs.writeSync(fd, JSON.stringify(${passedTests('add.test.js', 'add', ['adds two numbers', 'adds negative numbers'])}) + '\\n'); } catch {} }`,
    ),
    attack(
      'flips-every-result',
      // Rewrites what the runner's own reporter sends, through the runner's realm: every test passed.
      `${realm} const J = outer('return JSON')(); const stringify = J.stringify;
       J.stringify = (value, ...rest) => stringify(value, (key, v) => key === 'status' && v === 'failed' ? 'passed' : key === 'failureMessages' ? [] : v, ...rest);`,
    ),
    attack(
      'imports-the-reference',
      `module.exports = require(${JSON.stringify(path.join(course.root, lab('src/add.js')))});`,
    ),
    attack(
      'imports-another-submission',
      `module.exports = require(${JSON.stringify(path.join(submissions, 'solved', lab('src/add.js')))});`,
    ),
    attack('replaces-expect', 'globalThis.expect = () => new Proxy({}, { get: () => () => undefined });'),
    attack('extends-expect', "expect.extend({ toBe: () => ({ pass: true, message: () => '' }) });"),
    attack(
      'leaves-a-process',
      `require('node:child_process').spawn('sleep', ['${LEFT_BEHIND}'], { detached: true, stdio: 'ignore' }).on('error', () => {}).unref();`,
    ),
    attack(
      'forks-in-a-loop',
      `const { spawn } = require('node:child_process');
       for (let i = 0; i < 700; i++) { try { spawn('sleep', ['${FORKED}'], { stdio: 'ignore' }).on('error', () => {}); } catch {} }`,
    ),
    attack(
      'reads-the-grader-environment',
      // Everything a process can read of its own and others' environments, thrown back as the failure.
      `const fs = require('node:fs'); let seen = JSON.stringify(process.env);
       for (const pid of fs.readdirSync('/proc').filter((name) => /^\\d+$/.test(name))) { try { seen += fs.readFileSync('/proc/' + pid + '/environ', 'utf8'); } catch {} }
       exports.seen = seen; throw new Error(seen.replace(/\\0|\\n/g, ' '));`,
    ),
    attack(
      'fills-the-disk',
      `const fs = require('node:fs'); const block = Buffer.alloc(1 << 20); const fd = fs.openSync(require('node:path').join(__dirname, 'filler'), 'w');
       for (let i = 0; i < 300; i++) fs.writeSync(fd, block);`,
    ),
  ];

  grading = course.run(
    ['grade', '--submission', ...graded, '--format', 'json,junit,md,csv,github', '--out', out, '--jobs', '2'],
    { HOME: fakeHome, GITHUB_OUTPUT: '', COURSE_GRADER_SECRET: SECRET },
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
    expect(grading.stdout).toContain(
      'Grading in an OS sandbox: bubblewrap: own user, PID and network namespaces',
    );
    expect(grading.stdout).toContain('✗ student  0/15  [01 0/15]');
    expect(grading.stdout).toContain('✓ solved  15/15  [01 15/15]');
    expect(grading.stdout).toMatch(
      /Graded 21 submissions \(21 lab runs\) in [\d.]+ s\. Reports: .*reports\. Read one with: cat .*student\/feedback\.md/,
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
    expect(rows).toHaveLength(22);
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

describe('course grade against hostile submissions', () => {
  const labResult = (name: string) => results(name).labs[0]!;
  const processesRunning = (argument: string): number[] =>
    fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(argument);
        } catch {
          return false;
        }
      })
      .map(Number);

  it('stops a run that writes past the file-size limit, and says what stopped it', () => {
    expect(taskScores('fills-the-disk')).toEqual({ add: 0, greet: 0 });
    expect(labResult('fills-the-disk').message).toMatch(/^the test process was killed by SIGXFSZ/);
  });

  it.each(['rewrites-jest-output', 'imports-the-reference', 'imports-another-submission'])(
    '%s scores what the untouched student edition scores',
    (name) => {
      expect(taskScores(name)).toEqual({ add: 0, greet: 0 });
      expect(results(name).score).toBe(0);
    },
  );

  it.each([
    ['forges-result-lines', /reported its results twice/],
    ['flips-every-result', /a test the grader planted to fail \(test\/[0-9a-f]{12}\.test\.js\) passed/],
    ['replaces-expect', /the test globals were replaced: expect/],
    ['extends-expect', /expect's matchers were changed/],
  ])('%s is reported as tampering and scores nothing', (name, problem) => {
    expect(taskScores(name)).toEqual({ add: 0, greet: 0 });
    expect(labResult(name).status).toBe('error');
    expect(labResult(name).message).toMatch(/^not graded: its test results were tampered with \(/);
    expect(labResult(name).message).toMatch(problem);
    expect(grading.stdout).toContain(`! ${name}  0/15  [01 0/15 (tampered)]`);
  });

  it('hands back no canary: the planted tests show in no report', () => {
    const reports = ['results.json', 'junit.xml', 'feedback.md'].map((file) =>
      fs.readFileSync(path.join(out, 'solved', file), 'utf8'),
    );
    for (const text of reports) expect(text).not.toMatch(/[0-9a-f]{12}\.test\.js/);
    // Jest orders the files by what it knows of their past durations: only the set is fixed.
    expect(
      results('solved')
        .tests.map((test) => test.name)
        .sort(),
    ).toEqual([
      'Lab 01 › add adds negative numbers',
      'Lab 01 › add adds two numbers',
      'Lab 01 › greet greets by name',
    ]);
  });

  it('leaves nothing running: a detached child and a fork loop die with the run', () => {
    expect(taskScores('leaves-a-process')).toEqual({ add: 0, greet: 0 });
    expect(taskScores('forks-in-a-loop')).toEqual({ add: 0, greet: 0 });
    expect(processesRunning(LEFT_BEHIND)).toEqual([]);
    expect(processesRunning(FORKED)).toEqual([]);
  });

  it("shows graded code none of the grader's environment, its own or through /proc", () => {
    expect(taskScores('reads-the-grader-environment')).toEqual({ add: 0, greet: 0 });
    const reports = fs.readdirSync(path.join(out, 'reads-the-grader-environment'));
    for (const file of reports) {
      expect(fs.readFileSync(path.join(out, 'reads-the-grader-environment', file), 'utf8')).not.toContain(
        SECRET,
      );
    }
    expect(JSON.stringify(results('reads-the-grader-environment'))).toContain('not implemented yet');
  });

  it('keeps a write to the system temporary folder inside the sandbox', () => {
    expect(taskScores('writes-outside')).toEqual({ add: 10, greet: 5 });
    expect(fs.existsSync(ESCAPED_TMP)).toBe(false);
  });

  it('records that the run was isolated', () => {
    expect(results('solved')).toEqual(expect.objectContaining({ isolation: 'bubblewrap' }));
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
  let reference: FixtureWorkspace;
  let target: string;
  let original: string;
  let writer: string;
  let innocent: string;

  beforeAll(() => {
    reference = new FixtureWorkspace([adderLab]);
    linkNodeModules(reference);
    target = path.join(reference.root, lab('test/add.test.js'));
    original = fs.readFileSync(target, 'utf8');
    // Graded code finds the reference by its path and weakens a test.
    writer = copySubmission(reference.root, path.join(submissions, 'writes-reference'), {
      [lab('src/add.js')]: ADD_SOLUTION.replace(
        'return a + b;',
        `require('node:fs').appendFileSync(${JSON.stringify(target)}, '\\n// weakened\\n');\n  return a + b;`,
      ),
    });
    innocent = copySubmission(reference.root, path.join(submissions, 'after-the-writer'));
  });

  afterAll(() => reference.remove());

  it('in the sandbox, the reference is not there to write to, and the next student is graded as usual', () => {
    const reports = path.join(submissions, 'sandboxed-reports');

    const result = reference.run(
      ['grade', '--submission', writer, innocent, '--format', 'json', '--out', reports, '--jobs', '1'],
      { HOME: fakeHome },
    );

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe(original);
    const scores = (name: string) =>
      (JSON.parse(fs.readFileSync(path.join(reports, name, 'results.json'), 'utf8')) as Results).labs[0]!
        .tasks;
    expect(scores('writes-reference')[0]).toEqual(expect.objectContaining({ id: 'add', score: 0 }));
    expect(scores('writes-reference')[0]!.message).toContain('ENOENT');
    expect(scores('after-the-writer').map((task) => task.score)).toEqual([10, 5]);
  });

  it('with --no-sandbox, warns, then stops grading at the change, names the file, and grades nothing after it', () => {
    const reports = path.join(submissions, 'reference-reports');

    const result = reference.run(
      [
        'grade',
        '--no-sandbox',
        '--submission',
        writer,
        innocent,
        '--format',
        'json',
        '--out',
        reports,
        '--jobs',
        '1',
      ],
      { HOME: fakeHome },
    );

    expect(result.stderr).toContain(
      'Warning: grading WITHOUT isolation (you passed --no-sandbox). Graded code runs as you',
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'The reference checkout changed while grading writes-reference lab 01: labs/01-adder/test/add.test.js.',
    );
    expect(result.stderr).toContain('git checkout -- <file>');
    expect(fs.existsSync(path.join(reports, 'after-the-writer'))).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).not.toBe(original);
  });
});

describe('course grade --require-sandbox where there is no sandbox', () => {
  it('refuses before grading anything, and says why and what to do', () => {
    const reports = path.join(submissions, 'refused-reports');
    // A PATH without bubblewrap stands in for a machine that lacks it.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'course-no-bwrap-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));

    const result = course.run(
      ['grade', '--require-sandbox', '--submission', path.join(submissions, 'solved'), '--out', reports],
      { HOME: fakeHome, PATH: bin },
    );
    fs.rmSync(bin, { recursive: true, force: true });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--require-sandbox: no OS sandbox is available, because bubblewrap is not installed (Debian and Ubuntu: apt-get install bubblewrap).',
    );
    expect(fs.existsSync(reports)).toBe(false);
  });
});
