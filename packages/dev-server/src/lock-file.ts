// One `npm start` at a time: two would fight over the ports and over DynamoDB Local's data files. The lock
// is a file holding the owner's pid, created exclusively; a lock whose process is gone (killed with -9, a
// crash, a reboot) is stale and taken over.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LockOwner {
  pid: number;
  /** Where the running app is, for the refusal message. */
  url?: string;
  startedAt: string;
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';

  constructor(readonly owner: LockOwner) {
    super(
      `Udagram is already running (pid ${owner.pid}${owner.url ? `, ${owner.url}` : ''}). Open that, or stop it with Ctrl+C in its terminal and run npm start again.`,
    );
  }
}

export interface Lock {
  file: string;
  /** Records where the app is, once it is up. */
  update(details: { url: string }): void;
  /** Removes the file if it is still ours. */
  release(): void;
}

export function acquireLock(
  file: string,
  options: { pid?: number; isAlive?: (pid: number) => boolean; now?: () => Date } = {},
): Lock {
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const owner: LockOwner = { pid, startedAt: (options.now?.() ?? new Date()).toISOString() };
  mkdirSync(path.dirname(file), { recursive: true });
  const write = (flag: 'wx' | 'w', details: LockOwner) =>
    writeFileSync(file, `${JSON.stringify(details)}\n`, { flag, mode: 0o644 });

  // Twice at most: the second attempt follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      write('wx', owner);
      return {
        file,
        update: (details) => {
          if (readOwner(file)?.pid === pid) write('w', { ...owner, ...details });
        },
        release: () => {
          if (readOwner(file)?.pid === pid) unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = readOwner(file);
    if (current && current.pid !== pid && isAlive(current.pid)) throw new LockHeldError(current);
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  // Another start removed the same stale lock and took it between our two attempts.
  throw new LockHeldError(readOwner(file) ?? owner);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && Number.isInteger(owner.pid) && owner.pid > 0
      ? (owner as LockOwner)
      : undefined;
  } catch {
    // Unreadable or half-written: treated as stale, as a crash mid-write would leave it.
    return undefined;
  }
}

/** Signal 0 checks for the process without touching it; EPERM means it exists but is another user's. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
