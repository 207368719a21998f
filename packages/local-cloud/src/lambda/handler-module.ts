// Turns `handler: src/handlers/hello.handler` into the source file to bundle and the export to call, the way
// the Node.js runtime splits it: the last path segment's first dot separates the module from the export path.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FunctionDefinition } from '../config/service-definition';
import { HandlerNotFoundError, MalformedHandlerError } from './errors';

/** Tried in this order: TypeScript first, as serverless-esbuild does, so a stale compiled .js never wins. */
export const HANDLER_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'] as const;

export interface HandlerModule {
  /** Module path from the service folder, without extension: `src/handlers/hello`. */
  modulePath: string;
  /** Absolute path of the source file found for it. */
  sourceFile: string;
  /** `handler`, or `nested.handler` for an export reached through objects. */
  exportPath: string;
}

export function resolveHandlerModule(servicePath: string, fn: FunctionDefinition): HandlerModule {
  const { modulePath, exportPath } = splitHandler(fn.key, fn.handler);
  for (const extension of HANDLER_EXTENSIONS) {
    const sourceFile = path.resolve(servicePath, modulePath + extension);
    if (existsSync(sourceFile)) return { modulePath, sourceFile, exportPath };
  }
  throw new HandlerNotFoundError(fn.key, fn.handler, modulePath, HANDLER_EXTENSIONS, servicePath);
}

export function splitHandler(
  functionKey: string,
  handler: string,
): { modulePath: string; exportPath: string } {
  if (handler.split(/[\\/]/).includes('..')) {
    throw new MalformedHandlerError(functionKey, handler, 'it climbs out of the service folder with ".."');
  }
  const slash = Math.max(handler.lastIndexOf('/'), handler.lastIndexOf('\\'));
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) {
    throw new MalformedHandlerError(functionKey, handler, 'it needs a module, a dot and an export name');
  }
  return { modulePath: handler.slice(0, dot).replace(/^\.\//, ''), exportPath: handler.slice(dot + 1) };
}
