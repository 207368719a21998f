import path from 'node:path';
import { resolveInclude } from '../src/includes';

const FIXTURE = path.join(__dirname, 'fixtures', 'repo');

describe('including source files in code samples', () => {
  it('leaves a fence without include= alone', () => {
    expect(resolveInclude('ts', FIXTURE, 'page.md')).toBeUndefined();
  });

  it("takes a region's lines, dedented, without the course's solution markers", () => {
    expect(resolveInclude('ts include=labs/01-first-lab/src/handler.ts#handler', FIXTURE, 'page.md')).toEqual(
      {
        info: 'ts',
        content: "export async function handler(): Promise<string> {\n  return 'hello';\n}\n",
      },
    );
  });

  it('names the page and the fix when the file or the region is missing', () => {
    expect(() => resolveInclude('ts include=labs/nope.ts', FIXTURE, 'docs/a.md')).toThrow(
      'docs/a.md includes labs/nope.ts, which does not exist; fix the path (from the repository root)',
    );
    expect(() =>
      resolveInclude('ts include=labs/01-first-lab/src/handler.ts#other', FIXTURE, 'docs/a.md'),
    ).toThrow(
      'docs/a.md includes labs/01-first-lab/src/handler.ts#other: no "// #region other" line in that file',
    );
  });

  it('refuses a path outside the repository', () => {
    expect(() => resolveInclude('ts include=../../../package.json', FIXTURE, 'docs/a.md')).toThrow(
      /which does not exist/,
    );
  });
});
