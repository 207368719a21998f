import { fixtureWorkspaces } from './support/cleanup';
import { linkNodeModules } from './support/course-fixture';
import { testFile } from './support/workspace';

// Each test spawns the CLI, which spawns Jest: about two seconds apiece, so they are few and each covers a lot.
jest.setTimeout(30_000);

const workspace = fixtureWorkspaces();

const lastLine = (text: string): string => text.trimEnd().split('\n').pop()!;

describe('course check', () => {
  it('passes a lab whose tests all pass, records every task as passed and points to the next lab', () => {
    const course = workspace([
      {
        folder: '01-hello',
        title: 'Hello, Lambda',
        tasks: [
          { id: 'greet', title: 'Greet the caller', points: 10, tests: ['test/greet.test.js'] },
          { id: 'farewell', title: 'Say goodbye', points: 20, tests: ['farewell says goodbye'] },
          { id: 'shout', title: 'Shout', points: 5, tests: ['shout'] },
        ],
        files: {
          'test/greet.test.js': testFile('greet', { 'says hello': 'passes', 'says hello to Ada': 'passes' }),
          'test/farewell.test.js': testFile('farewell', { 'says goodbye': 'passes' }),
          'test/shout.test.js':
            testFile('shout', { 'uses capitals': 'passes' }) + testFile('shouting', { 'is rude': 'passes' }),
        },
      },
      { folder: '02-next', tasks: [{ id: 'later', tests: ['test/later.test.js'] }] },
    ]);

    const result = course.run(['check', '01']);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/✓ greet +Greet the caller \(10 pts\)/);
    expect(result.stdout).toMatch(/✓ farewell +Say goodbye \(20 pts\)/);
    expect(result.stdout).toMatch(/✓ shout +Shout \(5 pts\)/);
    // "shout" claims "shout uses capitals" but not "shouting is rude": a name matches up to a space.
    expect(result.stdout).toContain('Lab-wide tests, no task of their own: 1 passed, 0 failed');
    expect(result.stdout).toContain('Score: 35/35');
    expect(lastLine(result.stdout)).toBe('All tasks pass. Next: npx course check 02');
    expect(result.status).toBe(0);
    const lab = course.progress().labs['01']!;
    expect(lab.checkedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(lab.tasks).toEqual({
      greet: { status: 'passed', checkedAt: lab.checkedAt },
      farewell: { status: 'passed', checkedAt: lab.checkedAt },
      shout: { status: 'passed', checkedAt: lab.checkedAt },
    });
  });

  it('fails exactly the task whose test fails, explains why, keeps hint counts and suggests a hint', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [
          { id: 'greet', title: 'Greet the caller', points: 10, tests: ['greeter says hello'] },
          { id: 'read-name', title: 'Read the name', points: 20, tests: ['greeter reads the name'] },
          { id: 'sign', title: 'Sign the reply', points: 30, tests: ['greeter signs'] },
        ],
        files: {
          'test/greeter.test.js': testFile('greeter', {
            'says hello': 'passes',
            'reads the name from the query string': 'fails',
            'signs the reply': 'passes',
          }),
        },
      },
    ]);
    course.writeProgress({ version: 1, labs: { '01': { tasks: { 'read-name': { hintsShown: 1 } } } } });

    const result = course.run(['check', '1']);

    expect(result.stdout).toMatch(/✓ greet +Greet the caller \(10 pts\)/);
    expect(result.stdout).toMatch(/✗ read-name +Read the name \(20 pts\)/);
    expect(result.stdout).toMatch(/✓ sign +Sign the reply \(30 pts\)/);
    expect(result.stdout.match(/✗/g)).toHaveLength(1);
    expect(result.stdout).toContain('greeter reads the name from the query string');
    expect(result.stdout).toContain('Expected: "Hello, Ada"');
    expect(result.stdout).toContain('Score: 40/60');
    expect(lastLine(result.stdout)).toBe('Stuck? Run: npx course hint 01 read-name');
    expect(result.status).toBe(1);
    const tasks = course.progress().labs['01']!.tasks;
    expect(tasks.greet!.status).toBe('passed');
    expect(tasks['read-name']).toEqual(expect.objectContaining({ status: 'failed', hintsShown: 1 }));
  });

  it('fails only the tasks whose test file throws on import, with the error it threw', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [
          { id: 'greet', title: 'Greet the caller', tests: ['test/greet.test.js'] },
          { id: 'wave', title: 'Wave', tests: ['wave'] },
        ],
        files: {
          'src/greet.js': "throw new Error('TODO(greet): return a greeting');\n",
          'test/greet.test.js': "require('../src/greet');\n" + testFile('greet', { 'says hello': 'passes' }),
          'test/wave.test.js': testFile('wave', { 'waves back': 'passes' }),
        },
      },
    ]);

    const result = course.run(['check', '01']);

    expect(result.stdout).toMatch(/✗ greet +Greet the caller \(10 pts\)/);
    expect(result.stdout).toContain('test/greet.test.js failed to run');
    expect(result.stdout).toContain('TODO(greet): return a greeting');
    expect(result.stdout).toMatch(/✓ wave +Wave \(10 pts\)/);
    expect(result.stdout).toContain('Score: 10/20');
    expect(lastLine(result.stdout)).toBe('Stuck? Run: npx course hint 01 greet');
    expect(result.status).toBe(1);
    expect(course.progress().labs['01']!.tasks.greet!.status).toBe('failed');
  });

  it('still fails the check when a test outside every task fails, though all tasks pass', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [{ id: 'greet', title: 'Greet the caller', tests: ['greet'] }],
        files: {
          'test/greet.test.js': testFile('greet', { 'says hello': 'passes' }),
          'test/extra.test.js': testFile('extra', { 'keeps the old behaviour': 'fails' }),
        },
      },
    ]);

    const result = course.run(['check', '01']);

    expect(result.stdout).toMatch(/✓ greet +Greet the caller \(10 pts\)/);
    expect(result.stdout).toContain('✗ Lab-wide tests, no task of their own: 0 passed, 1 failed');
    expect(result.stdout).toContain('extra keeps the old behaviour');
    expect(result.stdout).toContain('Score: 10/10');
    expect(lastLine(result.stdout)).toBe(
      'All tasks pass, but other tests fail; fix them, then run: npx course check 01',
    );
    expect(result.status).toBe(1);
    expect(course.progress().labs['01']!.tasks.greet!.status).toBe('passed');
  });

  it('checks the lab of the folder it runs in when no lab is named, and says so', () => {
    const course = workspace([
      { folder: '01-hello', tasks: [{ id: 'greet', tests: ['greet'] }] },
      {
        folder: '02-bye',
        tasks: [{ id: 'bye', tests: ['bye'] }],
        files: { 'test/bye.test.js': testFile('bye', { 'says bye': 'passes' }), 'src/bye.js': '' },
      },
    ]);

    const result = course.run(['check'], {}, 'labs/02-bye/src');

    expect(result.stdout.split('\n')[0]).toBe(
      'Checking lab 02 (bye), the lab of the folder you are in; for another: npx course check <lab>',
    );
    expect(result.stdout).toContain('Score: 10/10');
    expect(result.status).toBe(0);
    expect(Object.keys(course.progress().labs)).toEqual(['02']);
  });

  it('checks one task when named: only its tests run, and the score keeps the other tasks from the last check', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [
          { id: 'greet', title: 'Greet the caller', tests: ['test/greet.test.js'] },
          { id: 'wave', title: 'Wave', tests: ['wave'] },
        ],
        files: {
          'test/greet.test.js': testFile('greet', { 'says hello': 'passes' }),
          'test/wave.test.js': testFile('wave', { 'waves back': 'fails' }),
        },
      },
    ]);
    course.writeProgress({ version: 1, labs: { '01': { tasks: { wave: { status: 'passed' } } } } });

    const result = course.run(['check', '01', 'greet']);
    const unknown = course.run(['check', '01', 'great']);

    expect(result.stdout).toMatch(/✓ greet +Greet the caller \(10 pts\)/);
    expect(result.stdout).not.toContain('wave');
    expect(result.stdout).toContain('Score: 20/20 (task greet checked now, the others at your last check)');
    expect(result.status).toBe(0);
    expect(unknown.stderr).toBe(
      'Lab 01 has no task "great"; its tasks are greet, wave. Run, for example: npx course check 01 greet\n',
    );
    expect(unknown.status).toBe(2);
  });

  it('stops a test file that runs past the budget, names its task and file, and still scores the others', () => {
    // Long enough for the other file on a busy machine, where even a trivial test file takes seconds.
    const course = greetAndWave(
      'exports.greet = () => {\n  // TODO(greet): say hello.\n  for (;;) {}\n};\n',
      5,
    );

    const result = course.run(['check', '01']);

    expect(result.stdout).toContain(
      'test/greet.test.js did not finish in 5 s: an infinite loop or an unresolved promise?',
    );
    expect(result.stdout).toContain('Edit: labs/01-hello/src/greet.js');
    expect(result.stdout).toMatch(/✓ wave +Wave \(10 pts\)/);
    expect(result.stdout).toContain('Score: 10/20');
    expect(result.status).toBe(1);
  });

  it('shows expected and received values whole, the failing line in the code, and the file to edit', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [{ id: 'greet', title: 'Greet the caller', tests: ['test/greet.test.js'] }],
        files: {
          'src/greet.js': [
            'exports.greet = (name) => {',
            '  // BEGIN SOLUTION greet',
            "  if (name === '') throw new TypeError('no name');",
            '  return { message: `Hello ${name}`, status: 200, headers: { a: 1, b: 2, c: 3, d: 4, e: 5 } };',
            '  // END SOLUTION',
            '};',
          ].join('\n'),
          'test/greet.test.js': [
            "const { greet } = require('../src/greet');",
            "it('greets by name', () => {",
            "  expect(greet('Ada')).toEqual({ message: 'Hello, Ada!', status: 200, headers: { a: 1, b: 2, c: 3, d: 4, e: 5 } });",
            '});',
            "it('refuses no name', () => expect(greet('')).toEqual({ status: 400 }));",
          ].join('\n'),
        },
      },
    ]);

    const result = course.run(['check', '01']);

    expect(result.stdout).toContain(
      '      greets by name\n        expect(received).toEqual(expected) // deep equality',
    );
    expect(result.stdout).toContain('-   "message": "Hello, Ada!",');
    expect(result.stdout).toContain('+   "message": "Hello Ada",');
    expect(result.stdout).toContain('at labs/01-hello/test/greet.test.js:3:');
    expect(result.stdout).toContain('Edit: labs/01-hello/src/greet.js');
  });

  it('says when a task fails only because a task it uses is not done, and the order to do them in', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [
          { id: 'greet', title: 'Greet the caller', tests: ['greet'] },
          { id: 'party', title: 'Throw a party', tests: ['party'], dependsOn: ['greet'] },
        ],
        files: {
          'test/party.test.js': [
            'const notImplemented = (id) => new Error(`Task "${id}" is not implemented yet. Write it, then check it with: npx course check`);',
            "it('greet says hello', () => { throw notImplemented('greet'); });",
            "it('party greets every guest', () => { throw notImplemented('greet'); });",
          ].join('\n'),
        },
      },
    ]);

    const result = course.run(['check', '01']);

    expect(result.stdout).toContain(
      "Greet the caller (10 pts)\n      not started yet: its code still throws NotImplemented('greet')",
    );
    expect(result.stdout).toContain(
      'party  Throw a party (10 pts)\n      fails only because greet is not done yet: do it first',
    );
    expect(result.stdout.trimEnd().split('\n').pop()).toBe('Stuck? Run: npx course hint 01 greet');
  });

  it('sees a stub that the code caught (a handler answering 500), for the task and for the lab-wide tests', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [{ id: 'greet', title: 'Greet the caller', tests: ['test/greet.test.js'] }],
        files: {
          // The test kit is TypeScript, as in every real lab.
          'jest.config.js':
            "module.exports = { testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.js'], transform: { '^.+\\\\.ts$': '@swc/jest' } };\n",
          'src/greet.js': [
            "const { NotImplemented } = require('@serverless-course/test-kit/not-implemented');",
            "exports.greet = () => { throw new NotImplemented('greet'); };",
            // What a handler does with any error: the stub is nowhere in the answer.
            'exports.handler = () => { try { return exports.greet(); } catch { return { statusCode: 500 }; } };',
          ].join('\n'),
          'test/greet.test.js':
            "const { handler } = require('../src/greet');\nit('answers 200', () => expect(handler().statusCode).toBe(200));\n",
          'test/handler.test.js': [
            "const { handler } = require('../src/greet');",
            "it('the handler answers 200', () => expect(handler().statusCode).toBe(200));",
            "it('a config check', () => expect(1).toBe(2));",
          ].join('\n'),
        },
      },
    ]);
    linkNodeModules(course);

    const result = course.run(['check', '01']);

    expect(result.stdout).toContain(
      "Greet the caller (10 pts)\n      not started yet: its code still throws NotImplemented('greet')",
    );
    expect(result.stdout).toContain('the handler answers 200: waits on task greet');
    // The stub was reached in the other test only: this one fails for its own reason.
    expect(result.stdout).toContain('a config check: Error: expect(received).toBe(expected)');
  });

  it("reports a process.exit in a task's code as cutting the run short, and still scores the other tasks", () => {
    const course = greetAndWave('exports.greet = () => process.exit(0);\n');

    const result = course.run(['check', '01']);

    expect(result.stdout).toMatch(
      /test\/greet\.test\.js was cut short: the code called process\.exit\(0\) at labs\/01-hello\/src\/greet\.js:1:\d+/,
    );
    expect(result.stdout).toMatch(/✓ wave +Wave \(10 pts\)/);
    expect(result.status).toBe(1);
  });

  it("says the course is complete after the last lab passes, and shows Jest's own output with --verbose", () => {
    const course = workspace([
      { folder: '01-hello', tasks: [{ id: 'greet', tests: ['greet'] }] },
      {
        folder: '02-bye',
        tasks: [{ id: 'bye', tests: ['bye'] }],
        files: { 'test/bye.test.js': testFile('bye', { 'says bye': 'passes' }) },
      },
    ]);

    const result = course.run(['check', 'bye', '--verbose']);

    expect(result.stderr).toContain('Tests:       1 passed, 1 total');
    expect(lastLine(result.stdout)).toContain('the course is complete');
    expect(result.status).toBe(0);
  });
});

/** A lab of two tasks: greet, whose code is `greetSource`, and wave, whose test passes. */
function greetAndWave(greetSource: string, timeBudgetSeconds?: number) {
  return workspace([
    {
      folder: '01-hello',
      ...(timeBudgetSeconds === undefined ? {} : { timeBudgetSeconds }),
      tasks: [
        { id: 'greet', title: 'Greet the caller', tests: ['test/greet.test.js'] },
        { id: 'wave', title: 'Wave', tests: ['test/wave.test.js'] },
      ],
      files: {
        'src/greet.js': greetSource,
        'test/greet.test.js':
          "const { greet } = require('../src/greet');\nit('says hello', () => greet());\n",
        'test/wave.test.js': testFile('wave', { 'waves back': 'passes' }),
      },
    },
  ]);
}
