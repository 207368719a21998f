import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { MANIFEST_PATH } from './edition';

/** Who made the edition's first commit: the release, not whoever ran it. */
const IDENTITY = { name: 'Serverless course release', email: 'release@serverless-course.invalid' };

export type GitOutcome = { committed: true } | { committed: false; reason: string };

/**
 * Makes an edition a git repository with one commit holding every file, so `git diff` shows a student what
 * they changed and `git checkout` undoes it from the first day. The identity comes from the environment and
 * the user's and system's git configuration are left out, so the commit is the same on every machine (no
 * signing prompt, no hooks, no line-ending conversion). The release manifest is added although the course's
 * .gitignore ignores `.course/`: `course reset` needs it in every clone.
 */
export function commitEdition(dir: string, message: string): GitOutcome {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const steps = [
    ['-c', 'init.defaultBranch=main', 'init', '--quiet'],
    ['add', '--all'],
    ['add', '--force', MANIFEST_PATH],
    ['commit', '--quiet', '--no-verify', '--message', message],
  ];
  for (const args of steps) {
    const run = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (run.error) {
      const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
      return { committed: false, reason: missing ? 'git is not installed' : run.error.message };
    }
    if (run.status !== 0) {
      const firstLine =
        run.stderr.split('\n').find((line) => line.trim() !== '') ?? `exit code ${run.status}`;
      return { committed: false, reason: `git ${args.join(' ')} failed: ${firstLine.trim()}` };
    }
  }
  return { committed: true };
}
