import type { SuiteResult, TestOutcome } from '../src/jest-report';
import type { Task } from '../src/lab-manifest';
import { mapResultsToTasks } from '../src/task-results';

const task = (id: string, tests: string[]): Task => ({
  id,
  title: id,
  points: 10,
  tests,
  hints: ['hint'],
  dependsOn: [],
});
const passing = (fullName: string): TestOutcome => ({ fullName, status: 'passed' });
const failing = (fullName: string, failure = 'Expected: 2'): TestOutcome => ({
  fullName,
  status: 'failed',
  failure,
});

describe('mapResultsToTasks', () => {
  it('matches a test file path to every test in that file', () => {
    const suites: SuiteResult[] = [{ file: 'test/unit/hello.test.ts', tests: [passing('a'), failing('b')] }];

    const results = mapResultsToTasks([task('hello', ['./test/unit/hello.test.ts'])], suites);

    expect(results.tasks[0]).toMatchObject({
      status: 'failed',
      failure: { test: 'b', message: 'Expected: 2' },
    });
  });

  it('matches a test name exactly, or as a prefix that ends at a space (a describe block)', () => {
    const suites: SuiteResult[] = [
      {
        file: 'test/hello.test.js',
        tests: [passing('hello says hi'), passing('hello says hi twice'), failing('hellos are counted')],
      },
    ];

    const results = mapResultsToTasks([task('exact', ['hello says hi']), task('block', ['hello'])], suites);

    expect(results.tasks.map((result) => result.status)).toEqual(['passed', 'passed']);
    expect(results.other.failed.map((test) => test.fullName)).toEqual(['hellos are counted']);
    expect(results.allPassed).toBe(false);
  });

  it('passes a task only when all of its matched tests pass, and a skipped test is not a pass', () => {
    const suites: SuiteResult[] = [
      { file: 'test/a.test.js', tests: [passing('a one'), { fullName: 'a two', status: 'skipped' }] },
    ];

    const results = mapResultsToTasks([task('a', ['a'])], suites);

    expect(results.tasks[0]).toMatchObject({ status: 'failed', failure: { test: 'a two' } });
    expect(results.tasks[0]!.failure!.message).toContain('skipped');
  });

  it('fails the tasks of a file that could not run with its error, and leaves the other tasks alone', () => {
    const suites: SuiteResult[] = [
      { file: 'test/greet.test.js', error: 'Error: TODO(greet)', tests: [] },
      { file: 'test/wave.test.js', tests: [passing('wave back')] },
    ];

    const results = mapResultsToTasks(
      [
        task('greet', ['test/greet.test.js']),
        task('greet-by-name', ['greet says hi']),
        task('wave', ['wave']),
      ],
      suites,
    );

    const failure = { test: 'test/greet.test.js failed to run', message: 'Error: TODO(greet)' };
    expect(results.tasks.map(({ status, failure }) => ({ status, failure }))).toEqual([
      { status: 'failed', failure },
      { status: 'failed', failure },
      { status: 'passed', failure: undefined },
    ]);
    expect(results.unmatched).toEqual([]);
    expect(results.other.brokenSuites).toEqual([]);
    expect(results.allPassed).toBe(false);
  });

  it('reports entries that match nothing as lab defects when every file ran', () => {
    const greet = task('greet', ['greet', 'greet in French']);
    const suites: SuiteResult[] = [{ file: 'test/greet.test.js', tests: [passing('greet says hi')] }];

    const results = mapResultsToTasks([greet], suites);

    expect(results.unmatched).toEqual([{ task: greet, entry: 'greet in French' }]);
    expect(results.allPassed).toBe(false);
  });

  it('counts tests that belong to no task, and files nobody claims that could not run', () => {
    const suites: SuiteResult[] = [
      { file: 'test/greet.test.js', tests: [passing('greet says hi'), passing('extra check')] },
      { file: 'test/old.test.js', error: 'SyntaxError: test/old.test.js: Unexpected token (1:2)', tests: [] },
    ];

    const results = mapResultsToTasks([task('greet', ['greet says hi'])], suites);

    expect(results.tasks[0]!.status).toBe('passed');
    expect(results.other.passed).toBe(1);
    expect(results.other.brokenSuites.map((suite) => suite.file)).toEqual(['test/old.test.js']);
    expect(results.allPassed).toBe(false);
  });

  it('says which unfinished tasks a lab-wide test ran into, from its failure or from its file’s console', () => {
    const stub = (id: string) => `NotImplemented: Task "${id}" is not implemented yet. Write it`;
    const statusOnly = failing(
      'handler answers 201',
      'expect(received).toBe(expected)\nExpected: 201\nReceived: 500',
    );
    const thrown = failing('handler lists groups', stub('list-groups'));
    const unrelated = failing('config has a table', 'Expected: 1');
    const suites: SuiteResult[] = [
      // A handler that turns every error into a 500 shows the stub only in what it logged.
      {
        file: 'test/handlers.test.js',
        tests: [statusOnly, thrown],
        console: [`internal error ${stub('create-group')}`],
      },
      { file: 'test/config.test.js', tests: [unrelated] },
    ];
    const tasks = [task('list-groups', ['list']), task('create-group', ['create'])];

    const results = mapResultsToTasks(tasks, suites);

    expect(results.other.failed).toEqual([statusOnly, thrown, unrelated]);
    expect(results.other.waitingFor.get(statusOnly)).toEqual(['create-group']);
    expect(results.other.waitingFor.get(thrown)).toEqual(['list-groups']);
    expect(results.other.waitingFor.has(unrelated)).toBe(false);
  });

  it('calls the lab passed when every task and every other test passed', () => {
    const suites: SuiteResult[] = [{ file: 'test/a.test.js', tests: [passing('a one'), passing('b one')] }];

    const results = mapResultsToTasks([task('a', ['a'])], suites);

    expect(results.allPassed).toBe(true);
  });
});
