// `npm run docs:build -- --out DIR`: writes the docs site to DIR (default dist/docs) and says how long it took.
// `--root DIR` builds another repository's docs/ and labs/ (the tests build a small fixture that way).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDocsSite } from './build-site';
import { DocsBuildError } from './docs-build-error';

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  let outDir: string;
  let rootDir: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, root: { type: 'string' } },
      allowPositionals: false,
    });
    outDir = path.resolve(cwd, values.out ?? path.join(__dirname, '..', '..', '..', 'dist', 'docs'));
    rootDir = values.root === undefined ? undefined : path.resolve(cwd, values.root);
  } catch (error) {
    console.error(`${(error as Error).message}. Usage: npm run docs:build -- --out DIR [--root DIR]`);
    return 2;
  }
  try {
    const site = await buildDocsSite({ outDir, rootDir });
    console.log(
      `Built ${site.pages} pages into ${path.relative(cwd, site.outDir) || '.'} in ${Math.round(site.durationMs)} ms.`,
    );
    console.log(`Open ${path.join(path.relative(cwd, site.outDir), 'index.html')}, or run: npm start`);
    return 0;
  } catch (error) {
    if (error instanceof DocsBuildError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}
