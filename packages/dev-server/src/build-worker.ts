// Builds the web client (Vite's build API) or the docs site in a child process: Vite and the docs site's
// highlighter are ES modules, which Jest's module loader cannot require, and a separate process also
// returns their memory when the build is done. Run as `node -r tsx/cjs build-worker.ts <task> <json>`;
// prints one JSON line with the result.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type BuildTask = { task: 'frontend'; root: string; outDir: string } | { task: 'docs'; outDir: string };

export type BuildResult =
  | { task: 'frontend'; outDir: string }
  | { task: 'docs'; outDir: string; pages: number }
  | { task: 'docs'; outDir: string; placeholder: string };

async function buildFrontend(root: string, outDir: string): Promise<BuildResult> {
  const { build } = await import('vite');
  await build({
    root,
    configFile: path.join(root, 'vite.config.mts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return { task: 'frontend', outDir };
}

interface DocsSiteModule {
  buildDocsSite(options: { outDir: string }): Promise<{ pages: number }>;
}

async function buildDocs(outDir: string): Promise<BuildResult> {
  let docsSite: DocsSiteModule;
  try {
    // Loaded by name at run time: the docs site is its own workspace, and the app runs without it. require,
    // not import(): the workspace is TypeScript compiled by tsx's CommonJS hook.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    docsSite = require('@serverless-course/docs-site') as DocsSiteModule;
  } catch (error) {
    return placeholder(outDir, `the docs site package could not be loaded (${(error as Error).message})`);
  }
  try {
    const site = await docsSite.buildDocsSite({ outDir });
    return { task: 'docs', outDir, pages: site.pages };
  } catch (error) {
    return placeholder(outDir, `the docs site failed to build: ${(error as Error).message}`);
  }
}

/** The page served at /docs/ when the docs site cannot be built: what went wrong, and where the lessons are. */
export function placeholder(outDir: string, reason: string): BuildResult {
  mkdirSync(outDir, { recursive: true });
  const escaped = reason.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  writeFileSync(
    path.join(outDir, 'index.html'),
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Course docs not available</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<main>
<h1>Course docs not available</h1>
<p>${escaped}.</p>
<p>The lessons are also in the repository: <code>docs/</code> and <code>labs/*/README.md</code>. Fix the
problem above, then restart <code>npm start</code>.</p>
</main>
</body>
</html>
`,
  );
  return { task: 'docs', outDir, placeholder: reason };
}

export async function runBuildTask(task: BuildTask): Promise<BuildResult> {
  return task.task === 'frontend' ? buildFrontend(task.root, task.outDir) : buildDocs(task.outDir);
}

if (require.main === module) {
  runBuildTask(JSON.parse(process.argv[2] ?? '{}') as BuildTask).then(
    (result) => process.stdout.write(`\n${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
