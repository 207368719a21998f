// The production JavaScript budget: what a visitor downloads, gzip-compressed as a server sends it.
//
//   npx tsx final-app/frontend/scripts/bundle-size.ts [--out-dir DIR] [--json]
//
// builds the app with Vite's build API (into dist/, or DIR), then prints each file's size and the total
// against the budget; exit code 1 over budget. --json prints the measurement as one JSON line instead.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

/** Issue 9: at most 100 KB of gzip-compressed JavaScript. */
export const BUDGET_BYTES = 100 * 1024;

export interface BundleSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  totalBytes: number;
  totalGzipBytes: number;
}

export function measureBundle(distDir: string): BundleSize {
  const assets = path.join(distDir, 'assets');
  const files = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .sort()
    .map((file) => {
      const content = readFileSync(path.join(assets, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
  return {
    files,
    totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    totalGzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
}

export function formatBundleSize(size: BundleSize): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    ...size.files.map(
      (file) =>
        `${file.file.padEnd(40)} ${kb(file.bytes).padStart(10)} ${kb(file.gzipBytes).padStart(10)} gzip`,
    ),
    `${'total'.padEnd(40)} ${kb(size.totalBytes).padStart(10)} ${kb(size.totalGzipBytes).padStart(10)} gzip (budget ${kb(BUDGET_BYTES)})`,
  ].join('\n');
}

const ROOT = path.join(__dirname, '..');

/** Vite is an ES module: loaded here, in a Node process, not in Jest's module loader. */
export async function buildApp(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    root: ROOT,
    configFile: path.join(ROOT, 'vite.config.mts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' }, json: { type: 'boolean' } } });
  const outDir = path.resolve(values['out-dir'] ?? path.join(ROOT, 'dist'));
  await buildApp(outDir);
  const size = measureBundle(outDir);
  console.log(values.json ? JSON.stringify(size) : formatBundleSize(size));
  return size.totalGzipBytes <= BUDGET_BYTES ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
