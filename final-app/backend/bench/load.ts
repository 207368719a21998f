// `node --expose-gc --import tsx final-app/backend/bench/load.ts` (or plain `npx tsx ...`, without the heap
// after collection): a bounded load run of the app on local-cloud, on 127.0.0.1.
// After a warm-up (so every function has its sandboxes: one per concurrent invocation, as on Lambda),
// autocannon drives a mix of every REST endpoint for LOAD_SECONDS (default 60) over CONNECTIONS (default 4)
// connections: reads of groups,
// images, search and config, and authenticated writes (new groups and images). It reports requests,
// errors, latency percentiles and resident memory every 15 s of the measured run: this process (local-cloud's
// gateways and services, plus autocannon), the Lambda sandboxes, and DynamoDB Local apart (the writes in the
// mix add data, and a database that holds more data rightly takes more memory; a leak shows as a sandbox
// average that keeps climbing). Exit code 1 if any request failed. Linux only for the descendants (/proc).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { start } from '@serverless-course/local-cloud';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
// Each connection can keep one sandbox per function busy, about 90 MB each: 4 connections stay near 2 GB.
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 4);
const WARMUP_SECONDS = 20;
// API Gateway gives up on an integration after 29 s; a request still unanswered at 30 s has failed.
const TIMEOUT_SECONDS = 30;
const SERVICE_PATH = path.resolve(__dirname, '..');

/** Resident memory of a process, bytes; 0 once it is gone. */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/\nVmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while being listed.
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

const SAMPLE_EVERY_MS = 15_000;

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function memory(startedAt = performance.now()) {
  const descendants = descendantsOf(process.pid);
  const database = descendants.filter((pid) => commandOf(pid) === 'java');
  const sandboxes = descendants.filter((pid) => commandOf(pid) === 'node');
  const total = (pids: number[]) => pids.reduce((sum, pid) => sum + rssOf(pid), 0);
  // With --expose-gc, a collection first, so the heap figure is live data, not garbage awaiting collection.
  (globalThis as { gc?: () => void }).gc?.();
  return {
    atSeconds: Math.round((performance.now() - startedAt) / 1000),
    self: process.memoryUsage().rss,
    heap: process.memoryUsage().heapUsed,
    sandboxes: total(sandboxes),
    sandboxCount: sandboxes.length,
    database: total(database),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function main(): Promise<void> {
  console.log(`Starting local-cloud with ${SERVICE_PATH} (in memory, stage load)...`);
  const cloud = await start({ servicePath: SERVICE_PATH, inMemory: true, stage: 'load' });
  try {
    const api = cloud.apiUrl;
    const token = cloud.platform.services.identity.mintToken({ sub: 'loader', audience: 'udagram' });
    const write = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const group = await json(`${api}/groups`, {
      method: 'POST',
      headers: write,
      body: JSON.stringify({ name: 'Load', description: 'made by bench/load.ts' }),
    });
    const created = await json(`${api}/groups/${group.id as string}/images`, {
      method: 'POST',
      headers: write,
      body: JSON.stringify({ title: 'Red flower', contentType: 'image/jpeg' }),
    });
    const imageId = (created.image as { imageId: string }).imageId;
    const groupPath = `/load/groups/${group.id as string}`;
    const requests: autocannon.Request[] = [
      { method: 'GET', path: '/load/groups?limit=20' },
      { method: 'GET', path: groupPath },
      { method: 'GET', path: `${groupPath}/images?limit=10` },
      { method: 'GET', path: `/load/images/${imageId}` },
      { method: 'GET', path: '/load/images/search?q=flower' },
      { method: 'GET', path: '/load/config' },
      { method: 'POST', path: '/load/groups', headers: write, body: JSON.stringify({ name: 'Load group' }) },
      {
        method: 'POST',
        path: `${groupPath}/images`,
        headers: write,
        body: JSON.stringify({ title: 'Load image', contentType: 'image/png' }),
      },
    ];
    const url = new URL(api).origin;
    const run = (duration: number) =>
      autocannon({ url, connections: CONNECTIONS, duration, requests, timeout: TIMEOUT_SECONDS });

    console.log(`Warming up for ${WARMUP_SECONDS} s...`);
    await run(WARMUP_SECONDS);
    const measuredFrom = performance.now();
    const samples = [memory(measuredFrom)];
    console.log(`Measuring for ${SECONDS} s over ${CONNECTIONS} connections...`);
    const sampler = setInterval(() => samples.push(memory(measuredFrom)), SAMPLE_EVERY_MS);
    let result: autocannon.Result;
    try {
      result = await run(SECONDS);
    } finally {
      clearInterval(sampler);
    }
    samples.push(memory(measuredFrom));

    const failed = result.errors + result.timeouts + result.non2xx;
    console.log(
      [
        '',
        `requests      ${result.requests.total} in ${result.duration} s (${result.requests.average.toFixed(0)} per second)`,
        `errors        ${result.errors} connection errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
        `latency       p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
        '',
        'RSS every 15 s   emulator (with autocannon, heap)   sandboxes (count, average)       DynamoDB Local',
        ...samples.map(
          (sample) =>
            `  ${String(sample.atSeconds).padStart(3)} s         ${mb(sample.self).padStart(9)} (${mb(sample.heap)})          ` +
            `${mb(sample.sandboxes).padStart(10)} (${sample.sandboxCount}, ${mb(sample.sandboxes / Math.max(1, sample.sandboxCount))})    ` +
            `${mb(sample.database).padStart(9)}`,
        ),
      ].join('\n'),
    );
    process.exitCode = failed === 0 ? 0 : 1;
  } finally {
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
