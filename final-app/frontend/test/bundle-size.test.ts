// Issue 9's budget: the production build's JavaScript is at most 100 KB gzip-compressed. The build runs in
// a child process (Vite's build API is an ES module, which Jest's module loader cannot load).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BUDGET_BYTES, measureBundle, type BundleSize } from '../scripts/bundle-size';

const run = promisify(execFile);
const outDir = mkdtempSync(path.join(tmpdir(), 'udagram-bundle-'));
let reported: BundleSize;

beforeAll(async () => {
  const script = path.join(__dirname, '..', 'scripts', 'bundle-size.ts');
  const { stdout } = await run(
    process.execPath,
    ['-r', require.resolve('tsx/cjs'), script, '--out-dir', outDir, '--json'],
    { timeout: 120_000, env: { ...process.env, NODE_ENV: 'production' } },
  );
  reported = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as BundleSize;
}, 150_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the production build', () => {
  it('keeps its JavaScript within 100 KB gzip', () => {
    expect(reported.files.length).toBeGreaterThan(0);
    expect(reported.totalGzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('reports what is on disk: every .js asset, gzip-measured', () => {
    const measured = measureBundle(outDir);

    expect(measured).toEqual(reported);
    expect(measured.totalGzipBytes).toBe(measured.files.reduce((sum, file) => sum + file.gzipBytes, 0));
    expect(measured.totalGzipBytes).toBeLessThan(measured.totalBytes);
  });

  it('loads the sign-in library in its own chunk, after the first paint', () => {
    expect(reported.files.map((file) => file.file)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^oidc-client-ts-.+\.js$/),
        expect.stringMatching(/^index-.+\.js$/),
      ]),
    );
  });
});
