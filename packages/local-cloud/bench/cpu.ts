// `npx tsx bench/cpu.ts [rounds] [seconds] [variant...]`: the throughput benchmark's measurement (same CLIs,
// same fixture, same autocannon settings as throughput.ts) repeated, with the CPU time each process spent per
// request: the emulator, its sandboxes (every descendant process) and autocannon (this process). For finding
// where the time goes; `npm run bench` stays the reference. Linux only (reads /proc).
//
// A variant is `local-cloud`, `serverless-offline`, or `name=/path/to/bin/local-cloud.js` (another copy of
// local-cloud, say the code before a change). Variants are interleaved round by round, so that drift in the
// machine's speed hits them alike. Each measurement waits for a quiet machine first, and reports the CPU
// that other programs used meanwhile ("others") and the time the hypervisor took ("steal"): a run with much
// of either measured the neighbours, not the emulator.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { percentile } from './percentiles';
import {
  LOCAL_CLOUD_BIN,
  LOCAL_CLOUD_PORTS,
  type RunningServer,
  startLocalCloud,
  startOnFreePorts,
  startServerlessOffline,
} from './servers';
import { processTree } from '../test/support/process-tree';

const SERVICE = path.join(__dirname, 'fixtures', 'trivial');
// As throughput.ts; CONNECTIONS=1 in the environment shows the costs without contention, for analysis.
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const WARMUP_SECONDS = 2;
const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux this runs on
const toMicros = (ticks: number) => (ticks * 1e6) / TICKS_PER_SECOND;

/** utime + stime of a process, µs; 0 once it is gone. */
function cpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return toMicros(Number(fields[11]) + Number(fields[12]));
  } catch {
    return 0;
  }
}

/** Context switches of a process: voluntary (it waited) and not (the scheduler took the CPU from it). */
function switches(pid: number): { waited: number; preempted: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      waited: Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0),
      preempted: Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0),
    };
  } catch {
    return { waited: 0, preempted: 0 };
  }
}

/** Every live descendant of `root`. */
function descendants(root: number): number[] {
  return processTree(root).slice(1);
}

/** Machine-wide busy and steal time from /proc/stat, µs (all CPUs together). */
function machineMicros(): { busy: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: toMicros(user + nice + system + irq + softirq), steal: toMicros(steal) };
}

function snapshot(root: number) {
  const self = process.cpuUsage();
  const sandboxes = new Map<number, number>();
  let sandboxesWaited = 0;
  let sandboxesPreempted = 0;
  for (const pid of descendants(root)) {
    sandboxes.set(pid, cpuMicros(pid));
    const { waited, preempted } = switches(pid);
    sandboxesWaited += waited;
    sandboxesPreempted += preempted;
  }
  return {
    emulator: cpuMicros(root),
    preempted: switches(root).preempted,
    sandboxes,
    sandboxesWaited,
    sandboxesPreempted,
    self: self.user + self.system,
    machine: machineMicros(),
  };
}

/** Waits (up to 60 s) until the machine spent under 5% of a CPU over a second: someone's tests ran. */
async function waitForQuiet(): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const before = machineMicros().busy;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (machineMicros().busy - before < 50_000) return;
  }
}

interface Variant {
  name: string;
  /** Consecutive ports it takes from the one it is given. */
  ports: number;
  start(port: number, url: string): Promise<RunningServer>;
}

function variant(spec: string): Variant {
  if (spec === 'serverless-offline') {
    return { name: spec, ports: 2, start: (port, url) => startServerlessOffline(SERVICE, port, url) };
  }
  const [name = spec, bin = LOCAL_CLOUD_BIN] = spec.split('=');
  return { name, ports: LOCAL_CLOUD_PORTS, start: (port, url) => startLocalCloud(SERVICE, port, url, bin) };
}

interface Row {
  rps: number;
  p50: number;
  p99: number;
  emulator: number;
  sandboxes: number;
  autocannon: number;
  others: number;
  steal: number;
}

async function measure(v: Variant, seconds: number): Promise<Row> {
  let url = '';
  const { server } = await startOnFreePorts(v.ports, (port) => {
    url = `http://127.0.0.1:${port}/dev/hello`;
    return v.start(port, url);
  });
  try {
    const pid = server.child.pid!;
    await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS });
    await waitForQuiet();
    const before = snapshot(pid);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
    const after = snapshot(pid);
    const requests = result.requests.total;
    let sandboxCpu = 0;
    for (const [child, micros] of after.sandboxes) sandboxCpu += micros - (before.sandboxes.get(child) ?? 0);
    const emulatorCpu = after.emulator - before.emulator;
    const selfCpu = after.self - before.self;
    const elapsedMicros = seconds * 1e6;
    const others =
      (after.machine.busy - before.machine.busy - emulatorCpu - sandboxCpu - selfCpu) / elapsedMicros;
    const steal = (after.machine.steal - before.machine.steal) / elapsedMicros;
    const perRequest = (micros: number) => (micros / requests).toFixed(0).padStart(4);
    console.log(
      `${v.name.padEnd(18)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p50 ${result.latency.p50} ms  ` +
        `p97.5 ${result.latency.p97_5} ms  p99 ${result.latency.p99} ms  errors ${result.errors + result.non2xx}  ` +
        `CPU µs/req: emulator ${perRequest(emulatorCpu)}  sandboxes(${after.sandboxes.size}) ${perRequest(sandboxCpu)}  ` +
        `autocannon ${perRequest(selfCpu)}  switches/req: emulator preempted ${((after.preempted - before.preempted) / requests).toFixed(2)}, ` +
        `sandboxes waited ${((after.sandboxesWaited - before.sandboxesWaited) / requests).toFixed(2)} preempted ${((after.sandboxesPreempted - before.sandboxesPreempted) / requests).toFixed(2)}  | others ${(others * 100).toFixed(0)}% steal ${(steal * 100).toFixed(0)}% of a CPU`,
    );
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      emulator: emulatorCpu / requests,
      sandboxes: sandboxCpu / requests,
      autocannon: selfCpu / requests,
      others,
      steal,
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const seconds = Number(process.argv[3] ?? 8);
  const specs = process.argv.slice(4);
  const variants = (specs.length > 0 ? specs : ['local-cloud']).map(variant);
  const rows = new Map<string, Row[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const v of variants) {
      // A run other programs disturbed is measured again, up to twice.
      let row = await measure(v, seconds);
      for (let retry = 0; retry < 2 && (row.others >= 0.1 || row.steal >= 0.1); retry += 1) {
        row = await measure(v, seconds);
      }
      rows.get(v.name)!.push(row);
    }
  }
  if (rounds < 2) return;
  console.log(
    `\nmedians over ${rounds} rounds (runs where others used, or the hypervisor stole, over 10% of a CPU left out)`,
  );
  for (const [name, all] of rows) {
    const kept = all.filter((row) => row.others < 0.1 && row.steal < 0.1);
    if (kept.length === 0) continue;
    const med = (pick: (row: Row) => number) => percentile(kept.map(pick), 0.5);
    console.log(
      `${name.padEnd(18)} ${med((r) => r.rps)
        .toFixed(0)
        .padStart(6)} req/s  p50 ${med((r) => r.p50)} ms  p99 ${med((r) => r.p99)} ms  ` +
        `CPU µs/req: emulator ${med((r) => r.emulator).toFixed(0)}  sandboxes ${med((r) => r.sandboxes).toFixed(0)}  ` +
        `autocannon ${med((r) => r.autocannon).toFixed(0)}  (${kept.length} of ${all.length} runs)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
