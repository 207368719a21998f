// buildDocsSite(): docs/ and the labs' lessons to a static site in one folder: an HTML page each, the search
// index, the stylesheet and the search script. Broken links fail the build, so a published site has none.
import fs from 'node:fs';
import path from 'node:path';
import { DocsBuildError } from './docs-build-error';
import { createHighlighter } from './highlighter';
import { renderLayout, type NavEntry } from './layout';
import { findBrokenLinks } from './link-check';
import { createMarkdownRenderer, type RenderedPage } from './markdown';
import { buildSearchIndex } from './search-index';
import { readSitePages } from './site-config';

export interface BuildDocsSiteOptions {
  /** The repository root (holds docs/ and labs/). Default: found from this package. */
  rootDir?: string;
  outDir: string;
  siteTitle?: string;
}

export interface BuiltSite {
  outDir: string;
  pages: number;
  durationMs: number;
}

const ASSETS_DIR = path.join(__dirname, '..', 'assets');

export async function buildDocsSite(options: BuildDocsSiteOptions): Promise<BuiltSite> {
  const started = performance.now();
  const rootDir = path.resolve(options.rootDir ?? path.join(__dirname, '..', '..', '..'));
  const outDir = path.resolve(options.outDir);
  const pages = readSitePages(rootDir);
  const renderer = createMarkdownRenderer(rootDir, pages, await createHighlighter(), fs.existsSync);
  const rendered = pages.map((page) => ({
    page,
    result: renderer.render(page, fs.readFileSync(page.sourceFile, 'utf8')),
  }));

  const broken = findBrokenLinks(
    rendered.map(({ page, result }) => ({ outputPath: page.outputPath, ...result })),
  );
  if (broken.length > 0) {
    const lines = broken.map((link) => `  ${link.page}: ${link.href} (${link.problem})`);
    throw new DocsBuildError(
      `${broken.length} broken link(s); fix them in the markdown:\n${lines.join('\n')}`,
    );
  }

  const nav: NavEntry[] = rendered.map(({ page, result }) => navEntry(page.outputPath, page.section, result));
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const [index, { page, result }] of rendered.entries()) {
    const file = path.join(outDir, page.outputPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      renderLayout({
        page: nav[index]!,
        body: result.html,
        nav,
        siteTitle: options.siteTitle ?? 'Serverless on AWS',
      }),
    );
  }
  writeAssets(outDir);
  fs.writeFileSync(
    path.join(outDir, 'search-index.json'),
    buildSearchIndex(
      rendered.map(({ page, result }) => ({
        outputPath: page.outputPath,
        title: result.title,
        sections: result.sections,
      })),
    ),
  );
  return { outDir, pages: pages.length, durationMs: performance.now() - started };
}

function navEntry(outputPath: string, section: string, result: RenderedPage): NavEntry {
  return { outputPath, section, title: result.title };
}

function writeAssets(outDir: string): void {
  const assets = path.join(outDir, 'assets');
  fs.mkdirSync(assets, { recursive: true });
  for (const name of fs.readdirSync(ASSETS_DIR))
    fs.copyFileSync(path.join(ASSETS_DIR, name), path.join(assets, name));
  // MiniSearch's browser build (the file its package names for CDNs), so the client loads the index with the
  // library that wrote it. The package exports only its module entry, so the file is found beside it.
  const packageDir = path.resolve(path.dirname(require.resolve('minisearch')), '..', '..');
  fs.copyFileSync(path.join(packageDir, 'dist', 'umd', 'index.js'), path.join(assets, 'minisearch.js'));
}
