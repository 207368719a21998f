import path from 'node:path';
import { toCompileErrors, formatCompileError } from '../src/compile/compile-errors';
import { Compiler } from '../src/compile/compiler';
import { loadLab } from '../src/lab-manifest';
import { findTaskSources } from '../src/task-sources';
import { listLabFolders } from '../src/workspace';
import { fixtureWorkspaces } from './support/cleanup';
import type { FixtureWorkspace } from './support/workspace';

// The type checker runs in a thread that loads TypeScript: a second or two for the first check.
jest.setTimeout(60_000);

const workspace = fixtureWorkspaces();

const GREET = [
  'export function greet(name?: string): string {',
  '  // BEGIN SOLUTION greet',
  '  return `Hello, ${name ?? "world"}!`;',
  '  // END SOLUTION',
  '}',
  '',
].join('\n');

/** A TypeScript lab with no libraries but the language's own, so a cold check takes a moment. */
function typescriptLab(files: Record<string, string>): FixtureWorkspace {
  return workspace([
    {
      folder: '01-hello',
      tasks: [
        { id: 'greet', tests: ['test/greet.test.ts'] },
        { id: 'shout', tests: ['test/shout.test.ts'] },
      ],
      files: {
        'tsconfig.json': JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [] },
          include: ['src', 'test'],
        }),
        'src/greet.ts': GREET,
        'src/shout.ts': "export const shout = (text: string): string => text.toUpperCase() + '!';\n",
        'test/greet.test.ts':
          "import { greet } from '../src/greet';\nexport const greeting: string = greet('Ada');\n",
        'test/shout.test.ts':
          "import { shout } from '../src/shout';\nexport const loud: string = shout('hi');\n",
        ...files,
      },
    },
  ]);
}

const compilers: Compiler[] = [];
afterEach(async () => {
  await Promise.all(compilers.splice(0).map((compiler) => compiler.close()));
});

function compilerFor(course: FixtureWorkspace): Compiler {
  const compiler = new Compiler(path.join(course.root, '.course', 'cache', 'typescript'));
  compilers.push(compiler);
  return compiler;
}

async function errorsOf(
  course: FixtureWorkspace,
  kind: 'syntax' | 'types',
  roots?: string[],
): Promise<string[]> {
  const [folder] = listLabFolders(course.root);
  const lab = loadLab(course.root, folder!, 'npx course check 01');
  const compiler = compilerFor(course);
  const raw =
    kind === 'syntax'
      ? await compiler.syntaxErrors(folder!.dir)
      : await compiler.typeErrors(
          folder!.dir,
          roots?.map((file) => path.join(folder!.dir, file)),
        );
  return toCompileErrors(course.root, lab, findTaskSources(course.root, lab), raw).map(
    (error) => `${formatCompileError(error)} [${error.tasks.join(', ') || 'lab'}]`,
  );
}

describe('the compiler', () => {
  it("reports a syntax error with file:line:column, the compiler's message and the task whose code it is in", async () => {
    const course = typescriptLab({
      'src/greet.ts': GREET.replace('return `Hello', 'if (name {\n  return `Hello'),
    });

    const errors = await errorsOf(course, 'syntax');

    expect(errors).toEqual([
      "labs/01-hello/src/greet.ts:3:12  ')' expected. (TS1005) [greet]",
      "labs/01-hello/src/greet.ts:7:1  '}' expected. (TS1005) [greet]",
    ]);
  });

  it('reports type errors in the files asked about and what they import, naming their task', async () => {
    const course = typescriptLab({
      'src/greet.ts': GREET.replace(
        'return `Hello, ${name ?? "world"}!`;',
        'const shown: string = name;\n  return shown;',
      ),
    });

    const greetOnly = await errorsOf(course, 'types', ['test/greet.test.ts']);
    const shoutOnly = await errorsOf(course, 'types', ['test/shout.test.ts']);

    expect(greetOnly).toEqual([
      "labs/01-hello/src/greet.ts:3:9  Type 'string | undefined' is not assignable to type 'string'. (TS2322) [greet]",
    ]);
    expect(shoutOnly).toEqual([]);
  });

  it("gives a test file's errors to the task it tests: a renamed export breaks the import", async () => {
    const course = typescriptLab({ 'src/shout.ts': 'export const yell = (text: string): string => text;\n' });

    const errors = await errorsOf(course, 'types');

    expect(errors).toEqual([
      expect.stringMatching(
        /^labs\/01-hello\/test\/shout\.test\.ts:1:10 {2}Module '"\.\.\/src\/shout"' has no exported member 'shout'\. \(TS2305\) \[shout\]$/,
      ),
    ]);
  });

  it('sees every edit on the next check, though it keeps what it parsed between checks', async () => {
    const course = typescriptLab({});
    const compiler = compilerFor(course);
    const labDir = path.join(course.root, 'labs', '01-hello');
    const codes = async (): Promise<number[]> =>
      (await compiler.typeErrors(labDir)).map((diagnostic) => diagnostic.code);

    const clean = await codes();
    course.write('labs/01-hello/src/shout.ts', 'export const shout = (text: string): number => text;\n');
    const broken = await codes();
    course.write(
      'labs/01-hello/src/shout.ts',
      "export const shout = (text: string): string => text + '!';\n",
    );
    const fixed = await codes();

    expect(clean).toEqual([]);
    expect(broken).toEqual([2322, 2322]);
    expect(fixed).toEqual([]);
  });
});
