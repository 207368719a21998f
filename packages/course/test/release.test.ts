import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fixtureWorkspaces } from './support/cleanup';
import { adderLab, linkNodeModules } from './support/course-fixture';

// Two of these tests run Jest on the released edition: a few seconds each on a busy machine.
jest.setTimeout(60_000);

const workspace = fixtureWorkspaces();

function course() {
  const fixture = workspace([adderLab]);
  linkNodeModules(fixture);
  fixture.write('labs/01-adder/README.md', '# Adder\n');
  return fixture;
}

describe('course release', () => {
  it('writes the student edition: stubs under TODO lines, no hidden tests, everything else intact', () => {
    const fixture = course();
    const out = path.join(fixture.root, '..', `${path.basename(fixture.root)}-edition`);
    fixture.write('.course/progress.json', '{}');

    const result = fixture.run(['release', '--out', out]);

    try {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('2 tasks stubbed in 2 files, hidden tests removed');
      expect(result.stdout).toMatch(/Next: cd .* && npm install && npx course list/);
      const read = (file: string): string => fs.readFileSync(path.join(out, file), 'utf8');
      expect(read('labs/01-adder/src/add.js')).toBe(
        [
          "const { NotImplemented } = require('@serverless-course/test-kit');",
          '',
          'exports.add = (a, b) => {',
          '  // TODO(add): return the sum of a and b.',
          "  throw new NotImplemented('add');",
          '};',
          '',
        ].join('\n'),
      );
      expect(read('labs/01-adder/src/greet.js')).toContain('  // TODO(greet): Greet by name.\n');
      expect(read('labs/01-adder/test/add.test.js')).not.toContain('negative');
      expect(read('labs/01-adder/test/add.test.js')).not.toContain('HIDDEN');
      expect(read('labs/01-adder/README.md')).toBe('# Adder\n');
      expect(fs.existsSync(path.join(out, 'node_modules'))).toBe(false);
      expect(fs.existsSync(path.join(out, '.course/progress.json'))).toBe(false);
      const manifest = JSON.parse(read('.course/release-manifest.json')) as {
        protected: Record<string, string>;
        starters: Record<string, { tasks: string[] }>;
      };
      const hash = createHash('sha256').update(read('labs/01-adder/test/add.test.js')).digest('hex');
      expect(manifest.protected['labs/01-adder/test/add.test.js']).toBe(hash);
      expect(Object.keys(manifest.protected)).toEqual(
        expect.arrayContaining(['package.json', 'labs/01-adder/lab.json', 'labs/01-adder/jest.config.js']),
      );
      expect(manifest.protected['labs/01-adder/src/add.js']).toBeUndefined();
      expect(manifest.starters['labs/01-adder/src/add.js']!.tasks).toEqual(['add']);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('keeps the hidden tests in the grader edition', () => {
    const fixture = course();
    const out = path.join(fixture.root, 'out', 'grader');

    const result = fixture.run(['release', '--out', 'out/grader', '--grader']);

    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'labs/01-adder/test/add.test.js'), 'utf8')).toContain('negative');
    expect(fs.readFileSync(path.join(out, 'labs/01-adder/src/add.js'), 'utf8')).not.toContain('a + b');
    // The edition never contains itself.
    expect(fs.existsSync(path.join(out, 'out'))).toBe(false);
  });

  it('refuses a folder that is not empty, and writes nothing', () => {
    const fixture = course();
    fixture.write('out/keep.txt', 'mine');

    const result = fixture.run(['release', '--out', 'out']);

    expect(result.stderr).toBe(
      `${path.join(fixture.root, 'out')} is not empty; remove it or pick a new folder, then run: npx course release --out out\n`,
    );
    expect(result.status).toBe(2);
    expect(fs.readdirSync(path.join(fixture.root, 'out'))).toEqual(['keep.txt']);
  });

  it('stops at a malformed marker with its file and line, and writes nothing', () => {
    const fixture = course();
    fixture.write(
      'labs/01-adder/src/add.js',
      'exports.add = () => {\n  // BEGIN SOLUTION ad\n  // END SOLUTION\n};\n',
    );

    const result = fixture.run(['release', '--out', 'out']);

    expect(result.stderr).toBe(
      'labs/01-adder/src/add.js:2: BEGIN SOLUTION ad names no task of lab.json (tasks: add, greet). Fix the marker, then run: npx course doctor\n',
    );
    expect(result.status).toBe(2);
    expect(fs.existsSync(path.join(fixture.root, 'out'))).toBe(false);
  });
});

