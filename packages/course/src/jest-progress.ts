import fs from 'node:fs';
import type { JestJson } from './jest-report';

type FileResult = JestJson['testResults'][number];

/**
 * The course reporter's lines (sandbox/partial-reporter.js), read as Jest appends them: which test files
 * started and when, and the results of those that finished. Read while Jest runs to enforce the time budget,
 * and after a killed run to keep what finished.
 */
export class JestProgress {
  private readonly startedAt = new Map<string, number>();
  private readonly finished = new Map<string, FileResult>();
  private offset = 0;
  private partialLine = '';

  constructor(private readonly file: string) {}

  /** Takes in whatever was appended since the last read. */
  read(): this {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return this; // No file has started yet.
    }
    try {
      const chunk = Buffer.alloc(64 * 1024);
      let text = '';
      for (let bytes; (bytes = fs.readSync(fd, chunk, 0, chunk.length, this.offset)) > 0;) {
        text += chunk.toString('utf8', 0, bytes);
        this.offset += bytes;
      }
      const lines = (this.partialLine + text).split('\n');
      this.partialLine = lines.pop() ?? '';
      lines.forEach((line) => this.take(line));
    } finally {
      fs.closeSync(fd);
    }
    return this;
  }

  /** Results of the files that finished, in the order they did. */
  get results(): FileResult[] {
    return [...this.finished.values()];
  }

  /** Test files (absolute) that started and have not reported. */
  get unfinished(): string[] {
    return [...this.startedAt.keys()].filter((file) => !this.finished.has(file));
  }

  /** Unfinished files that have run for longer than `budgetMs` at `now`. */
  overBudget(budgetMs: number, now: number): string[] {
    return this.unfinished.filter((file) => now - this.startedAt.get(file)! > budgetMs);
  }

  private take(line: string): void {
    if (line.trim() === '') return;
    try {
      const entry = JSON.parse(line) as FileResult | { started: string; at?: number };
      if ('started' in entry) this.startedAt.set(entry.started, entry.at ?? Date.now());
      else this.finished.set(entry.name, entry);
    } catch {
      // A line cut short by a kill.
    }
  }
}
