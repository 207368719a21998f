import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fixtureWorkspaces } from './support/cleanup';
import { adderLab, linkNodeModules } from './support/course-fixture';

// Some of these tests run Jest or ESLint on the released edition: a few seconds each on a busy machine.
jest.setTimeout(60_000);

const ESLINT = path.resolve(__dirname, '..', '..', '..', 'node_modules', 'eslint', 'bin', 'eslint.js');

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
      expect(result.stdout).toContain(
        'Made it a git repository with one commit, "Student edition": git diff and git checkout work from the start.',
      );
      expect(result.stdout).toMatch(/Next: cd .* && npm install && npx course list/);
      const read = (file: string): string => fs.readFileSync(path.join(out, file), 'utf8');
      expect(read('labs/01-adder/src/add.js')).toBe(
        [
          "const { NotImplemented } = require('@serverless-course/test-kit/not-implemented');",
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

  it('commits the edition once, as the course release, with the manifest that reset needs', () => {
    const fixture = course();
    // The course ignores .course/ (progress, backups); the manifest must be in every clone all the same.
    fixture.write('.gitignore', 'node_modules/\n.course/\n');
    const out = path.join(fixture.root, 'out');

    fixture.run(['release', '--out', 'out']);

    const git = (...args: string[]): string => execFileSync('git', args, { cwd: out, encoding: 'utf8' });
    expect(git('log', '--format=%an <%ae> %cn <%ce>|%s')).toBe(
      'Serverless course release <release@serverless-course.invalid> ' +
        'Serverless course release <release@serverless-course.invalid>|Student edition\n',
    );
    expect(git('status', '--porcelain')).toBe('');
    expect(git('ls-files', '.course')).toBe('.course/release-manifest.json\n');
  });

  it('says how to make the repository by hand when git is missing, and still writes the edition', () => {
    const fixture = course();
    const emptyPath = path.join(fixture.root, 'no-tools');
    fs.mkdirSync(emptyPath);

    const result = fixture.run(['release', '--out', 'out'], { PATH: emptyPath });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'Not made a git repository (git is not installed); to have one, run in it: git init && git add . && ' +
        'git add -f .course/release-manifest.json && git commit -m "Student edition"',
    );
    expect(fs.existsSync(path.join(fixture.root, 'out', 'labs/01-adder/src/add.js'))).toBe(true);
    expect(fs.existsSync(path.join(fixture.root, 'out', '.git'))).toBe(false);
  });

  it("turns off, in each stubbed file, the workspace's lint rules its stubs break, until the tasks are written", () => {
    const fixture = course();
    fixture.write('eslint.config.js', "module.exports = [{ rules: { 'no-unused-vars': 'error' } }];\n");
    const out = path.join(fixture.root, 'out');
    const lint = (): { status: number | null; stdout: string } =>
      spawnSync(process.execPath, [ESLINT, '--max-warnings', '0', 'labs'], { cwd: out, encoding: 'utf8' });

    fixture.run(['release', '--out', 'out']);
    const untouched = lint();
    const addFile = path.join(out, 'labs/01-adder/src/add.js');
    fs.writeFileSync(
      addFile,
      fs
        .readFileSync(addFile, 'utf8')
        .replace("throw new NotImplemented('add');", 'return a + b;')
        .replace(/^const \{ NotImplemented \}.*\n/m, ''),
    );
    const solved = lint();

    expect(fs.readFileSync(addFile, 'utf8').split('\n')[0]).toBe('/* eslint-disable no-unused-vars --');
    expect(untouched.stdout).toBe('');
    expect(untouched.status).toBe(0);
    // Once the names are used, ESLint itself says the comment can go.
    expect(solved.stdout).toContain(
      "Unused eslint-disable directive (no problems were reported from 'no-unused-vars')",
    );
  });

  it('fails every task in the student edition, which passes once the solutions are typed back in', () => {
    const fixture = course();
    const out = path.join(fixture.root, 'student');
    fixture.run(['release', '--out', 'student']);
    fs.symlinkSync(path.join(fixture.root, 'node_modules'), path.join(out, 'node_modules'));
    const file = (relative: string): string => path.join(out, 'labs/01-adder/src', relative);
    const check = () => fixture.run(['check', '01'], { COURSE_ROOT: out });

    const before = check();
    fs.writeFileSync(
      file('add.js'),
      fs.readFileSync(file('add.js'), 'utf8').replace("throw new NotImplemented('add');", 'return a + b;'),
    );
    fs.writeFileSync(
      file('greet.js'),
      fs.readFileSync(file('greet.js'), 'utf8').replace(/throw .*;/, 'return `Hello, ${name}!`;'),
    );
    const after = check();

    expect(before.stdout).toContain('Score: 0/15');
    expect(after.stdout).toContain('Score: 15/15');
  });
});
