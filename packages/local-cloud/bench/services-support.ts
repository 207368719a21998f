// What the services benchmarks share: a service defined in code around the handlers of
// test/fixtures/platform/bench-service, local-cloud composed as start() composes it with the platform, and the
// `BENCH <key> <epoch ms>` lines handlers print when they start, awaited by key.
import path from 'node:path';
import type { FunctionDefinition, ServiceDefinition } from '../src/config/service-definition';
import type { FunctionLogLine } from '../src/lambda/create-lambda-service';
import { composeLocalCloud, type ComposeOptions, type ComposedCloud } from '../test/platform/support/compose';
import { percentile } from './percentiles';

export const BENCH_SERVICE_PATH = path.resolve(__dirname, '../test/fixtures/platform/bench-service');

export interface LatencyResult {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function latencyResult(latencies: number[]): LatencyResult {
  return {
    samples: latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: Math.max(...latencies),
  };
}

/** This process's epoch clock, sub-millisecond: handlers report theirs, on the same machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export function benchService(
  name: string,
  functions: Record<string, { handler: string; events: Record<string, unknown>[]; memorySize?: number }>,
  resources: Record<string, unknown> = {},
): ServiceDefinition {
  const definitions: Record<string, FunctionDefinition> = {};
  for (const [key, fn] of Object.entries(functions)) {
    definitions[key] = {
      key,
      name: `${name}-bench-${key}`,
      handler: fn.handler,
      runtime: 'nodejs24.x',
      memorySize: fn.memorySize ?? 512,
      timeout: 30,
      environment: {},
      maximumRetryAttempts: 2,
      maximumEventAge: 21_600,
      destinations: {},
      httpEvents: [],
      events: fn.events,
    };
  }
  return {
    service: name,
    servicePath: BENCH_SERVICE_PATH,
    provider: { region: 'us-east-1', stage: 'bench', runtime: 'nodejs24.x', binaryMediaTypes: [] },
    functions: definitions,
    resources,
    custom: {},
  };
}

/** When a handler started, by the key it printed; awaited with a deadline. */
export class StartMarks {
  private readonly marks = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();

  readonly onLog = (line: FunctionLogLine): void => {
    const match = /BENCH (\S+) ([\d.]+)/.exec(line.text);
    if (!match) return;
    const [, key, at] = match as unknown as [string, string, string];
    this.marks.set(key, Number(at));
    this.waiters.get(key)?.(Number(at));
    this.waiters.delete(key);
  };

  started(key: string, timeoutMs = 30_000): Promise<number> {
    const at = this.marks.get(key);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no handler started for ${key} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.set(key, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }
}

/**
 * From each send to its handler's first line, one send at a time; the first `warmUp` sends are not counted.
 * `send(i)` sends the i-th event and gives its key (what the handler prints) and when the send began.
 */
export async function handlerLatencies(
  marks: StartMarks,
  sends: number,
  warmUp: number,
  send: (index: number) => Promise<{ key: string; sentAt: number }>,
): Promise<LatencyResult> {
  const latencies: number[] = [];
  for (let i = 0; i < warmUp + sends; i += 1) {
    const { key, sentAt } = await send(i);
    const startedAt = await marks.started(key);
    if (i >= warmUp) latencies.push(startedAt - sentAt);
  }
  return latencyResult(latencies);
}

export async function withLocalCloud<T>(
  service: ServiceDefinition,
  marks: StartMarks | undefined,
  run: (cloud: ComposedCloud) => Promise<T>,
  options: Pick<ComposeOptions, 'iam'> = {},
): Promise<T> {
  const cloud = await composeLocalCloud({ service, inMemory: true, onLog: marks?.onLog, ...options });
  try {
    return await run(cloud);
  } finally {
    await cloud.stop();
  }
}
