import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The rules the stubs of a file break, which the file's own code (the reference) does not. */
export type StubLintProbe = (relativePath: string, reference: string, released: string) => string[];

interface LintMessage {
  ruleId: string | null;
}

interface EslintModule {
  Linter: new (options: { configType: 'flat'; cwd: string }) => {
    verify(text: string, config: unknown[], options: { filename: string }): LintMessage[];
  };
}

const CONFIG_FILES = ['eslint.config.js', 'eslint.config.cjs', 'eslint.config.mjs'];

/**
 * A stub leaves its function's parameters, and the imports given for its solution, unused until the student
 * writes the task, so the workspace's own lint fails on the untouched student edition. This probe lints each
 * stubbed file before and after release with the workspace's ESLint and configuration (type-aware rules off:
 * they need a whole program, and a `throw` breaks none of them), so release can name exactly the rules to
 * relax in that file. Undefined when the workspace has no ESLint configuration: nothing to satisfy.
 */
export function stubLintProbe(root: string): StubLintProbe | undefined {
  const configFile = CONFIG_FILES.map((name) => path.join(root, name)).find((file) => fs.existsSync(file));
  if (!configFile) return undefined;
  // The workspace's packages, not the course CLI's: the edition is linted with what its `npm run lint` uses.
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  let eslint: EslintModule;
  try {
    eslint = requireFromRoot('eslint') as EslintModule;
  } catch {
    return undefined;
  }
  const loaded = requireFromRoot(configFile) as unknown[] | { default: unknown[] };
  const config = Array.isArray(loaded) ? loaded : loaded.default;
  const linter = new eslint.Linter({ configType: 'flat', cwd: root });
  const withoutTypes = [...config, ...optionalDisableTypeChecked(requireFromRoot)];

  const ruleCounts = (relativePath: string, text: string): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const { ruleId } of linter.verify(text, withoutTypes, { filename: path.join(root, relativePath) })) {
      if (ruleId !== null) counts.set(ruleId, (counts.get(ruleId) ?? 0) + 1);
    }
    return counts;
  };
  return (relativePath, reference, released) => {
    const before = ruleCounts(relativePath, reference);
    return [...ruleCounts(relativePath, released)]
      .filter(([rule, count]) => count > (before.get(rule) ?? 0))
      .map(([rule]) => rule)
      .sort();
  };
}

/** typescript-eslint's switch for linting without type information, when the workspace uses it. */
function optionalDisableTypeChecked(requireFromRoot: NodeJS.Require): unknown[] {
  try {
    const tseslint = requireFromRoot('typescript-eslint') as { configs: { disableTypeChecked: unknown } };
    return [tseslint.configs.disableTypeChecked];
  } catch {
    return [];
  }
}
