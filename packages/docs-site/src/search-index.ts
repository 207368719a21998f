// The client-side search: a MiniSearch index of every page's sections, built here and loaded by the browser
// (assets/search.js) with the same options, so search needs no server.
import MiniSearch from 'minisearch';
import type { PageSection } from './markdown';

export interface SearchDocument {
  id: string;
  /** Relative to the site's root: `concepts/state.html#sessions`. */
  url: string;
  page: string;
  heading: string;
  text: string;
}

/** Shared with assets/search.js, which must load the index with exactly these options. */
export const SEARCH_OPTIONS = {
  fields: ['page', 'heading', 'text'],
  storeFields: ['url', 'page', 'heading'],
} as const;

export function buildSearchIndex(
  pages: { outputPath: string; title: string; sections: PageSection[] }[],
): string {
  const documents: SearchDocument[] = pages.flatMap((page) =>
    page.sections.map((section, index) => ({
      id: `${page.outputPath}#${index}`,
      url:
        section.anchor === '' ? page.outputPath : `${page.outputPath}#${encodeURIComponent(section.anchor)}`,
      page: page.title,
      heading: section.heading,
      text: section.text,
    })),
  );
  const index = new MiniSearch<SearchDocument>({
    fields: [...SEARCH_OPTIONS.fields],
    storeFields: [...SEARCH_OPTIONS.storeFields],
  });
  index.addAll(documents);
  return JSON.stringify({ options: SEARCH_OPTIONS, index });
}
