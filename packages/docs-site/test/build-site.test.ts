import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { runDocsBuild, type BuildRun } from './support/build';

const FIXTURE = path.join(__dirname, 'fixtures', 'repo');
let outDir: string;
let run: BuildRun;

beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-site-'));
  run = runDocsBuild(['--root', FIXTURE, '--out', outDir]);
});

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

const page = (name: string): string => fs.readFileSync(path.join(outDir, name), 'utf8');

describe('building the fixture site', () => {
  it('reports the pages it built and the command to see them', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^Built 3 pages into .+ in \d+ ms\.\nOpen .+index\.html, or run: npm start\n$/,
    );
  });

  it('writes one page per docs file and per lab lesson', () => {
    expect(fs.existsSync(path.join(outDir, 'index.html'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'concepts', 'events.html'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'labs', '01-first-lab.html'))).toBe(true);
  });

  it('rewrites links between markdown files to the pages, relative to the linking page', () => {
    expect(page('index.html')).toContain('href="concepts/events.html#what-an-event-is-really"');
    expect(page('index.html')).toContain('href="labs/01-first-lab.html"');
    expect(page('labs/01-first-lab.html')).toContain('href="../concepts/events.html"');
  });
});

describe('a page of the fixture site', () => {
  it('shows an included region of a source file, highlighted, without its region or solution markers', () => {
    const html = page('concepts/events.html');

    expect(html).toContain('class="shiki shiki-themes github-light github-dark"');
    expect(html).toContain('handler');
    expect(html).not.toContain('#region');
    expect(html).not.toContain('BEGIN SOLUTION');
  });

  it('shows a link to a repository file that is not a page as its path', () => {
    expect(page('concepts/events.html')).toContain(
      '<span class="source-path" title="labs/01-first-lab/src/handler.ts in the repository">the lab\'s source</span>',
    );
  });

  it('has the sidebar with the current page marked, and previous and next links in reading order', () => {
    const html = page('concepts/events.html');

    expect(html).toContain('<a href="events.html" aria-current="page">Events and triggers</a>');
    expect(html).toContain('<a rel="prev" href="../index.html">← Fixture course</a>');
    expect(html).toContain('<a rel="next" href="../labs/01-first-lab.html">Lab 01 — First lab →</a>');
  });

  it('keeps external links as written', () => {
    expect(page('index.html')).toContain('href="https://docs.aws.amazon.com/lambda/" rel="noopener"');
  });
});

describe("the fixture site's search index", () => {
  it('loads in MiniSearch with the options it was saved with and finds a section by a word in it', () => {
    const { options, index } = JSON.parse(page('search-index.json')) as {
      options: { fields: string[]; storeFields: string[] };
      index: unknown;
    };
    const search = MiniSearch.loadJS(index as never, options);

    const [best] = search.search('thundering', { prefix: true });

    expect(best).toMatchObject({ url: 'concepts/events.html#idempotency', heading: 'Idempotency' });
  });

  it('ships MiniSearch and the search script beside the pages', () => {
    expect(fs.existsSync(path.join(outDir, 'assets', 'minisearch.js'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'assets', 'search.js'))).toBe(true);
  });
});

describe('a build with a broken link', () => {
  it('fails, naming the page, the link and what is wrong, and writes nothing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-broken-'));
    const out = path.join(root, 'out');
    fs.cpSync(FIXTURE, root, { recursive: true });
    fs.appendFileSync(
      path.join(root, 'docs', 'index.md'),
      '\nSee [nothing](concepts/events.md#no-such-heading).\n',
    );

    const broken = runDocsBuild(['--root', root, '--out', out]);
    fs.rmSync(root, { recursive: true, force: true });

    expect(broken.status).toBe(1);
    expect(broken.stderr).toBe(
      '1 broken link(s); fix them in the markdown:\n' +
        '  index.html: concepts/events.md#no-such-heading (no heading with id "no-such-heading" on concepts/events.html)\n',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('the CLI', () => {
  it('rejects an unknown option with the usage', () => {
    const wrong = runDocsBuild(['--output', 'x']);

    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(
      /Unknown option '--output'.*Usage: npm run docs:build -- --out DIR \[--root DIR\]\n$/,
    );
  });
});
