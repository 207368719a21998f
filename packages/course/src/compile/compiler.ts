import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RawDiagnostic } from './typecheck';

export type CompileRequest =
  | { id: number; kind: 'syntax'; labDir: string }
  | { id: number; kind: 'types'; labDir: string; roots?: string[] };

export type CompileResponse = { id: number; diagnostics: RawDiagnostic[] } | { id: number; error: string };

type Pending = { resolve(diagnostics: RawDiagnostic[]): void; reject(error: Error): void };

/**
 * TypeScript in a thread of its own. A type check holds the thread for seconds; on the main thread it would
 * freeze everything else (Ctrl+C, watch's keys, the tests' time budget). Requests are answered in order; the
 * thread keeps its parsed files between them, which makes watch mode's checks fast.
 */
export class Compiler {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** `cacheDir` keeps the type checker's results between processes (.tsbuildinfo files). */
  constructor(private readonly cacheDir: string) {}

  /** Parse errors in the lab's TypeScript files: fast, no libraries loaded. */
  syntaxErrors(labDir: string): Promise<RawDiagnostic[]> {
    return this.request({ kind: 'syntax', labDir });
  }

  /** Type errors in `roots` and what they import (absolute paths), or in every file of the lab. */
  typeErrors(labDir: string, roots?: string[]): Promise<RawDiagnostic[]> {
    return this.request({ kind: 'types', labDir, ...(roots && { roots }) });
  }

  /** Stops the thread, even mid-check; what was pending rejects. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(new Error('the type checker was stopped'));
    await worker?.terminate();
  }

  private request(body: Omit<CompileRequest, 'id'>): Promise<RawDiagnostic[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread().postMessage({ ...body, id });
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(__dirname, 'thread-entry.js'), {
      workerData: { cacheDir: this.cacheDir },
    });
    // Whatever it is doing, it must not keep the CLI alive once the command is done.
    worker.unref();
    worker.on('message', (response: CompileResponse) => {
      const pending = this.pending.get(response.id);
      this.pending.delete(response.id);
      if ('error' in response) pending?.reject(new Error(response.error));
      else pending?.resolve(response.diagnostics);
    });
    worker.on('error', (error: Error) => {
      this.worker = undefined;
      this.failPending(error);
    });
    this.worker = worker;
    return worker;
  }

  private failPending(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    pending.forEach((entry) => entry.reject(error));
  }
}
