// Code samples come from the repository's own source files, which are compiled and tested, so a sample cannot
// drift from the code it shows. A fence whose info string says `include=<path from the repository root>`
// gets that file's text; `#<name>` narrows it to the lines between `// #region <name>` and `// #endregion`
// (`#region` markers in YAML too). Marker lines, and the course's solution markers, are not shown.
import fs from 'node:fs';
import path from 'node:path';
import { DocsBuildError } from './docs-build-error';

const INCLUDE = /(?:^|\s)include=(\S+)/;
const MARKER = /^\s*(?:\/\/|#)\s*(?:#region\b|#endregion\b|BEGIN SOLUTION\b|END SOLUTION\b)/;

/** The fence's language and text when its info string asks for an include, otherwise undefined. */
export function resolveInclude(
  info: string,
  rootDir: string,
  pageLabel: string,
): { info: string; content: string } | undefined {
  const match = INCLUDE.exec(info);
  if (!match) return undefined;
  const [file, region] = match[1]!.split('#') as [string, string | undefined];
  const absolute = path.resolve(rootDir, file);
  if (!absolute.startsWith(rootDir + path.sep) || !fs.existsSync(absolute)) {
    throw new DocsBuildError(
      `${pageLabel} includes ${file}, which does not exist; fix the path (from the repository root)`,
    );
  }
  const lines = fs.readFileSync(absolute, 'utf8').split('\n');
  const selected =
    region === undefined ? lines : regionLines(lines, region, `${pageLabel} includes ${file}#${region}`);
  const content = dedent(selected.filter((line) => !MARKER.test(line)))
    .join('\n')
    .replace(/\n+$/, '');
  return { info: info.replace(INCLUDE, '').trim(), content: `${content}\n` };
}

function regionLines(lines: string[], region: string, label: string): string[] {
  const start = lines.findIndex((line) =>
    new RegExp(`^\\s*(?://|#)\\s*#region ${escape(region)}\\s*$`).test(line),
  );
  if (start < 0) {
    throw new DocsBuildError(
      `${label}: no "// #region ${region}" line in that file; add the region or fix its name`,
    );
  }
  const end = lines.findIndex((line, index) => index > start && /^\s*(?:\/\/|#)\s*#endregion\b/.test(line));
  if (end < 0) throw new DocsBuildError(`${label}: the region has no "// #endregion" line; close it`);
  return lines.slice(start + 1, end);
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(common));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
