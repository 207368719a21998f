// The HTML around each page: a header with the search box, the sidebar with every section, the page, and
// previous / next links in reading order. Every URL is relative, so the site works from any folder.
import { relativeHref } from './markdown';

export interface NavEntry {
  section: string;
  title: string;
  outputPath: string;
}

export interface LayoutInput {
  page: NavEntry;
  body: string;
  nav: NavEntry[];
  siteTitle: string;
}

export function renderLayout({ page, body, nav, siteTitle }: LayoutInput): string {
  const href = (to: string): string => relativeHref(page.outputPath, to);
  const asset = (name: string): string => href(`assets/${name}`);
  const index = nav.findIndex((entry) => entry.outputPath === page.outputPath);
  const previous = nav[index - 1];
  const next = nav[index + 1];
  const root = href('index.html').replace(/index\.html$/, '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · ${escapeHtml(siteTitle)}</title>
<meta name="site-root" content="${root || './'}">
<link rel="stylesheet" href="${asset('site.css')}">
<script defer src="${asset('minisearch.js')}"></script>
<script defer src="${asset('search.js')}"></script>
</head>
<body>
<a class="skip-link" href="#content">Skip to the content</a>
<header class="site-header">
<a class="site-title" href="${href('index.html')}">${escapeHtml(siteTitle)}</a>
<div class="search" role="search">
<label for="search-input" class="visually-hidden">Search the course</label>
<input id="search-input" type="search" placeholder="Search the course" autocomplete="off" aria-controls="search-results">
<ol id="search-results" class="search-results" aria-live="polite"></ol>
</div>
</header>
<div class="layout">
<nav class="sidebar" aria-label="Course">
${sidebar(nav, page.outputPath, href)}
</nav>
<main id="content" class="content">
${body}
<nav class="pager" aria-label="Previous and next page">
${previous ? `<a rel="prev" href="${href(previous.outputPath)}">← ${escapeHtml(previous.title)}</a>` : '<span></span>'}
${next ? `<a rel="next" href="${href(next.outputPath)}">${escapeHtml(next.title)} →</a>` : '<span></span>'}
</nav>
</main>
</div>
</body>
</html>
`;
}

function sidebar(nav: NavEntry[], current: string, href: (to: string) => string): string {
  const sections = [...new Set(nav.map((entry) => entry.section))];
  return sections
    .map((section) => {
      const items = nav
        .filter((entry) => entry.section === section)
        .map((entry) => {
          const currentAttr = entry.outputPath === current ? ' aria-current="page"' : '';
          return `<li><a href="${href(entry.outputPath)}"${currentAttr}>${escapeHtml(entry.title)}</a></li>`;
        })
        .join('\n');
      return `<h2>${escapeHtml(section)}</h2>\n<ul>\n${items}\n</ul>`;
    })
    .join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
