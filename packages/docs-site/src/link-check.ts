// No broken internal link or anchor: every link between pages must reach a page that exists and, when it
// names an anchor, a heading on that page; every link to a repository file must name a file that exists.
import type { InternalLink } from './markdown';

export interface CheckedPage {
  outputPath: string;
  ids: Set<string>;
  links: InternalLink[];
  missingFiles: string[];
}

export interface BrokenLink {
  page: string;
  href: string;
  problem: string;
}

export function findBrokenLinks(pages: CheckedPage[]): BrokenLink[] {
  const byPath = new Map(pages.map((page) => [page.outputPath, page]));
  return pages.flatMap((page) => [
    ...page.missingFiles.map((href) => ({
      page: page.outputPath,
      href,
      problem: 'no such file in the repository',
    })),
    ...page.links.flatMap((link): BrokenLink[] => {
      const target = byPath.get(link.targetPage);
      if (!target) return [{ page: page.outputPath, href: link.written, problem: 'no such page' }];
      if (link.anchor !== undefined && !target.ids.has(link.anchor)) {
        return [
          {
            page: page.outputPath,
            href: link.written,
            problem: `no heading with id "${link.anchor}" on ${link.targetPage}`,
          },
        ];
      }
      return [];
    }),
  ]);
}
