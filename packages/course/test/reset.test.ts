import fs from 'node:fs';
import path from 'node:path';
import { fixtureWorkspaces } from './support/cleanup';
import { adderLab } from './support/course-fixture';

// Each test releases a student edition first (a second or two on a busy machine).
jest.setTimeout(30_000);

const workspace = fixtureWorkspaces();
const ADD_STUB = "throw new NotImplemented('add');";
const STUB_IMPORT = /^const \{ NotImplemented \}.*\n/m;
const BACKUP_SENTENCE = /What it replaced is saved in (\.course\/backups\/[^ ]+)\/\./;

/** A released student edition of the adder course, and the student's view of its lab files. */
function studentEdition() {
  const fixture = workspace([adderLab]);
  const out = path.join(fixture.root, 'student');
  expect(fixture.run(['release', '--out', 'student']).status).toBe(0);
  const file = (relative: string): string => path.join(out, 'labs/01-adder', relative);
  return {
    out,
    run: (args: string[]) => fixture.run(args, { COURSE_ROOT: out }),
    file,
    read: (relative: string): string => fs.readFileSync(file(relative), 'utf8'),
    write: (relative: string, text: string): void => fs.writeFileSync(file(relative), text),
  };
}

describe('course reset', () => {
  it("restores one task's starter, keeps the student's other edits, and saves what it replaced", () => {
    const student = studentEdition();
    const starter = student.read('src/add.js');
    const mine = starter.replace(ADD_STUB, 'return a - b;');
    student.write('src/add.js', mine);
    student.write('src/greet.js', student.read('src/greet.js').replace(/throw .*;/, 'return `Hi ${name}`;'));

    const result = student.run(['reset', '01', 'add']);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^ {2}reset labs\/01-adder\/src\/add\.js\nReset task add of lab 01 to its starter \(1 file\); other edits kept\. What it replaced is saved in \.course\/backups\/[\dTZ-]+\/\. Next: npx course check 01\n$/,
    );
    expect(student.read('src/add.js')).toBe(starter);
    expect(student.read('src/greet.js')).toContain('return `Hi ${name}`;');
    const backup = BACKUP_SENTENCE.exec(result.stdout)![1]!;
    expect(fs.readFileSync(path.join(student.out, backup, 'labs/01-adder/src/add.js'), 'utf8')).toBe(mine);
  });

  it('resets a task after the student removed the NotImplemented import that lint asked them to remove', () => {
    const student = studentEdition();
    const starter = student.read('src/add.js');
    student.write('src/add.js', starter.replace(ADD_STUB, 'return a - b;').replace(STUB_IMPORT, ''));

    const result = student.run(['reset', '01', 'add']);

    expect(result.status).toBe(0);
    expect(student.read('src/add.js')).toBe(starter);
  });

  it('finds the task between code the student added around it', () => {
    const student = studentEdition();
    const starter = student.read('src/add.js');
    const helper = 'const twice = (n) => n * 2;\n\n';
    student.write(
      'src/add.js',
      `${helper}${starter.replace(ADD_STUB, 'return twice(a) + b;')}exports.twice = twice;\n`,
    );

    const result = student.run(['reset', '01', 'add']);

    expect(result.status).toBe(0);
    expect(student.read('src/add.js')).toBe(`${helper}${starter}exports.twice = twice;\n`);
  });

  it('refuses a file where the task cannot be found, naming --force, which replaces it after saving it', () => {
    const student = studentEdition();
    const starter = student.read('src/add.js');
    // The TODO line and the function's first line are gone: nothing says where the task's code is.
    const mine = starter
      .replace(/^.*TODO\(add\).*\n/m, '')
      .replace('exports.add = (a, b) => {', 'exports.add = (x, y) => {');
    student.write('src/add.js', mine);

    const refused = student.run(['reset', '01', 'add']);
    const forced = student.run(['reset', '01', 'add', '--force']);

    expect(refused.stderr).toBe(
      "labs/01-adder/src/add.js changed so much that the task's code cannot be found in it (its TODO line and the " +
        "starter's lines around it); to replace that file with the starter anyway (your version is saved in " +
        '.course/backups first), run: npx course reset 01 add --force\n',
    );
    expect(refused.status).toBe(2);
    expect(forced.stdout).toContain('  reset labs/01-adder/src/add.js (whole file, --force)\n');
    expect(student.read('src/add.js')).toBe(starter);
    const backup = BACKUP_SENTENCE.exec(forced.stdout)![1]!;
    expect(fs.readFileSync(path.join(student.out, backup, 'labs/01-adder/src/add.js'), 'utf8')).toBe(mine);
  });

  it('restores a deleted file and resets a whole lab, with nothing to save', () => {
    const student = studentEdition();
    const starter = student.read('src/greet.js');
    fs.rmSync(student.file('src/greet.js'));

    const result = student.run(['reset', '1']);

    expect(result.status).toBe(0);
    expect(student.read('src/greet.js')).toBe(starter);
    expect(result.stdout).toContain(
      'Reset lab 01 to its starter (1 file); other edits kept. Next: npx course check 01',
    );
    expect(fs.existsSync(path.join(student.out, '.course', 'backups'))).toBe(false);
  });
});
