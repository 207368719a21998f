import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Kills a process and every process it started, however deep and whatever their process group. Killing Jest's
 * group is not enough: local-cloud runs each Lambda sandbox in a group of its own, so a sandbox stuck in a
 * student's loop would survive as an orphan. Every process found is first frozen (SIGSTOP), then the tree is
 * read again, so nothing can start a child that escapes, or lose its parent, before the kill. Returns the
 * pids it killed.
 */
export function killProcessTree(rootPid: number): number[] {
  const frozen = new Set<number>();
  // A few rounds: a process may fork between the read of the table and its freeze.
  for (let round = 0; round < 5; round++) {
    const found = [rootPid, ...descendantsOf(rootPid)].filter((pid) => !frozen.has(pid));
    if (found.length === 0) break;
    for (const pid of found) {
      signal(pid, 'SIGSTOP');
      frozen.add(pid);
    }
  }
  signal(-rootPid, 'SIGKILL');
  for (const pid of frozen) signal(pid, 'SIGKILL');
  return [...frozen];
}

/**
 * Resolves once none of these processes runs any more (a killed one dies a moment after the signal), or
 * after `limitMs`: a process stuck in the kernel must not hang the caller.
 */
export async function whenGone(pids: number[], limitMs = 2_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (pids.some(isRunning) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Alive and not a zombie: a killed orphan stays a zombie until its new parent reaps it. */
export function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    if (fs.existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Process ids of every live descendant of `rootPid`. */
function descendantsOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, parent] of processTable()) {
    const siblings = children.get(parent) ?? [];
    siblings.push(pid);
    children.set(parent, siblings);
  }
  const found: number[] = [];
  const pending = [...(children.get(rootPid) ?? [])];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    found.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** [pid, parent pid] of every process: /proc on Linux, `ps` elsewhere (macOS). */
function processTable(): [number, number][] {
  if (fs.existsSync('/proc/self/stat')) {
    return fs.readdirSync('/proc').flatMap((entry): [number, number][] => {
      if (!/^\d+$/.test(entry)) return [];
      try {
        // The command name may hold spaces and parentheses: the fields that follow it start after the last ')'.
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [[Number(entry), parent]];
      } catch {
        return []; // It ended while the table was read.
      }
    });
  }
  const listed = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' });
  return (listed.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields): fields is [number, number] => fields.length === 2 && fields.every(Number.isInteger));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
