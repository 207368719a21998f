import { fixtureWorkspaces } from './support/cleanup';
import { ADD_SOLUTION, adderLab, GREET_SOLUTION, linkNodeModules } from './support/course-fixture';
import type { FixtureLab } from './support/workspace';

// Doctor releases the course and runs each lab twice (reference, student edition).
jest.setTimeout(120_000);

const workspace = fixtureWorkspaces();

/** The adder's lesson: each task's section states what its tests expect. */
const LESSON = [
  '# Adder',
  '',
  '## The tasks',
  '',
  '### Task 1: Add two numbers',
  '',
  'Task id: `add`',
  '',
  '`add(a, b)` returns the sum of `a` and `b`.',
  '',
  '### Task 2: Greet by name',
  '',
  'Task id: `greet`',
  '',
  '`greet(name)` returns `Hello, <name>!`.',
  '',
].join('\n');

function adder(files: Record<string, string> = {}): FixtureLab {
  return { ...adderLab, files: { ...adderLab.files, 'README.md': LESSON, ...files } };
}

describe('course doctor', () => {
  it('passes a sound course with one line per lab, and names unfinished lab folders', () => {
    const course = workspace([adder()]);
    linkNodeModules(course);
    course.write('labs/02-later/package.json', '{}');

    const result = course.run(['doctor', '--jobs', '2']);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^✓ 01 adder: 2 tasks, 3 tests {2}reference [\d.]+ s, student edition [\d.]+ s$/m,
    );
    expect(result.stdout).toContain('· 02-later: no lab.json yet, skipped');
    expect(result.stdout).toMatch(
      /All 1 labs are sound \([\d.]+ s\)\. Hand out the student edition with: npx course release --out \.\.\/student-edition\n$/,
    );
    expect(result.status).toBe(0);
  });

  it('lists every problem of a broken lab: a task the stub cannot fail, a skipped test, a failing reference test', () => {
    const course = workspace([
      adder({
        // The solution sits outside its region, so the student edition passes "greet" without any work.
        'src/greet.js':
          GREET_SOLUTION.replace('  // BEGIN SOLUTION greet\n', '').replace('  // END SOLUTION\n', '') +
          'exports.unused = () => {\n  // BEGIN SOLUTION greet\n  return 1;\n  // END SOLUTION\n};\n',
        'src/add.js': ADD_SOLUTION.replace('a + b', 'a * b'),
        'test/skipped.test.js': "it.skip('is not run', () => {});\n",
      }),
    ]);
    linkNodeModules(course);

    const result = course.run(['doctor']);

    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^✗ 01 adder: 4 problems {2}reference/);
    expect(
      lines
        .slice(1, 5)
        .map((line) => line.trim())
        .sort(),
    ).toEqual([
      'reference: "add adds negative numbers" fails with the solution: Error: expect(received).toBe(expected) // Object.is equality',
      'reference: "add adds two numbers" fails with the solution: Error: expect(received).toBe(expected) // Object.is equality',
      'reference: "is not run" is skipped or todo; every test must run',
      'student edition: every test of task greet passes without the solution; put its code in a BEGIN SOLUTION greet region',
    ]);
    expect(result.stdout).toContain('1 of 1 labs have problems');
    expect(result.stdout).toContain(
      "Fix them, then run: npx course doctor (see lab 01's tests with: npx course check 01 --verbose)",
    );
    expect(result.status).toBe(1);
  });

  it('reports a malformed marker without running the lab', () => {
    const course = workspace([adder({ 'src/add.js': '// BEGIN SOLUTION add\n' })]);
    linkNodeModules(course);

    const result = course.run(['doctor']);

    expect(result.stdout).toContain(
      '✗ 01 adder: 1 problem\n    labs/01-adder/src/add.js:1: BEGIN SOLUTION add has no END SOLUTION\n',
    );
    expect(result.status).toBe(1);
  });

  it('names each text a test expects that the lesson does not state, with its file and line', () => {
    const course = workspace([
      adder({
        'README.md': LESSON.replace('`greet(name)` returns `Hello, <name>!`.', '`greet(name)` greets.'),
        'test/greet.test.js': [
          "const { greet } = require('../src/greet');",
          '',
          "describe('greet', () => {",
          "  it('greets by name', () => expect(greet('Ada')).toBe('Hello, Ada!'));",
          "  it('greets loudly', () => expect(greet('Ada')).toMatch(/^Hello, /));",
          '});',
          '',
        ].join('\n'),
      }),
    ]);
    linkNodeModules(course);

    const result = course.run(['doctor']);

    expect(result.stdout).toContain('✗ 01 adder: 2 problems  reference');
    expect(result.stdout).toContain(
      "    labs/01-adder/test/greet.test.js:4: task greet's tests expect 'Hello, Ada!', which its lesson section " +
        '(labs/01-adder/README.md:11, "Task 2: Greet by name") does not state\n' +
        '    labs/01-adder/test/greet.test.js:5: task greet\'s tests expect /^Hello, / ("Hello,"), which its lesson ' +
        'section (labs/01-adder/README.md:11, "Task 2: Greet by name") does not state\n',
    );
    expect(result.status).toBe(1);
  });

  it("runs the student edition's own lint script, and shows the start of what it reports", () => {
    const course = workspace([adder({ 'src/legacy.js': 'var legacy = 1;\nexports.legacy = legacy;\n' })]);
    linkNodeModules(course);
    course.write(
      'package.json',
      JSON.stringify({
        name: 'fixture-course',
        private: true,
        scripts: { lint: 'eslint --max-warnings 0 labs' },
      }),
    );
    course.write(
      'eslint.config.js',
      "module.exports = [{ rules: { 'no-unused-vars': 'error', 'no-var': 'error' } }];\n",
    );

    const result = course.run(['doctor']);

    expect(result.stdout).toMatch(/^✓ 01 adder: 2 tasks, 3 tests/m);
    expect(result.stdout).toMatch(
      /^✗ student edition: npm run lint fails \([\d.]+ s\)\n {4}labs\/01-adder\/src\/legacy\.js\n {4}.*Unexpected var, use let or const instead/m,
    );
    expect(result.stdout).toMatch(
      /The student edition fails npm run lint \([\d.]+ s\)\. Fix them, then run: npx course doctor\n$/,
    );
    expect(result.status).toBe(1);
  });
});
