// The whole app in a real browser: Debian's Chromium driven by playwright-core, against `npm start`'s own
// startApp() (local-cloud running final-app/backend, the built web client) on free ports with in-memory
// state. One visitor signs in through the local issuer, creates a group and uploads an image; a second
// visitor, in another browser context, watches the group and receives the image live. Screenshots of each
// step land in final-app/frontend/test-artifacts/e2e/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '@serverless-course/dev-server';
import { launchChromium } from '@serverless-course/test-kit/chromium';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'e2e');
/** Every wait is bounded: an element, a navigation, a thumbnail. */
const STEP_TIMEOUT_MS = 30_000;

let app: RunningApp;
let browser: Browser;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'udagram-e2e-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  [app, browser] = await Promise.all([
    startApp({ inMemory: true, stage: 'e2e', docs: false, buildDir: path.join(workDir, 'build') }),
    launchChromium({ timeoutMs: STEP_TIMEOUT_MS }),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(workDir, { recursive: true, force: true });
}, 60_000);

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

describe('Udagram in a browser', () => {
  it('signs in, creates a group, uploads an image another visitor sees live, finds it, and signs out', async () => {
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
});

async function journey(alice: Page, watcher: Page): Promise<void> {
  // Sign in through the local issuer's page, as through Auth0's.
  await alice.goto(`${app.url}/`);
  await alice.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
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
  await alice.getByRole('textbox', { name: 'Name' }).fill('Sunsets');
  await alice.getByRole('textbox', { name: 'Description (optional)' }).fill('Evening skies, end to end');
  await alice.getByRole('button', { name: 'Create group' }).click();
  await alice.getByRole('heading', { level: 1, name: 'Sunsets' }).waitFor();
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
    .setInputFiles(await aPngFile('red-sky.png'));
  expect(await alice.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('red-sky');
  await alice.getByRole('button', { name: 'Upload' }).click();
  await alice.getByText('Uploaded "red-sky".').waitFor();
  const thumbnail = alice
    .getByRole('list', { name: 'Images in Sunsets' })
    .getByRole('img', { name: 'red-sky', exact: true });
  await thumbnail.waitFor();
  expect(await thumbnail.getAttribute('src')).toContain('thumbnails');
  await expect(loadedWidth(alice, 'red-sky')).resolves.toBeGreaterThan(0);
  await screenshot(alice, 'uploaded-with-thumbnail');

  // The watcher did nothing: the image arrived over the WebSocket.
  const live = watcher.getByRole('img', { name: 'red-sky', exact: true });
  await live.waitFor();
  await expect(loadedWidth(watcher, 'red-sky')).resolves.toBeGreaterThan(0);
  await screenshot(watcher, 'watcher-received-live');
  // The same page on a phone: one column, nothing cut off.
  await watcher.setViewportSize({ width: 390, height: 844 });
  expect(await watcher.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(watcher, 'watcher-on-a-phone');

  // Search finds it (the index is updated from the table's stream, so it may take a moment).
  await searchUntilFound(alice, 'sky', 'red-sky');
  await screenshot(alice, 'search-results');
  await alice.getByRole('list', { name: 'Search results' }).getByRole('link', { name: 'red-sky' }).click();
  await alice.getByRole('heading', { level: 1, name: 'red-sky' }).waitFor();
  await expect(loadedWidth(alice, 'red-sky')).resolves.toBeGreaterThan(0);
  await screenshot(alice, 'image-page');

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
