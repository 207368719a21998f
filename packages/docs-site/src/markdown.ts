// Markdown to HTML for one page, with what the rest of the build needs from it: the title, the ids a link may
// point at, the links to check, and the page cut into sections for search.
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import GithubSlugger from 'github-slugger';
import { fromHighlighter } from '@shikijs/markdown-it/core';
import type { HighlighterCore } from 'shiki/core';
import { THEMES } from './highlighter';
import { resolveInclude } from './includes';
import type { SourcePage } from './site-config';

type Token = MarkdownIt.Token;

export interface InternalLink {
  /** The page the link points at, as its output path; the page itself for `#anchor` links. */
  targetPage: string;
  anchor?: string;
  /** The href as written, for messages. */
  written: string;
}

export interface PageSection {
  anchor: string;
  heading: string;
  text: string;
}

export interface RenderedPage {
  title: string;
  html: string;
  ids: Set<string>;
  links: InternalLink[];
  /** Links to repository files that are not pages (shown as paths): each must exist. */
  missingFiles: string[];
  sections: PageSection[];
}

interface RenderEnv {
  page: SourcePage;
  links: InternalLink[];
  missingFiles: string[];
  /** Links rendered as plain paths: their closing tag must close a span, not an anchor. */
  openSpans: boolean[];
}

export interface MarkdownRenderer {
  render(page: SourcePage, source: string): RenderedPage;
}

export function createMarkdownRenderer(
  rootDir: string,
  pages: SourcePage[],
  highlighter: HighlighterCore,
  fileExists: (file: string) => boolean,
): MarkdownRenderer {
  const pageBySource = new Map(pages.map((page) => [page.sourceFile, page]));
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  let slugger = new GithubSlugger();
  // GitHub's slugs, so the lessons' own tables of contents work both on GitHub and on the site.
  md.use(anchor, { slugify: (text: string) => slugger.slug(text), tabIndex: false });
  md.core.ruler.after('block', 'include', (state) => {
    const env = state.env as unknown as RenderEnv;
    for (const token of state.tokens) {
      if (token.type !== 'fence') continue;
      const included = resolveInclude(token.info, rootDir, path.relative(rootDir, env.page.sourceFile));
      if (included) {
        token.info = included.info;
        token.content = included.content;
      }
    }
  });
  md.use(
    fromHighlighter(highlighter as never, {
      themes: THEMES,
      // shiki's plain-text language, which its types leave out.
      defaultLanguage: 'text' as never,
      fallbackLanguage: 'text' as never,
    }),
  );

  const defaultLinkOpen =
    md.renderer.rules.link_open ??
    ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const rawEnv = env as unknown as RenderEnv;
    const token = tokens[idx]!;
    const href = String(token.attrGet('href') ?? '');
    const target = classifyHref(href, rawEnv.page, pageBySource);
    if (target.kind === 'page') {
      rawEnv.links.push({ targetPage: target.page.outputPath, anchor: target.anchor, written: href });
      token.attrSet('href', relativeHref(rawEnv.page.outputPath, target.page.outputPath, target.anchor));
    } else if (target.kind === 'file') {
      if (!fileExists(target.file)) rawEnv.missingFiles.push(href);
      rawEnv.openSpans.push(true);
      return `<span class="source-path" title="${md.utils.escapeHtml(path.relative(rootDir, target.file))} in the repository">`;
    } else if (target.kind === 'external') {
      token.attrSet('rel', 'noopener');
    }
    rawEnv.openSpans.push(false);
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  md.renderer.rules.link_close = (tokens, idx, options, env, self) =>
    (env as unknown as RenderEnv).openSpans.pop() === true
      ? '</span>'
      : self.renderToken(tokens, idx, options);

  return {
    render(page, source) {
      slugger = new GithubSlugger();
      const env: RenderEnv = { page, links: [], missingFiles: [], openSpans: [] };
      // markdown-it hands env, untyped, to every rule; the rules above cast it back.
      const tokens = md.parse(source, env as never);
      const html = md.renderer.render(tokens, md.options, env as never);
      return {
        title: firstHeading(tokens) ?? path.basename(page.outputPath, '.html'),
        html,
        ids: new Set(
          tokens.flatMap((token) =>
            token.type === 'heading_open' ? [String(token.attrGet('id') ?? '')] : [],
          ),
        ),
        links: env.links,
        missingFiles: env.missingFiles,
        sections: sectionsOf(tokens),
      };
    },
  };
}

type HrefTarget =
  { kind: 'page'; page: SourcePage; anchor?: string } | { kind: 'file'; file: string } | { kind: 'external' };

function classifyHref(href: string, page: SourcePage, pageBySource: Map<string, SourcePage>): HrefTarget {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return { kind: 'external' };
  const [pathPart = '', anchorPart] = href.split('#');
  const anchorId = anchorPart === undefined || anchorPart === '' ? undefined : decodeURIComponent(anchorPart);
  if (pathPart === '') return { kind: 'page', page, anchor: anchorId };
  const file = path.resolve(path.dirname(page.sourceFile), decodeURIComponent(pathPart));
  const linked = pageBySource.get(file) ?? pageBySource.get(path.join(file, 'README.md'));
  return linked ? { kind: 'page', page: linked, anchor: anchorId } : { kind: 'file', file };
}

/** The href from one output page to another: relative, so the site works from any folder or URL prefix. */
export function relativeHref(fromPage: string, toPage: string, anchorId?: string): string {
  const hash = anchorId === undefined ? '' : `#${encodeURIComponent(anchorId)}`;
  if (fromPage === toPage && hash !== '') return hash;
  return `${path.posix.relative(path.posix.dirname(fromPage), toPage)}${hash}`;
}

function firstHeading(tokens: Token[]): string | undefined {
  const index = tokens.findIndex((token) => token.type === 'heading_open' && token.tag === 'h1');
  return index < 0 ? undefined : plainText(tokens[index + 1]);
}

function sectionsOf(tokens: Token[]): PageSection[] {
  const sections: PageSection[] = [];
  let current: PageSection = { anchor: '', heading: '', text: '' };
  tokens.forEach((token, index) => {
    if (token.type === 'heading_open' && (token.tag === 'h1' || token.tag === 'h2' || token.tag === 'h3')) {
      if (current.text.trim() !== '' || current.heading !== '') sections.push(current);
      current = {
        anchor: String(token.attrGet('id') ?? ''),
        heading: plainText(tokens[index + 1]),
        text: '',
      };
    } else if (token.type === 'inline' && tokens[index - 1]?.type !== 'heading_open') {
      current.text += ` ${plainText(token)}`;
    } else if (token.type === 'fence' || token.type === 'code_block') {
      current.text += ` ${token.content}`;
    }
  });
  sections.push(current);
  return sections.filter((section) => section.heading !== '' || section.text.trim() !== '');
}

function plainText(token: Token | undefined): string {
  if (!token) return '';
  if (!token.children) return token.content;
  return token.children
    .map((child) => (child.type === 'code_inline' || child.type === 'text' ? child.content : ''))
    .join('');
}
