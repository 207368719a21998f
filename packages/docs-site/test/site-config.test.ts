import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSitePages } from '../src/site-config';

const FIXTURE = path.join(__dirname, 'fixtures', 'repo');
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-config-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('reading the site from docs/nav.json', () => {
  it('lists the pages in reading order with the lab lessons as their own section', () => {
    const pages = readSitePages(root).map(({ outputPath, section }) => ({ outputPath, section }));

    expect(pages).toEqual([
      { outputPath: 'index.html', section: 'Start here' },
      { outputPath: 'concepts/events.html', section: 'Concepts' },
      { outputPath: 'labs/01-first-lab.html', section: 'Labs' },
    ]);
  });

  it('refuses a page of docs/ that the navigation does not list', () => {
    fs.writeFileSync(path.join(root, 'docs', 'orphan.md'), '# Orphan\n');

    expect(() => readSitePages(root)).toThrow(
      'orphan.md is not in docs/nav.json; add to a section\'s "pages"',
    );
  });

  it('refuses navigation that names a missing page', () => {
    fs.rmSync(path.join(root, 'docs', 'concepts', 'events.md'));

    expect(() => readSitePages(root)).toThrow(
      'docs/nav.json lists "concepts/events.md", but docs/concepts/events.md does not exist; create it or remove the entry',
    );
  });

  it('refuses navigation that is not JSON, and a section without pages', () => {
    fs.writeFileSync(path.join(root, 'docs', 'nav.json'), '{ sections: [] }');
    expect(() => readSitePages(root)).toThrow(/^docs\/nav\.json is not valid JSON \(.+\); fix the syntax$/);

    fs.writeFileSync(path.join(root, 'docs', 'nav.json'), '{ "sections": [{ "title": "Empty" }] }');
    expect(() => readSitePages(root)).toThrow('docs/nav.json sections[0] needs a "title" and either "pages"');
  });
});
