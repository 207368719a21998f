import fs from 'node:fs';
import type { JestJson } from './jest-report';

type FileResult = JestJson['testResults'][number];

type Entry =
  FileResult | { started: string; at?: number } | { complete: true } | { tampered: string; what: string };

/**
 * The course reporter's lines (sandbox/partial-reporter.js), read as Jest appends them to a file, or pushed
 * as they arrive on the grader's pipe: which test files started and when, and the results of those that
 * finished. Read while Jest runs to enforce the time budget, and after a killed run to keep what finished.
 * Lines that no honest run sends (a file reported twice, or without starting) are kept as `problems`.
 */
export class JestProgress {
  private readonly startedAt = new Map<string, number>();
  private readonly finished = new Map<string, FileResult>();
  private offset = 0;
  private partialLine = '';
  private completed = false;
  /** What the lines show was tampered with; empty for an honest run. */
  readonly problems: string[] = [];

  /** `file` is the reporter's file; none when the lines are pushed from a pipe. */
  constructor(private readonly file?: string) {}

  /** True once the reporter said the run reached its end. */
  get complete(): boolean {
    return this.completed;
  }

  /** Takes in text from the reporter's pipe. */
  push(text: string): void {
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    lines.forEach((line) => this.take(line));
  }

  /** Takes in whatever was appended since the last read. */
  read(): this {
    if (this.file === undefined) return this;
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
      this.push(text);
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
    let entry: Entry;
    try {
      entry = JSON.parse(line) as Entry;
    } catch {
      this.problems.push('a line of the results is not what the reporter writes');
      return;
    }
    if (this.completed) this.problems.push('results arrived after the run had ended');
    if ('complete' in entry) this.completed = true;
    else if ('tampered' in entry) this.problems.push(`${entry.what} (${entry.tampered})`);
    else if ('started' in entry) this.startedAt.set(entry.started, entry.at ?? Date.now());
    else if (this.finished.has(entry.name)) this.problems.push(`${entry.name} reported its results twice`);
    else {
      if (!this.startedAt.has(entry.name)) this.problems.push(`${entry.name} reported without starting`);
      this.finished.set(entry.name, entry);
    }
  }
}
