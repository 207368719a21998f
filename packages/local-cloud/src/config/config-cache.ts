// The framework's resolved configuration, kept in <service>/.local-cloud/cache/ under the digest of what it
// was resolved from. The resolved output is cached rather than the ServiceDefinition so that normalising and
// validating (under a millisecond) always run with the current local-cloud's rules.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerlessPrintOutput } from './serverless-print';

/** Bump when the cached shape changes, so older entries read as misses. */
const CACHE_FORMAT = 1;

interface CacheEntry extends ServerlessPrintOutput {
  format: number;
  key: string;
}

export function cacheFolder(servicePath: string): string {
  return path.join(servicePath, '.local-cloud', 'cache');
}

/** One entry per stage, so switching stages keeps both and the folder stays small. */
function entryFile(servicePath: string, stage: string | undefined): string {
  return path.join(cacheFolder(servicePath), `serverless-print.${stage ?? 'default-stage'}.json`);
}

export function readCachedPrint(
  servicePath: string,
  stage: string | undefined,
  key: string,
): ServerlessPrintOutput | undefined {
  try {
    const entry = JSON.parse(readFileSync(entryFile(servicePath, stage), 'utf8')) as CacheEntry;
    if (entry.format !== CACHE_FORMAT || entry.key !== key) return undefined;
    return { config: entry.config, warnings: entry.warnings };
  } catch {
    return undefined;
  }
}

export function writeCachedPrint(
  servicePath: string,
  stage: string | undefined,
  key: string,
  output: ServerlessPrintOutput,
): void {
  const folder = cacheFolder(servicePath);
  mkdirSync(folder, { recursive: true });
  // The folder is generated: keep it out of git even in a repository whose .gitignore does not know it.
  writeFileSync(path.join(servicePath, '.local-cloud', '.gitignore'), '*\n');
  const file = entryFile(servicePath, stage);
  const entry: CacheEntry = { format: CACHE_FORMAT, key, ...output };
  // Written aside then renamed, so a concurrent start never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(entry));
  renameSync(partial, file);
}
