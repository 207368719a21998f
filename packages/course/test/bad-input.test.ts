import { fixtureWorkspaces } from './support/cleanup';
import { manifest, testFile, type FixtureLab } from './support/workspace';

// Two of these cases spawn Jest, which takes a second or two.
jest.setTimeout(30_000);

const workspace = fixtureWorkspaces();

const helloLab: FixtureLab = {
  folder: '01-hello-lambda',
  tasks: [
    { id: 'greet', tests: ['greet'] },
    { id: 'read-name', tests: ['read name'] },
  ],
  files: { 'test/greet.test.js': testFile('greet', { 'says hello': 'passes' }) },
};
const validProgress = JSON.stringify({ version: 1, labs: { '01': { tasks: { greet: { hintsShown: 1 } } } } });

interface BadInput {
  problem: string;
  labs?: FixtureLab[];
  args: string[];
  /** progress.json's text before the command; undefined means there is none. */
  progress?: string;
  error: string;
}

const withManifest = (text: string): FixtureLab[] => [{ ...helloLab, manifestText: text }];
const helloManifest = manifest(helloLab) as { tasks: object[] };

const cases: BadInput[] = [
  {
    problem: 'an unknown command',
    args: ['chek', '01'],
    error:
      'Unknown command "chek"; the commands are list, check, watch, hint, reset, release, doctor, grade. ' +
      'See them with: npx course --help',
  },
  {
    problem: 'a missing argument',
    args: ['hint', '01'],
    progress: validProgress,
    error: "Missing required argument 'task'. See the usage with: npx course --help",
  },
  {
    problem: 'an unknown lab',
    args: ['check', '9'],
    error: 'There is no lab "9"; the labs are 01 (hello-lambda). See them all with: npx course list',
  },
  {
    problem: 'an unknown task',
    args: ['hint', '01', 'greeet'],
    progress: validProgress,
    error:
      'Lab 01 has no task "greeet"; its tasks are greet, read-name. Run, for example: npx course hint 01 greet',
  },
  {
    problem: 'a lab folder without lab.json',
    labs: [{ ...helloLab, manifestText: null }],
    args: ['list'],
    error:
      'labs/01-hello-lambda/lab.json is missing; every lab folder needs a lab.json manifest ' +
      '(id, title, objectives, tasks). Add it, then run: npx course list',
  },
  {
    problem: 'a lab.json that is not JSON',
    labs: withManifest('{\n  "id": "01",\n  "title": "Hello"\n  "objectives": []\n}\n'),
    args: ['check', '01'],
    progress: validProgress,
    error:
      "labs/01-hello-lambda/lab.json: is not valid JSON (Expected ',' or '}' after property value at line 4, " +
      'column 3). Fix the file, then run: npx course check 01',
  },
  {
    problem: 'a lab.json that breaks the schema',
    labs: withManifest(
      JSON.stringify({
        ...helloManifest,
        tasks: [...helloManifest.tasks, { ...helloManifest.tasks[0], points: 'ten' }],
      }),
    ),
    args: ['list'],
    error:
      'labs/01-hello-lambda/lab.json: tasks[2].points must be integer; expected a whole number of points of at ' +
      'least 1, for example 10. Fix the file, then run: npx course list',
  },
  {
    problem: "a lab.json whose id is not the folder's number",
    labs: withManifest(JSON.stringify({ ...helloManifest, id: '02' })),
    args: ['hint', '01', 'greet'],
    error:
      'labs/01-hello-lambda/lab.json: id is "02" but the folder\'s prefix is "01"; expected two digits equal to ' +
      'the folder\'s NN prefix, for example "01" in labs/01-hello-lambda. Fix the file, then run: ' +
      'npx course hint 01 greet',
  },
  {
    problem: 'a corrupt progress file',
    args: ['check', '01'],
    progress: '{"version": 1, "labs": ',
    error:
      '.course/progress.json is corrupt (not valid JSON: Unexpected end of JSON input at line 1, column 24); ' +
      'delete it to start a fresh record (check results and hint counts are forgotten), then run: ' +
      'npx course check 01',
  },
  {
    problem: 'a lab without test files',
    labs: [{ ...helloLab, files: {} }],
    args: ['check', '01'],
    progress: validProgress,
    error:
      'labs/01-hello-lambda has no test files (its jest.config.js testMatch found none), so there is nothing to ' +
      "check; add the lab's tests under labs/01-hello-lambda/test, then run: npx course check 01",
  },
  {
    problem: 'a task whose tests match no test',
    args: ['check', '01'],
    error:
      'labs/01-hello-lambda/lab.json: tasks[1].tests lists "read name" (task "read-name"), but no test file or ' +
      'test name that Jest ran matches it; expected the tests that check the task: test files relative to the ' +
      'lab folder ("test/unit/hello.test.ts") or Jest test names (a describe block\'s title checks every test ' +
      'inside it). Fix the file, then run: npx course check 01',
  },
  {
    problem: 'an unknown report format',
    args: ['grade', '--submission', '.', '--format', 'json,pdf'],
    error:
      'Unknown format "pdf"; the formats are json, junit, md, csv, github. Run, for example: ' +
      'npx course grade --submission <dir> --format json,md',
  },
  {
    problem: 'a job count that is not a number',
    args: ['grade', '--submission', '.', '--jobs', 'many'],
    error:
      '--jobs must be a whole number of at least 1, not "many". Run, for example: npx course grade --submission <dir> --jobs 2',
  },
  {
    problem: 'a submission that is not a course workspace',
    args: ['grade', '--submission', 'labs'],
    error:
      'The submission <root>/labs has no labs/ folder, so it is not a course workspace; pass the folder that holds labs/. Run: npx course grade --submission <dir>',
  },
  {
    problem: 'grading without a submission',
    args: ['grade'],
    error: "Required option '--submission <dirs...>' not specified. See the usage with: npx course --help",
  },
  {
    problem: 'resetting an unknown task',
    args: ['reset', '01', 'greeet'],
    error:
      'Lab 01 has no task "greeet"; its tasks are greet, read-name. Run, for example: npx course reset 01 greet',
  },
  {
    problem: 'resetting outside a student edition',
    args: ['reset', '01'],
    error:
      '.course/release-manifest.json is missing, so there is no starter to go back to (reset works in a student edition made by course release); ' +
      'restore it from your course repository (git checkout -- .course/release-manifest.json), then run: npx course reset 01',
  },
  {
    problem: 'a doctor time limit that is not a number',
    args: ['doctor', '--timeout', '0'],
    error:
      '--timeout is seconds per lab run, more than 0, not "0". Run, for example: npx course doctor --timeout 300',
  },
];

describe('bad input', () => {
  it.each(cases)('$problem is one line naming the fix, exit code 2, and nothing written', (badInput) => {
    const course = workspace(badInput.labs ?? [helloLab]);
    if (badInput.progress !== undefined) course.writeProgress(badInput.progress);

    const result = course.run(badInput.args);

    expect(result.stderr).toBe(`${badInput.error.replace('<root>', course.root)}\n`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
    if (badInput.progress === undefined) expect(course.hasProgress()).toBe(false);
    else expect(course.readFile('.course/progress.json')).toBe(badInput.progress);
  });
});
