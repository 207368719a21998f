import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { placeholder } from '../src/build-worker';
import { startWebServer, type WebServer } from '../src/web-server';

const dir = mkdtempSync(path.join(tmpdir(), 'udagram-web-'));
const appDir = path.join(dir, 'web');
const docsDir = path.join(dir, 'docs');
let server: WebServer;

beforeAll(async () => {
  mkdirSync(path.join(appDir, 'assets'), { recursive: true });
  writeFileSync(path.join(appDir, 'index.html'), '<!doctype html><title>Udagram</title>');
  writeFileSync(path.join(appDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  mkdirSync(docsDir);
  writeFileSync(path.join(docsDir, 'index.html'), '<h1>Course</h1>');
  server = await startWebServer({
    appDir,
    docsDir,
    config: { apiUrl: 'http://127.0.0.1:3000/dev', docsUrl: '/docs/' },
    port: 0,
    host: '127.0.0.1',
  });
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web server', () => {
  it('serves config.json, never cached, pointing the client at the API', async () => {
    const response = await fetch(`${server.url}/config.json`);

    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ apiUrl: 'http://127.0.0.1:3000/dev', docsUrl: '/docs/' });
  });

  it("answers the app's own routes with its page, so deep links and reloads work", async () => {
    for (const route of ['/', '/groups/g-1', '/callback?code=x&state=y']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Udagram</title>');
    }
  });

  it('serves hashed assets for good, and a missing one as a 404 rather than the page', async () => {
    const asset = await fetch(`${server.url}/assets/index-abc123.js`);
    const missing = await fetch(`${server.url}/assets/index-gone.js`);

    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(missing.status).toBe(404);
  });

  it('serves the docs site under /docs/', async () => {
    const response = await fetch(`${server.url}/docs/`);

    expect(await response.text()).toBe('<h1>Course</h1>');
  });

  it('refuses a port in use with the fix', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startWebServer({ appDir, config: {}, port, host: '127.0.0.1' })).rejects.toThrow(
        `port ${port} on 127.0.0.1 (web app) is already in use. Fix: stop the program using it, or choose another with --port N`,
      );
    } finally {
      taken.close();
    }
  });
});

describe('the docs placeholder', () => {
  it('says why the docs are missing, escaped, and where the lessons are', () => {
    const outDir = path.join(dir, 'placeholder');

    const result = placeholder(outDir, 'docs/nav.json lists "x.md" <missing>');

    expect(result).toEqual({ task: 'docs', outDir, placeholder: 'docs/nav.json lists "x.md" <missing>' });
    const page = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('docs/nav.json lists &#34;x.md&#34; &#60;missing&#62;.');
    expect(page).toContain('restart <code>npm start</code>');
  });
});
