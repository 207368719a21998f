// Time from saving a handler's source to the first response that comes from the new code, with hot reload on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from '../src';
import { median } from './percentiles';
import { waitUntilOk } from './servers';

const FIXTURE = path.join(__dirname, 'fixtures', 'ten-functions');
const RUNS = 7;

export async function runReloadBenchmark(): Promise<{ medianMs: number; maxMs: number; runs: number }> {
  const service = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reload-'));
  fs.cpSync(FIXTURE, service, { recursive: true });
  const cloud = await start({ servicePath: service, watch: true });
  try {
    const url = `${cloud.apiUrl}/fn1`;
    await waitUntilOk(url, 10_000, (body) => body.includes('"v1"'));
    const source = path.join(service, 'src', 'fn1.ts');
    const original = fs.readFileSync(source, 'utf8');
    const samples: number[] = [];
    for (let run = 2; run < RUNS + 2; run += 1) {
      const version = `v${run}`;
      const started = performance.now();
      fs.writeFileSync(source, original.replace("'v1'", `'${version}'`));
      await waitUntilOk(url, 10_000, (body) => body.includes(`"${version}"`));
      samples.push(performance.now() - started);
    }
    return { medianMs: median(samples), maxMs: Math.max(...samples), runs: RUNS };
  } finally {
    await cloud.stop();
    fs.rmSync(service, { recursive: true, force: true });
  }
}
