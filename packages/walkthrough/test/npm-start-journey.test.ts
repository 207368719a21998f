// The README's path, walked as a newcomer walks it: `npm start` from the repository root with its default
// options and state folder, then the printed URL in Chromium. One visitor signs in, creates a group, uploads
// an image and sees its thumbnail; a second visitor receives it live; search finds it; a deep link survives a
// reload; sign out. Then Ctrl+C, and nothing npm start started may still run. Screenshots of each step land
// in packages/walkthrough/test-artifacts/journey/.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '@serverless-course/test-kit/chromium';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { npmStart, REPOSITORY_ROOT, type StartedApp } from '../src/npm-start';
import { membersOf, stillRunning } from '../src/process-groups';

const ARTIFACTS = path.join(__dirname, '..', 'test-artifacts', 'journey');
/** Every wait is bounded: an element, a navigation, a thumbnail. */
const STEP_TIMEOUT_MS = 30_000;
/** This run's names: the default state folder keeps earlier runs' groups and images. */
const RUN = randomUUID().slice(0, 8);
const GROUP = `Sunsets ${RUN}`;
const IMAGE = `red-sky-${RUN}`;

let app: StartedApp;
let browser: Browser;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'udagram-journey-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  [app, browser] = await Promise.all([
    npmStart({ readyTimeoutMs: 150_000 }),
    launchChromium({ timeoutMs: STEP_TIMEOUT_MS }),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** A request sent as written (fetch would refuse `/%`). */
function get(target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, path: target }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('npm start, as the README says', () => {
  it('answers the app at / and at every client route, and the docs at /docs/', async () => {
    for (const route of ['/', '/groups/any-id', '/search?q=harbour', '/callback', '/images/any-id']) {
      const response = await get(route);
      expect({ route, status: response.status }).toEqual({ route, status: 200 });
      expect(response.body).toContain('<div id="root">');
    }
    const docs = await get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('<html');
  });

  it('answers a malformed URL with one short line: no stack trace, no path of this machine', async () => {
    for (const target of ['/%', '/%E0%A4%A', '/../../etc/passwd', '/docs/nope.html', '/assets/nope.js']) {
      const response = await get(target);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toMatch(/^\s+at /m);
      expect(response.body).not.toContain(REPOSITORY_ROOT);
      expect(response.body.length).toBeLessThan(200);
    }
  });

  it('signs in, creates a group, uploads an image another visitor sees live, finds it, reloads a deep link and signs out', async () => {
    const alice = await newVisitor();
    const watcher = await newVisitor();
    try {
      await journey(alice, watcher);
    } catch (error) {
      // What each visitor saw when it failed, beside the step screenshots.
      await Promise.allSettled([screenshot(alice, 'failure-alice'), screenshot(watcher, 'failure-watcher')]);
      throw error;
    }
  }, 240_000);

  it('stops on Ctrl+C and leaves nothing running: no Java, no sandbox, no watcher, no open port', async () => {
    // npm start leads its own process group (as a terminal's foreground job); its children may leave it.
    const started = membersOf(new Set([app.pid])).filter((info) => info.pid !== app.pid);
    // DynamoDB Local and at least the functions the journey ran: proof the snapshot saw the whole tree.
    expect(started.some((info) => info.command.includes('java'))).toBe(true);

    const exit = await app.interrupt(30_000);

    expect(stillRunning(started).map((info) => `${info.pid} ${info.command}`)).toEqual([]);
    expect([
      { code: 0, signal: null },
      { code: null, signal: 'SIGINT' },
    ]).toContainEqual(exit);
    expect(app.output()).toContain('Stopped. Run npm start to start again.');
    expect(app.output()).not.toMatch(/^\s+at /m);
    const { port } = new URL(app.url);
    await expect(isListening(Number(port))).resolves.toBe(false);
  }, 60_000);
});

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function newVisitor(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  return page;
}

