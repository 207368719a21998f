// The student edition's Lab 02 web page in Chromium, built with vite as the lesson says: it renders from the
// first day, when every task is a stub, and once Task 4 is written while Task 5 is not. A stub that pulled
// Node-only code into the bundle, or a stub's error left uncaught, shows here as a blank page.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '@serverless-course/test-kit/chromium';
import { linkNodeModules, type ReleaseManifest } from '../src/release/edition';
import { releaseText } from '../src/release/markers';

// A release of the whole course, two vite builds and a browser: about a minute on a busy machine.
jest.setTimeout(180_000);

const REPOSITORY = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPOSITORY, 'packages', 'course', 'bin', 'course.js');
const VITE = path.join(REPOSITORY, 'node_modules', 'vite', 'bin', 'vite.js');
const LAB = 'labs/02-rest-api';
const SITE = 'http://lab02.test';
const API = 'http://127.0.0.1:3000/dev';
const GROUP = {
  id: '53ad953a-3d78-446f-9e0e-bf0efc44bb1d',
  name: 'Dogs',
  description: 'Pictures of dogs',
  timestamp: '2026-11-21T14:14:40.045Z',
};

type Browser = Awaited<ReturnType<typeof launchChromium>>;

let scratch: string;
let edition: string;
let browser: Browser;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'student-edition-web-'));
  edition = path.join(scratch, 'edition');
  run(process.execPath, [BIN, 'release', '--out', edition], REPOSITORY);
  linkNodeModules(REPOSITORY, edition);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the student edition's Lab 02 web page", () => {
  it('renders before any task is written, naming the task the page waits for', async () => {
    const dist = build('untouched');

    const page = await open(dist, '/');

    await expect(page.alert()).resolves.toContain('Task "groups-page" is not implemented yet');
    expect(page.errors).toEqual([]);
  });

  it('lists the groups once Task 4 is written, and names Task 5 on its page', async () => {
    writeSolution('groups-page');
    const dist = build('task-4');

    const list = await open(dist, '/');
    const form = await open(dist, '/groups/new');

    await expect(list.link('Dogs')).resolves.toBe(`/groups/${GROUP.id}`);
    await expect(form.alert()).resolves.toContain('Task "create-group-form" is not implemented yet');
    expect([...list.errors, ...form.errors]).toEqual([]);
  });
});

/** Builds the edition's page as the lesson does (vite build), into its own folder. */
function build(name: string): string {
  const dist = path.join(scratch, name);
  run(process.execPath, [VITE, 'build', '--config', `${LAB}/web/vite.config.ts`, '--outDir', dist], edition);
  return dist;
}

/** The edition with one task's code typed in: the reference's code for it, every other task still a stub. */
function writeSolution(task: string): void {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(edition, '.course', 'release-manifest.json'), 'utf8'),
  ) as ReleaseManifest;
  const lab = JSON.parse(fs.readFileSync(path.join(REPOSITORY, LAB, 'lab.json'), 'utf8')) as {
    tasks: { id: string; title: string }[];
  };
  const titles = new Map(lab.tasks.map(({ id, title }) => [id, title]));
  for (const [file, starter] of Object.entries(manifest.starters)) {
    if (!starter.tasks.includes(task)) continue;
    const reference = fs.readFileSync(path.join(REPOSITORY, file), 'utf8');
    fs.writeFileSync(
      path.join(edition, file),
      releaseText(withoutMarkersOf(reference, task), 'code', titles).text,
    );
  }
}

/** The reference's text with one task's BEGIN/END SOLUTION lines gone, so its code stays when released. */
function withoutMarkersOf(text: string, task: string): string {
  let inTask = false;
  return text
    .split('\n')
    .filter((line) => {
      if (new RegExp(`^\\s*// BEGIN SOLUTION ${task}\\s*$`).test(line)) return !(inTask = true);
      if (inTask && /^\s*\/\/ END SOLUTION\s*$/.test(line)) return (inTask = false);
      return true;
    })
    .join('\n');
}

/**
 * Opens a path of the built page, served from its folder; the groups API answers with one group. Nothing
 * else is reachable. `errors` collects what the page threw and nothing caught.
 */
async function open(dist: string, pathname: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.href.startsWith(`${API}/groups`)) {
      await route.fulfill({
        json: { items: [GROUP], nextKey: null },
        headers: { 'Access-Control-Allow-Origin': '*' },
      });
    } else if (url.origin === SITE) {
      const file = path.join(dist, url.pathname);
      await route.fulfill({
        path: fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(dist, 'index.html'),
      });
    } else {
      await route.abort();
    }
  });
  await page.goto(`${SITE}${pathname}`);
  return {
    errors,
    alert: () => page.getByRole('alert').textContent({ timeout: 10_000 }),
    link: (name: string) => page.getByRole('link', { name }).getAttribute('href', { timeout: 10_000 }),
  };
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}
