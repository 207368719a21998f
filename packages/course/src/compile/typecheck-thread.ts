import { parentPort, workerData } from 'node:worker_threads';
import { TypeChecker } from './typecheck';
import type { CompileRequest, CompileResponse } from './compiler';

// One checker for the thread's life: what it parsed and checked makes the next request fast.
const checker = new TypeChecker((workerData as { cacheDir: string }).cacheDir);

parentPort!.on('message', (request: CompileRequest) => {
  let response: CompileResponse;
  try {
    const diagnostics =
      request.kind === 'syntax'
        ? checker.syntaxErrors(request.labDir)
        : checker.typeErrors(request.labDir, request.roots);
    response = { id: request.id, diagnostics };
  } catch (error) {
    response = {
      id: request.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  parentPort!.postMessage(response);
});
