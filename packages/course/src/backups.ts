import fs from 'node:fs';
import path from 'node:path';

const BACKUPS_DIR = '.course/backups';

/**
 * Copies files that are about to be overwritten into a new folder, `.course/backups/<time>/`, under their own
 * paths, and returns that folder relative to the root. A student edition has no history of its own work
 * until the student commits, so this is what makes an overwrite undoable. `.course/` is ignored by git.
 */
export function backUp(root: string, files: string[], now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let folder = `${BACKUPS_DIR}/${stamp}`;
  for (let attempt = 2; fs.existsSync(path.join(root, folder)); attempt++) {
    folder = `${BACKUPS_DIR}/${stamp}-${attempt}`;
  }
  for (const file of files) {
    const target = path.join(root, folder, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(root, file), target);
  }
  return folder;
}
