// The built site in Chromium: a page renders with its navigation, links move between pages, and the
// client-side search finds a term and leads to its section. Screenshots go to test-artifacts/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '@serverless-course/test-kit/chromium';
import type { Browser, Page } from 'playwright-core';
import { runDocsBuild } from './support/build';
import { serveFolder } from './support/static-server';

const FIXTURE = path.join(__dirname, 'fixtures', 'repo');
const ARTIFACTS = path.join(__dirname, '..', 'test-artifacts');
let outDir: string;
let site: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-browser-'));
  const build = runDocsBuild(['--root', FIXTURE, '--out', outDir]);
  if (build.status !== 0) throw new Error(build.stderr);
  site = await serveFolder(outDir);
  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('the docs site in Chromium', () => {
  it('renders the home page with its sidebar', async () => {
    await page.goto(site.url);

    await expect(page.locator('h1').textContent()).resolves.toBe('Fixture course');
    await expect(page.getByRole('navigation', { name: 'Course' }).getByRole('link').count()).resolves.toBe(3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs-home.png'), fullPage: true });
  });

  it('moves to the next page through the pager, and back through the sidebar', async () => {
    await page.goto(site.url);

    await page.getByRole('link', { name: 'Events and triggers →' }).click();
    await page.waitForURL(/concepts\/events\.html$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Events and triggers');

    await page
      .getByRole('navigation', { name: 'Course' })
      .getByRole('link', { name: 'Fixture course' })
      .click();
    await page.waitForURL(/index\.html$/);
  });

  it('finds a term with the search box and opens its section', async () => {
    await page.goto(`${site.url}labs/01-first-lab.html`);

    await page.getByRole('searchbox', { name: 'Search the course' }).fill('thundering');
    const result = page.locator('#search-results a').first();
    await expect(result.textContent()).resolves.toContain('Idempotency');
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs-search.png') });
    await result.click();

    await page.waitForURL(/concepts\/events\.html#idempotency$/);
  });
});
