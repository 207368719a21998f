// Helpers for the Lambda runtime tests: ServiceDefinitions built directly (the config loader is tested
// elsewhere), the fixture services' folders, and awaiting the runtime's events instead of sleeping.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FunctionDefinition, ServiceDefinition } from '../../../src/config/service-definition';
import type { LocalLambdaService, SandboxEvent } from '../../../src/lambda/create-lambda-service';
import type { FunctionErrorPayload, InvokeResult } from '../../../src/lambda/lambda-service';
import { serviceDefinition as buildService } from '../../support/function-definition';

export const RUNTIME_SERVICE = path.resolve(__dirname, '../../fixtures/lambda/runtime-service');
export const HOT_RELOAD_SERVICE = path.resolve(__dirname, '../../fixtures/lambda/hot-reload-service');

export type FunctionSpec = Partial<Omit<FunctionDefinition, 'key'>> & { handler: string };

/** A normalised service with the framework's defaults (1,024 MB, 6 s), as the config loader would give it. */
export function serviceDefinition(
  servicePath: string,
  functions: Record<string, FunctionSpec>,
  service = 'runtime-tests',
): ServiceDefinition {
  return buildService({ service, servicePath, provider: { region: 'eu-west-1' }, functions });
}

/** The handler's result, parsed. */
export function payloadOf<T>(result: InvokeResult): T {
  return JSON.parse(result.payload) as T;
}

/** The function error's payload; fails the test when the invocation succeeded. */
export function errorOf(result: InvokeResult): FunctionErrorPayload {
  expect(result.functionError).toBe('Unhandled');
  return JSON.parse(result.payload) as FunctionErrorPayload;
}

/** Resolves with the next sandbox event that matches. */
export function nextSandboxEvent(
  lambda: LocalLambdaService,
  matches: (event: SandboxEvent) => boolean,
): Promise<SandboxEvent> {
  return new Promise((resolve) => {
    const unsubscribe = lambda.onSandboxEvent((event) => {
      if (!matches(event)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

/** Whether a process with this id still exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A copy of a fixture service in a temporary folder, for tests that edit files or write broken ones. */
export function temporaryService(from?: string): { servicePath: string; remove(): void } {
  const servicePath = mkdtempSync(path.join(tmpdir(), 'local-cloud-lambda-'));
  if (from)
    cpSync(from, servicePath, { recursive: true, filter: (source) => !source.includes('.local-cloud') });
  return { servicePath, remove: () => rmSync(servicePath, { recursive: true, force: true }) };
}

/** Runs `count` tasks with at most `concurrency` at a time; resolves with every result in order. */
export async function runBounded<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
