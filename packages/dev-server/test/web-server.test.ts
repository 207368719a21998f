import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { placeholder } from '../src/build-worker';
import { startWebServer, type WebServer } from '../src/web-server';

// As `npm start` builds it: under final-app/backend/.local-cloud/, a dot-folder.
const dir = path.join(mkdtempSync(path.join(tmpdir(), 'udagram-web-')), '.local-cloud', 'udagram-start');
const appDir = path.join(dir, 'web');
const docsDir = path.join(dir, 'docs');
const logged: string[] = [];
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
    log: (line) => logged.push(line),
  });
});

afterAll(async () => {
  await server.stop();
  rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
});

/** A request sent as written: fetch would normalise `..` and reject `%`, a hostile client does neither. */
function rawGet(target: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, path: target, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/^\s+at /m);
  expect(body).not.toContain(tmpdir());
  expect(body).not.toContain(process.cwd());
  expect(body).not.toMatch(/Error:/);
  expect(body.length).toBeLessThan(200);
}

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

  it('serves the docs site under /docs/, and a missing docs page as a 404 rather than the app', async () => {
    const response = await fetch(`${server.url}/docs/`);
    const missing = await fetch(`${server.url}/docs/no-such-chapter.html`);

    expect(await response.text()).toBe('<h1>Course</h1>');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Not found. The app starts at /, the docs at /docs/.');
  });

  it.each([
    ['a stray percent sign', '/%', 400],
    ['a truncated escape', '/assets/%E0%A4%A', 400],
    ['a traversal out of the app', '/../../../etc/passwd', 403],
    ['an encoded traversal out of the assets', '/assets/..%2f..%2f..%2fetc%2fpasswd', 403],
    ['a traversal out of the docs', '/docs/../../../../etc/passwd', 403],
    ['a missing asset', '/assets/nope.js', 404],
  ])('answers %s (%s) with a short %i and no stack trace or path', async (_what, target, status) => {
    const response = await rawGet(target);

    expect(response.status).toBe(status);
    expectNoInternals(response.body);
  });

  it('answers a POST with 405 and the methods it serves', async () => {
    const response = await fetch(`${server.url}/groups/g-1`, { method: 'POST' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expectNoInternals(await response.text());
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

describe('a web server whose build is missing', () => {
  it('answers 500 with one line for the browser and the detail in the terminal log', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'udagram-web-empty-'));
    const lines: string[] = [];
    const broken = await startWebServer({
      appDir: empty,
      config: {},
      port: 0,
      host: '127.0.0.1',
      log: (line) => lines.push(line),
    });
    try {
      const response = await fetch(`${broken.url}/groups/g-1`);

      expect(response.status).toBe(500);
      expect(await response.text()).toBe(
        'Internal error in the web server. The terminal running npm start shows what went wrong.',
      );
      expect(lines.join('\n')).toContain(
        `the web client's page is missing: ${path.join(empty, 'index.html')}`,
      );
    } finally {
      await broken.stop();
      rmSync(empty, { recursive: true, force: true });
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
