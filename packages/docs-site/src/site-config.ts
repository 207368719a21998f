// What the site is made of: docs/nav.json names every page of docs/ in reading order, and the labs' lessons
// (labs/NN-name/README.md) join as a section of their own. A page missing from the navigation, or navigation
// naming a missing page, stops the build: readers find pages through the sidebar, so neither may drift.
import fs from 'node:fs';
import path from 'node:path';
import { DocsBuildError } from './docs-build-error';

export interface NavSection {
  title: string;
  /** Markdown files relative to docs/. */
  pages?: string[];
  /** True for the section listing every lab's lesson, in folder order. */
  labs?: boolean;
}

export interface SourcePage {
  /** Absolute path of the markdown file. */
  sourceFile: string;
  /** Where the page is written, relative to the output folder, with forward slashes: `concepts/state.html`. */
  outputPath: string;
  section: string;
}

export const NAV_FILE = 'docs/nav.json';

export function readSitePages(rootDir: string): SourcePage[] {
  const navFile = path.join(rootDir, NAV_FILE);
  if (!fs.existsSync(navFile)) {
    throw new DocsBuildError(
      `${NAV_FILE} is missing; create it with the site's sections (see packages/docs-site/README.md)`,
    );
  }
  const sections = parseNav(fs.readFileSync(navFile, 'utf8'));
  const pages = sections.flatMap((section) =>
    section.labs === true ? labPages(rootDir, section.title) : docsPages(rootDir, section),
  );
  checkEveryDocIsListed(rootDir, pages);
  return pages;
}

function parseNav(text: string): NavSection[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DocsBuildError(`${NAV_FILE} is not valid JSON (${(error as Error).message}); fix the syntax`);
  }
  const sections = (parsed as { sections?: unknown }).sections;
  if (!Array.isArray(sections) || sections.length === 0) {
    throw new DocsBuildError(
      `${NAV_FILE} needs "sections": [{ "title": "...", "pages": ["index.md"] }, ...]`,
    );
  }
  return sections.map((section: unknown, index) => {
    const { title, pages, labs } = (section ?? {}) as NavSection;
    const pagesValid =
      pages === undefined || (Array.isArray(pages) && pages.every((p) => typeof p === 'string'));
    if (typeof title !== 'string' || title === '' || !pagesValid || (pages === undefined && labs !== true)) {
      throw new DocsBuildError(
        `${NAV_FILE} sections[${index}] needs a "title" and either "pages" (markdown files under docs/) or "labs": true`,
      );
    }
    return { title, pages, labs };
  });
}

function docsPages(rootDir: string, section: NavSection): SourcePage[] {
  return (section.pages ?? []).map((page) => {
    const sourceFile = path.join(rootDir, 'docs', page);
    if (!page.endsWith('.md') || !fs.existsSync(sourceFile)) {
      throw new DocsBuildError(
        `${NAV_FILE} lists "${page}", but docs/${page} does not exist; create it or remove the entry`,
      );
    }
    return { sourceFile, outputPath: page.replace(/\.md$/, '.html'), section: section.title };
  });
}

function labPages(rootDir: string, section: string): SourcePage[] {
  const labsDir = path.join(rootDir, 'labs');
  if (!fs.existsSync(labsDir)) return [];
  return fs
    .readdirSync(labsDir)
    .filter((name) => /^\d{2}-/.test(name) && fs.existsSync(path.join(labsDir, name, 'README.md')))
    .sort()
    .map((name) => ({
      sourceFile: path.join(labsDir, name, 'README.md'),
      outputPath: `labs/${name}.html`,
      section,
    }));
}

function checkEveryDocIsListed(rootDir: string, pages: SourcePage[]): void {
  const listed = new Set(pages.map((page) => page.sourceFile));
  const unlisted = markdownFiles(path.join(rootDir, 'docs')).filter((file) => !listed.has(file));
  if (unlisted.length > 0) {
    const names = unlisted.map((file) => path.relative(path.join(rootDir, 'docs'), file));
    throw new DocsBuildError(
      `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not in ${NAV_FILE}; add to a section's "pages"`,
    );
  }
}

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}
