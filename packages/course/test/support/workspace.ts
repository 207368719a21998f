import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The real bin, run as a student would run it (through tsx, in a separate process). */
export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'course.js');

export interface FixtureTask {
  id: string;
  title?: string;
  points?: number;
  tests: string[];
  hints?: string[];
  dependsOn?: string[];
}

export interface FixtureLab {
  /** Folder name under labs/, for example "01-hello". */
  folder: string;
  title?: string;
  timeBudgetSeconds?: number;
  tasks?: FixtureTask[];
  /** Raw lab.json text, for malformed manifests; wins over `tasks`. Null leaves lab.json out. */
  manifestText?: string | null;
  /** Extra files relative to the lab folder, for example test/hello.test.js. */
  files?: Record<string, string>;
}

/** A throwaway course workspace in the OS temp folder, with plain-JS Jest tests so no transform is needed. */
export class FixtureWorkspace {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-fixture-'));

  constructor(labs: FixtureLab[]) {
    this.write('package.json', JSON.stringify({ name: 'fixture-course', private: true }));
    fs.mkdirSync(path.join(this.root, 'labs'));
    labs.forEach((lab) => this.addLab(lab));
  }

  addLab(lab: FixtureLab): void {
    const dir = `labs/${lab.folder}`;
    this.write(
      `${dir}/jest.config.js`,
      "module.exports = { testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.js'] };\n",
    );
    if (lab.manifestText !== null) {
      this.write(`${dir}/lab.json`, lab.manifestText ?? JSON.stringify(manifest(lab), null, 2));
    }
    for (const [file, text] of Object.entries(lab.files ?? {})) this.write(`${dir}/${file}`, text);
  }

  write(relativePath: string, text: string): void {
    const file = path.join(this.root, relativePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }

  /** `cwd` is relative to the workspace root. */
  run(
    args: string[],
    env: NodeJS.ProcessEnv = {},
    cwd = '.',
  ): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      cwd: path.join(this.root, cwd),
      encoding: 'utf8',
      env: { ...process.env, COURSE_ROOT: this.root, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  get progressPath(): string {
    return path.join(this.root, '.course', 'progress.json');
  }

  progress(): ProgressFile {
    return JSON.parse(fs.readFileSync(this.progressPath, 'utf8')) as ProgressFile;
  }

  readFile(relativePath: string): string {
    return fs.readFileSync(path.join(this.root, relativePath), 'utf8');
  }

  hasProgress(): boolean {
    return fs.existsSync(this.progressPath);
  }

  writeProgress(progress: unknown): void {
    this.write('.course/progress.json', typeof progress === 'string' ? progress : JSON.stringify(progress));
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export interface ProgressFile {
  version: number;
  labs: Record<
    string,
    {
      checkedAt?: string;
      tasks: Record<string, { status?: string; checkedAt?: string; hintsShown?: number }>;
    }
  >;
}

export function manifest(lab: FixtureLab): object {
  const id = lab.folder.slice(0, 2);
  return {
    id,
    title: lab.title ?? `Lab ${id}`,
    objectives: ['Write a handler'],
    ...(lab.timeBudgetSeconds && { timeBudgetSeconds: lab.timeBudgetSeconds }),
    tasks: (lab.tasks ?? []).map((task) => ({
      id: task.id,
      title: task.title ?? `Task ${task.id}`,
      points: task.points ?? 10,
      tests: task.tests,
      hints: task.hints ?? [`A hint for ${task.id}`],
      ...(task.dependsOn && { dependsOn: task.dependsOn }),
    })),
  };
}

/** A Jest test file (plain JS) with the given tests; each test passes or fails as told. */
export function testFile(describeTitle: string, tests: Record<string, 'passes' | 'fails'>): string {
  const body = Object.entries(tests)
    .map(([title, outcome]) =>
      outcome === 'passes'
        ? `  it(${JSON.stringify(title)}, () => expect(1 + 1).toBe(2));`
        : `  it(${JSON.stringify(title)}, () => expect('Hello').toBe('Hello, Ada'));`,
    )
    .join('\n');
  return `describe(${JSON.stringify(describeTitle)}, () => {\n${body}\n});\n`;
}
