// Enforces memorySize on what --max-old-space-size cannot see: Buffers, typed arrays and native allocations
// (an image decoded by sharp) live outside V8's heap. Lambda counts the whole execution environment against
// memorySize and kills it past the limit, so the watchdog samples each busy sandbox's resident memory and kills
// one that went over. Only invocations that have run longer than a sampling interval are sampled: the
// millisecond invocations of a load test cost nothing. It reads /proc on Linux and asks `ps` on macOS; on
// Windows only the V8 limit applies.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Sandbox } from './sandbox';

const HAS_PROC = existsSync('/proc/self/status');

export class MemoryWatchdog {
  private readonly busy = new Set<Sandbox>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 100) {
    if (process.platform !== 'win32') {
      this.timer = setInterval(() => this.sample(), intervalMs);
      this.timer.unref();
    }
  }

  watch(sandbox: Sandbox): void {
    if (this.timer) this.busy.add(sandbox);
  }

  unwatch(sandbox: Sandbox): void {
    this.busy.delete(sandbox);
  }

  stop(): void {
    clearInterval(this.timer);
    this.busy.clear();
  }

  private sample(): void {
    const now = performance.now();
    for (const sandbox of this.busy) {
      if (sandbox.state !== 'busy' || now - sandbox.busySince < this.intervalMs || sandbox.pid === undefined)
        continue;
      void residentKb(sandbox.pid).then((kb) => {
        if (kb === undefined || sandbox.state !== 'busy') return;
        sandbox.maxRssKb = Math.max(sandbox.maxRssKb, kb);
        if (kb > sandbox.spec.memorySizeMb * 1024) sandbox.killForMemory();
      });
    }
  }
}

async function residentKb(pid: number): Promise<number | undefined> {
  if (!HAS_PROC) return residentKbFromPs(pid);
  try {
    return vmRss(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

function residentKbFromPs(pid: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (error, stdout) => {
      const kb = Number.parseInt(stdout, 10);
      resolve(error || Number.isNaN(kb) ? undefined : kb);
    });
  });
}

/** A process's resident memory right now, KB; undefined where /proc is unavailable. */
export function residentKbNow(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform === 'win32') return undefined;
  try {
    if (HAS_PROC) return vmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const kb = Number.parseInt(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }),
      10,
    );
    return Number.isNaN(kb) ? undefined : kb;
  } catch {
    return undefined;
  }
}

function vmRss(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : undefined;
}
