// What the walkthrough started, found through Linux's /proc by process group: a block's shell may have exited
// and left a server it put in the background (`python3 -m http.server 8088 &`) running in its group, and a
// server's own children (Lambda sandboxes, DynamoDB Local's Java) may sit in groups of their own below it.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface RunningProcess {
  pid: number;
  parent: number;
  group: number;
  command: string;
}

function readProcess(pid: number): RunningProcess | undefined {
  try {
    // The name in parentheses may hold spaces or parentheses: the fields that matter follow the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, parent, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return undefined; // exited; only its parent's reaping is left
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, parent: Number(parent), group: Number(group), command };
  } catch {
    return undefined; // gone between listing and reading
  }
}

function allProcesses(): RunningProcess[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is RunningProcess => info !== undefined);
}

/** Every live process in one of `groups`, and every process below one of those, however deep. */
export function membersOf(groups: ReadonlySet<number>): RunningProcess[] {
  const all = allProcesses();
  const found = new Map(all.filter((info) => groups.has(info.group)).map((info) => [info.pid, info]));
  for (let grew = true; grew;) {
    grew = false;
    for (const info of all) {
      if (found.has(info.parent) && !found.has(info.pid)) {
        found.set(info.pid, info);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

export function stillRunning(processes: RunningProcess[]): RunningProcess[] {
  // A pid reused by an unrelated program would need the same command line to count.
  return processes.filter((before) => readProcess(before.pid)?.command === before.command);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Sends `signal` to each group, as a reader stops what they started (Ctrl+C for a server in its terminal,
 * `kill %1` for a job put in the background); then waits for every process found in or below the groups to
 * exit. Those still running at the deadline are killed and returned: a documented command that leaves
 * processes behind is a bug to report.
 */
export async function stopGroups(
  groups: ReadonlySet<number>,
  stop: NodeJS.Signals,
  timeoutMs: number,
): Promise<RunningProcess[]> {
  const members = membersOf(groups);
  for (const group of groups) signal(-group, stop);
  const left = await pollWhileAny(stillRunning(members), stillRunning, timeoutMs);
  for (const survivor of left) signal(survivor.pid, 'SIGKILL');
  return left;
}

/**
 * Narrows `items` with `remaining` every 100 ms until none is left or `timeoutMs` has passed, and returns
 * what is left: /proc offers nothing to await (a process's exit, a socket's close), so this polls, bounded.
 */
export async function pollWhileAny<T>(
  items: T[],
  remaining: (left: T[]) => T[],
  timeoutMs: number,
): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  let left = items;
  while (left.length > 0 && Date.now() < deadline) {
    await delay(100);
    left = remaining(left);
  }
  return left;
}

/** TCP ports something on this machine listens on, from /proc/net/tcp and tcp6. */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const row of text.split('\n').slice(1)) {
      const [, local, , state] = row.trim().split(/\s+/);
      // State 0A is LISTEN; the local address ends with the port in hexadecimal.
      if (state === '0A' && local) ports.add(parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return ports;
}
