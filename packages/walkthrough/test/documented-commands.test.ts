// Every command the README, docs/ and the lessons tell a reader to run works as written. Each file's shell
// blocks run in order in a throwaway copy of the repository (with a throwaway home folder), servers on their
// default ports, curl examples against them; a command that fails names its file and line. A block that
// cannot run here has `<!-- walkthrough: skip — <reason> -->` before it. Run it with nothing else running:
// npm run test:walkthrough.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { extractCommands, type Extraction } from '../src/extract-commands';
import { CURLRC, readerEnvironment } from '../src/reader-environment';
import { makeThrowawayCopy, type ThrowawayCopy } from '../src/throwaway-copy';
import { walkDocument } from '../src/walk-document';

const REPOSITORY = path.resolve(__dirname, '..', '..', '..');

function documents(): string[] {
  const markdownIn = (dir: string): string[] =>
    fs
      .readdirSync(path.join(REPOSITORY, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.md'))
      .map((file) => path.posix.join(dir, file.split(path.sep).join('/')))
      .sort();
  const labs = fs
    .readdirSync(path.join(REPOSITORY, 'labs'))
    .filter((lab) => fs.existsSync(path.join(REPOSITORY, 'labs', lab, 'README.md')))
    .sort()
    .map((lab) => `labs/${lab}/README.md`);
  return ['README.md', ...markdownIn('docs'), ...labs];
}

const extracted = new Map<string, Extraction>(
  documents().map((file) => [file, extractCommands(fs.readFileSync(path.join(REPOSITORY, file), 'utf8'))]),
);
const walked = [...extracted].filter(([, { blocks, problems }]) => blocks.length > 0 || problems.length > 0);
const gitStatus = (): string =>
  execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: REPOSITORY, encoding: 'utf8' });

let copy: ThrowawayCopy;
let statusBefore: string;
const summary = { commands: 0, started: Date.now(), copySeconds: 0 };

beforeAll(() => {
  statusBefore = gitStatus();
  const started = Date.now();
  copy = makeThrowawayCopy(REPOSITORY, CURLRC);
  summary.copySeconds = (Date.now() - started) / 1000;
});

afterAll(() => {
  copy?.remove();
  // One line, however many blocks are skipped: what the walkthrough did not prove is worth a glance.
  const skipped = new Map<string, string[]>();
  for (const [file, { blocks }] of walked) {
    for (const { skip, line } of blocks) {
      if (skip !== undefined) skipped.set(skip, [...(skipped.get(skip) ?? []), `${file}:${line}`]);
    }
  }
  const notRun = [...skipped].map(([reason, where]) => `${reason} (${where.join(', ')})`).join('; ');
  process.stderr.write(
    `walkthrough: ${summary.commands} commands from ${walked.length} files in ` +
      `${Math.round((Date.now() - summary.started) / 1000)} s (the copy took ${summary.copySeconds} s). ` +
      `Not run: ${notRun}\n`,
  );
});

describe.each(walked)('%s', (file, { blocks, problems }) => {
  it('runs every command as written', async () => {
    const walk = await walkDocument(file, blocks, {
      root: copy.root,
      env: readerEnvironment(copy.home),
      commandTimeoutMs: 240_000,
      readyTimeoutMs: 120_000,
      stopTimeoutMs: 20_000,
    });
    summary.commands += walk.commands;
    const failures = [
      ...problems.map(({ line, problem }) => `${file}:${line}: ${problem}`),
      ...walk.failures,
    ];
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  }, 900_000);
});

it("leaves the developer's checkout as it was", () => {
  expect(gitStatus()).toBe(statusBefore);
});
