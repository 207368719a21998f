// ESLint's import restrictions for a piece of code, linted as text at a file's path exactly as `npm run lint`
// lints that file: what a test of the repository's module boundaries asserts on. ESLint runs in its own
// process, because it loads its configuration through import(), which Jest's module system cannot host.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

interface LintResult {
  messages: { ruleId: string | null; message: string }[];
}

/** The repository's root: the nearest folder up from this one with eslint.config.js. */
function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'eslint.config.js'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no eslint.config.js above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

/** The messages of the `no-restricted-imports` rule for `code` placed at `filePath`, in order. */
export function restrictedImports(filePath: string, code: string): string[] {
  const root = repositoryRoot();
  const eslint = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
      '--stdin',
      '--stdin-filename',
      filePath,
      '--format',
      'json',
    ],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  if (!eslint.stdout) throw new Error(`eslint printed nothing: ${eslint.stderr}`);
  const [result] = JSON.parse(eslint.stdout) as LintResult[];
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}
