// Which processes a command started, read from Linux's /proc: "nothing is left running" after Ctrl+C means
// none of them survives, including those that left the process group (sandboxes, DynamoDB Local's Java).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  parent: number;
  command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    // The command name is in parentheses and may hold spaces or parentheses: the fields follow the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return undefined; // exited, waiting for its parent to reap it
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, parent: Number(fields[1]), command };
  } catch {
    return undefined; // gone between listing and reading
  }
}

export function listProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** Every live process below `root` (not `root` itself), however deep. */
export function descendantsOf(root: number): ProcessInfo[] {
  const all = listProcesses();
  const found: ProcessInfo[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const info of all) {
      if (parents.has(info.parent) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** Those of `processes` still running (a pid reused by an unrelated program would need the same command). */
export function survivors(processes: ProcessInfo[]): ProcessInfo[] {
  return processes.filter((before) => readProcess(before.pid)?.command === before.command);
}
