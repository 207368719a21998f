// ESLint's import restrictions for a piece of code, linted as text at a file's path with the repository's
// own configuration, as `npm run lint` lints that file: what a test of the repository's module boundaries
// asserts on. ESLint runs in its own process, because it loads its configuration through import(), which
// Jest's module system cannot host. Only `no-restricted-imports` runs, and without type information: that
// rule reads import paths alone, and building the TypeScript program for typed rules took about 6 s a call.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

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

// Runs in the child: reads {filePath, code} from stdin and prints the rule's messages as JSON.
const lintInChild = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const { filePath, code } = JSON.parse(input);
  const eslint = new ESLint({
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  });
  const [result] = await eslint.lintText(code, { filePath });
  process.stdout.write(JSON.stringify(result ? result.messages : []));
});
`;

interface LintMessage {
  ruleId: string | null;
  message: string;
  fatal?: boolean;
}

/** The messages of the `no-restricted-imports` rule for `code` placed at `filePath`, in order. */
export function restrictedImports(filePath: string, code: string): string[] {
  const root = repositoryRoot();
  const eslint = spawnSync(process.execPath, ['-e', lintInChild], {
    cwd: root,
    input: JSON.stringify({ filePath, code }),
    encoding: 'utf8',
  });
  if (!eslint.stdout) throw new Error(`eslint printed nothing: ${eslint.stderr}`);
  const messages = JSON.parse(eslint.stdout) as LintMessage[];
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`eslint could not parse the code: ${fatal.message}`);
  return messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}
