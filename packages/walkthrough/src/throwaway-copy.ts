// The repository as a reader has it, in a temporary folder: documented commands write (progress, builds, a
// student edition next to the repository, hints revealed), and none of that may land in the developer's
// checkout or home folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ThrowawayCopy {
  /** The copy of the repository; its parent holds nothing else but `home`, so `../x` stays inside. */
  root: string;
  /** The reader's home folder: empty but for a git identity and a curl configuration. */
  home: string;
  remove(): void;
}

/**
 * Copies what git would hand a reader (tracked files and new ones not ignored, as they are in the working
 * tree) and hard-links every node_modules folder: seconds rather than minutes, and the workspaces' links in
 * node_modules are relative, so they resolve inside the copy.
 */
export function makeThrowawayCopy(repository: string, curlrc: string): ThrowawayCopy {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'walkthrough-'));
  const root = path.join(parent, 'serverless-course');
  const home = path.join(parent, 'home');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repository,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of listed) copyEntry(path.join(repository, file), path.join(root, file));
  for (const manifest of listed.filter((file) => path.basename(file) === 'package.json')) {
    linkNodeModules(path.join(repository, path.dirname(manifest)), path.join(root, path.dirname(manifest)));
  }
  const workspaceLink = path.join(root, 'node_modules', '@serverless-course', 'course');
  if (!fs.realpathSync(workspaceLink).startsWith(`${root}${path.sep}`)) {
    throw new Error(`${workspaceLink} resolves outside the copy, to ${fs.realpathSync(workspaceLink)}`);
  }

  fs.mkdirSync(home);
  // A reader's git knows who they are; without it `git commit` in the lessons stops to ask.
  fs.writeFileSync(
    path.join(home, '.gitconfig'),
    '[user]\n\tname = Walkthrough\n\temail = walkthrough@example.com\n[init]\n\tdefaultBranch = main\n',
  );
  fs.writeFileSync(path.join(home, '.curlrc'), curlrc);
  return { root, home, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

function copyEntry(from: string, to: string): void {
  const stat = fs.lstatSync(from, { throwIfNoEntry: false });
  if (!stat) return; // deleted in the working tree, not yet in the index
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
  else fs.copyFileSync(from, to); // keeps the mode: bin scripts stay executable
}

function linkNodeModules(fromDir: string, toDir: string): void {
  const from = path.join(fromDir, 'node_modules');
  if (!fs.existsSync(from)) return;
  execFileSync('cp', ['-al', from, path.join(toDir, 'node_modules')]);
  // Caches that tools rewrite in place would write through a hard link into the checkout's copy.
  for (const cache of ['.cache', '.vite']) {
    fs.rmSync(path.join(toDir, 'node_modules', cache), { recursive: true, force: true });
  }
}