describe('course reset', () => {
  function studentEdition() {
    const fixture = course();
    const out = path.join(fixture.root, 'student');
    expect(fixture.run(['release', '--out', 'student']).status).toBe(0);
    fs.symlinkSync(path.join(fixture.root, 'node_modules'), path.join(out, 'node_modules'));
    const run = (args: string[]) => fixture.run(args, { COURSE_ROOT: out });
    const file = (relative: string) => path.join(out, 'labs/01-adder', relative);
    return { out, run, file, read: (relative: string) => fs.readFileSync(file(relative), 'utf8') };
  }

  it("restores one task's starter and keeps the student's other edits", () => {
    const student = studentEdition();
    const starter = student.read('src/add.js');
    fs.writeFileSync(
      student.file('src/add.js'),
      starter.replace("throw new NotImplemented('add');", 'return a - b;'),
    );
    fs.writeFileSync(
      student.file('src/greet.js'),
      student.read('src/greet.js').replace(/throw .*;/, 'return `Hi ${name}`;'),
    );

    const result = student.run(['reset', '01', 'add']);

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      '  reset labs/01-adder/src/add.js\nReset task add of lab 01 to its starter (1 file); other edits kept. Next: npx course check 01\n',
    );
    expect(student.read('src/add.js')).toBe(starter);
    expect(student.read('src/greet.js')).toContain('return `Hi ${name}`;');
  });

  it('refuses a file edited outside the task, naming the command that forces it, and --force replaces it', () => {
    const student = studentEdition();
    const starter = student.read('src/add.js');
    const edited = `${starter.replace("throw new NotImplemented('add');", 'return a - b;')}exports.extra = 1;\n`;
    fs.writeFileSync(student.file('src/add.js'), edited);

    const refused = student.run(['reset', '01', 'add']);
    const forced = student.run(['reset', '01', 'add', '--force']);

    expect(refused.stderr).toBe(
      "labs/01-adder/src/add.js changed outside the task's code, so resetting could lose work; to replace that file " +
        'with the starter anyway (losing every edit in it), run: npx course reset 01 add --force\n',
    );
    expect(refused.status).toBe(2);
    expect(forced.status).toBe(0);
    expect(student.read('src/add.js')).toBe(starter);
  });

  it('restores a deleted file and resets a whole lab', () => {
    const student = studentEdition();
    const starter = student.read('src/greet.js');
    fs.rmSync(student.file('src/greet.js'));

    const result = student.run(['reset', '1']);

    expect(result.status).toBe(0);
    expect(student.read('src/greet.js')).toBe(starter);
    expect(result.stdout).toContain('Reset lab 01 to its starter (1 file)');
  });

  it('the student edition fails every task, and passes once the solution is typed back in', () => {
    const student = studentEdition();

    const before = student.run(['check', '01']);
    fs.writeFileSync(
      student.file('src/add.js'),
      student.read('src/add.js').replace("throw new NotImplemented('add');", 'return a + b;'),
    );
    fs.writeFileSync(
      student.file('src/greet.js'),
      student.read('src/greet.js').replace(/throw .*;/, 'return `Hello, ${name}!`;'),
    );
    const after = student.run(['check', '01']);

    expect(before.stdout).toContain('Task "add" is not implemented yet');
    expect(before.stdout).toContain('Score: 0/15');
    expect(after.stdout).toContain('Score: 15/15');
  });
});
