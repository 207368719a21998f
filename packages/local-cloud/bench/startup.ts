// Time from launching `local-cloud start` to the first 200 from a route, on a ten-function TypeScript
// service: once with no cached configuration (serverless print runs) and then with the cache warm.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './percentiles';
import { freePortPair, LOCAL_CLOUD_BIN, startServer } from './servers';

const FIXTURE = path.join(__dirname, 'fixtures', 'ten-functions');
const CACHED_RUNS = 5;

export async function runStartupBenchmark(): Promise<{
  uncachedMs: number;
  cachedMs: number;
  cachedRuns: number;
}> {
  const service = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  try {
    fs.cpSync(FIXTURE, service, { recursive: true });
    const uncachedMs = await timeToFirstResponse(service);
    const cached: number[] = [];
    for (let run = 0; run < CACHED_RUNS; run += 1) cached.push(await timeToFirstResponse(service));
    return { uncachedMs, cachedMs: median(cached), cachedRuns: CACHED_RUNS };
  } finally {
    fs.rmSync(service, { recursive: true, force: true });
  }
}

async function timeToFirstResponse(service: string): Promise<number> {
  const port = await freePortPair();
  const started = performance.now();
  const server = await startServer(
    [process.execPath, LOCAL_CLOUD_BIN, 'start', service, '--port', String(port), '--no-watch'],
    service,
    `http://127.0.0.1:${port}/dev/fn1`,
  );
  const elapsed = performance.now() - started;
  await server.stop();
  return elapsed;
}
