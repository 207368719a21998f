// A service's state on disk (`<service>/.local-cloud/<service>/state.json`): written whole, aside then renamed,
// so a crash mid-write never leaves half a file; and, for services whose state changes with every call (queued
// messages, stream records), written at most every 100 ms rather than on each change.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The state file in a service's data folder; none when nothing is persisted (in memory). */
export function stateFileIn(dataDir: string | undefined): string | undefined {
  return dataDir ? path.join(dataDir, 'state.json') : undefined;
}

export function writeStateFile(file: string, state: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Runs `save` once shortly after the first of a burst of requests; flush() runs a pending one now. */
export class SaveSoon {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly save: () => void,
    private readonly delayMs = 100,
  ) {}

  request(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, this.delayMs);
    // A pending write must not keep a test run or a stopping CLI alive: stop() flushes it.
    this.timer.unref();
  }

  /** Writes now (at stop), whether or not a write was pending. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }
}