let shot = 0;
async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({
    path: path.join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

/** A real PNG: a gradient with a stripe, so the thumbnail maker has something to resize. */
async function aPngFile(name: string): Promise<string> {
  const width = 320;
  const height = 200;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 3;
      pixels[at] = Math.round((x / width) * 255);
      pixels[at + 1] = y > 90 && y < 110 ? 255 : 80;
      pixels[at + 2] = Math.round((y / height) * 255);
    }
  }
  const file = path.join(workDir, name);
  writeFileSync(
    file,
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
  return file;
}

async function journey(alice: Page, watcher: Page): Promise<void> {
  // The home page, at the URL npm start printed.
  await alice.goto(`${app.url}/`);
  await alice.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
  await screenshot(alice, 'home');

  // Sign in through the local issuer's page, as through Auth0's.
  await alice.getByRole('button', { name: 'Sign in', exact: true }).click();
  await alice.waitForURL((url) => url.href.startsWith(`${app.issuer}authorize`));
  await screenshot(alice, 'issuer-sign-in-page');
  // By keyboard alone: the user name field has the focus, Enter submits.
  await expect(
    alice.getByLabel('User name').evaluate((field) => field === document.activeElement),
  ).resolves.toBe(true);
  await alice.keyboard.type('alice');
  await alice.keyboard.press('Enter');
  await alice.getByText('Signed in as').waitFor();
  expect(await alice.locator('.account strong').textContent()).toBe('alice');
  expect(new URL(alice.url()).pathname).toBe('/');
  await screenshot(alice, 'signed-in');

  // Create a group: its page opens.
  await alice.getByRole('textbox', { name: 'Name' }).fill(GROUP);
  await alice.getByRole('textbox', { name: 'Description (optional)' }).fill('Evening skies, end to end');
  await alice.getByRole('button', { name: 'Create group' }).click();
  await alice.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  const groupUrl = alice.url();
  expect(new URL(groupUrl).pathname).toMatch(/^\/groups\/[0-9a-f-]{36}$/);

  // A second visitor opens the group and is connected for live updates before anything is uploaded.
  await watcher.goto(groupUrl);
  await watcher.getByText('No images in this group yet.').waitFor();
  await watcher.getByText('Live: new images appear here').waitFor();
  await screenshot(watcher, 'watcher-before-upload');

  // Upload a real PNG: a progress bar, then the thumbnail once the backend has made it.
  await alice.getByText('Live: new images appear here').waitFor();
  await alice
    .getByLabel('Image file (JPEG, PNG or WebP, up to 10 MB)')
    .setInputFiles(await aPngFile(`${IMAGE}.png`));
  expect(await alice.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(IMAGE);
  await alice.getByRole('button', { name: 'Upload' }).click();
  await alice.getByText(`Uploaded "${IMAGE}".`).waitFor();
  const thumbnail = alice
    .getByRole('list', { name: `Images in ${GROUP}` })
    .getByRole('img', { name: IMAGE, exact: true });
  await thumbnail.waitFor();
  expect(await thumbnail.getAttribute('src')).toContain('thumbnails');
  await expect(loadedWidth(alice, IMAGE)).resolves.toBeGreaterThan(0);
  await screenshot(alice, 'uploaded-with-thumbnail');

  // The watcher did nothing: the image arrived over the WebSocket.
  await watcher.getByRole('img', { name: IMAGE, exact: true }).waitFor();
  await expect(loadedWidth(watcher, IMAGE)).resolves.toBeGreaterThan(0);
  await screenshot(watcher, 'watcher-received-live');
  // The same page on a phone: one column, nothing cut off.
  await watcher.setViewportSize({ width: 390, height: 844 });
  expect(await watcher.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(watcher, 'watcher-on-a-phone');

  // Search finds it (the index is updated from the table's stream, so it may take a moment).
  await searchUntilFound(alice, RUN, IMAGE);
  await screenshot(alice, 'search-results');
  await alice.getByRole('list', { name: 'Search results' }).getByRole('link', { name: IMAGE }).click();
  await alice.getByRole('heading', { level: 1, name: IMAGE }).waitFor();
  await expect(loadedWidth(alice, IMAGE)).resolves.toBeGreaterThan(0);
  await screenshot(alice, 'image-page');

  // A deep link reloaded, and opened fresh in the other visitor's browser: the server answers the app's page
  // for the client's own routes, still signed in.
  await alice.reload();
  await alice.getByRole('heading', { level: 1, name: IMAGE }).waitFor();
  expect(await alice.locator('.account strong').textContent()).toBe('alice');
  await watcher.goto(groupUrl);
  await watcher.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  await screenshot(alice, 'deep-link-reloaded');

  // Sign out: through the issuer's end-session endpoint and back, signed out.
  await alice.getByRole('button', { name: 'Sign out' }).click();
  await alice.waitForURL((url) => url.origin === app.url);
  await alice.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  expect(await alice.getByText('Signed in as').count()).toBe(0);
  await screenshot(alice, 'signed-out');
}

/** The rendered width of the image with that alt text, once loaded: 0 if the browser could not load it. */
async function loadedWidth(page: Page, alt: string): Promise<number> {
  const image = page.locator(`img[alt="${alt}"]`).first();
  await image.waitFor();
  await page.waitForFunction(
    (element) => (element as HTMLImageElement).complete,
    await image.elementHandle(),
    { timeout: STEP_TIMEOUT_MS },
  );
  return image.evaluate((element) => (element as HTMLImageElement).naturalWidth);
}

async function searchUntilFound(page: Page, query: string, title: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    await page.getByRole('searchbox', { name: 'Search images' }).fill(query);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Images matching “${query}”` }).waitFor();
    const found = page.getByRole('list', { name: 'Search results' }).getByRole('img', { name: title });
    const outcome = await Promise.race([
      found.waitFor({ timeout: 2000 }).then(() => 'found' as const),
      page
        .getByText(`No images match “${query}”`)
        .waitFor({ timeout: 2000 })
        .then(() => 'none' as const),
    ]).catch(() => 'pending' as const);
    if (outcome === 'found') return;
    if (Date.now() > deadline)
      throw new Error(`search for "${query}" did not find "${title}" within ${STEP_TIMEOUT_MS} ms`);
    // The search page reloads on a new query only: leave it, then search again.
    await page.goto(`${new URL(page.url()).origin}/`);
  }
}
