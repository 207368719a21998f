// The course's own docs: the real site builds, so no page, link, anchor or included sample is broken.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDocsBuild } from './support/build';

describe("the course's docs site", () => {
  it('builds every page of docs/ and every lab lesson with no broken link', () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-docs-'));
    try {
      const build = runDocsBuild(['--out', outDir]);

      expect(build.stderr).toBe('');
      expect(build.status).toBe(0);
      const labs = fs.readdirSync(path.join(outDir, 'labs'));
      expect(labs).toContain('01-hello-lambda.html');
      expect(fs.existsSync(path.join(outDir, 'concepts', 'design-patterns.html'))).toBe(true);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
