// Requests per second and latency of the same trivial handler behind local-cloud and serverless-offline,
// driven by autocannon on loopback. Each emulator runs as its CLI in a child process with its output discarded.
// On a shared virtual machine the hypervisor may take CPU time away during the run: that is measured and printed
// with the results, to tell a bad moment from a slow emulator.
//
// Both run side by side (the one not measured is idle, after a pause to settle), and are measured in
// alternating windows: a machine whose speed drifts (other programs, a hypervisor taking CPU time) affects both
// alike, where one long window each measured whichever ran in the better moment. Each figure is the median
// over the windows.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { median } from './percentiles';
import {
  LOCAL_CLOUD_PORTS,
  type RunningServer,
  startLocalCloud,
  startOnFreePorts,
  startServerlessOffline,
} from './servers';

const SERVICE = path.join(__dirname, 'fixtures', 'trivial');
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const ROUNDS = 3;
const WINDOW_SECONDS = 4;
/** Before each window: an emulator that just served a load goes on collecting garbage for a moment. */
const SETTLE_MS = 1000;

export interface ThroughputRow {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

interface Emulator {
  name: string;
  url: string;
  server: RunningServer;
  windows: autocannon.Result[];
}

export async function runThroughputBenchmark(): Promise<{
  localCloud: ThroughputRow;
  serverlessOffline: ThroughputRow;
  /**
   * CPU time the hypervisor gave to other machines during the windows, in % of one CPU (Linux only): a few
   * percent already costs local-cloud, whose requests cross processes, more than serverless-offline.
   */
  stolenPercent?: number;
}> {
  const emulators: Emulator[] = [];
  let stolenPercent: number | undefined;
  try {
    emulators.push(
      await start('local-cloud', LOCAL_CLOUD_PORTS, (port, readyUrl) =>
        startLocalCloud(SERVICE, port, readyUrl),
      ),
    );
    emulators.push(
      await start('serverless-offline', 2, (port, readyUrl) =>
        startServerlessOffline(SERVICE, port, readyUrl),
      ),
    );
    for (const emulator of emulators) {
      await autocannon({ url: emulator.url, connections: CONNECTIONS, duration: WARMUP_SECONDS });
    }
    const stolenBefore = stolenMs();
    const windowsStarted = performance.now();
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternating which goes first, so neither always follows the other's load.
      const order = round % 2 === 0 ? emulators : [...emulators].reverse();
      for (const emulator of order) {
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        emulator.windows.push(
          await autocannon({ url: emulator.url, connections: CONNECTIONS, duration: WINDOW_SECONDS }),
        );
      }
    }
    const stolenAfter = stolenMs();
    if (stolenBefore !== undefined && stolenAfter !== undefined) {
      stolenPercent = ((stolenAfter - stolenBefore) / (performance.now() - windowsStarted)) * 100;
    }
  } finally {
    await Promise.all(emulators.map((emulator) => emulator.server.stop()));
  }
  const [localCloud, serverlessOffline] = emulators.map(summarize) as [ThroughputRow, ThroughputRow];
  return { localCloud, serverlessOffline, stolenPercent };
}

/** The machine's steal time so far (/proc/stat, all CPUs), ms; undefined where there is no /proc. */
function stolenMs(): number | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const ticks = Number(fields[8]); // cpu user nice system idle iowait irq softirq steal
  return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100
}

async function start(
  name: string,
  ports: number,
  startEmulator: (port: number, readyUrl: string) => Promise<RunningServer>,
): Promise<Emulator> {
  let url = '';
  const { server } = await startOnFreePorts(ports, (port) => {
    url = `http://127.0.0.1:${port}/dev/hello`;
    return startEmulator(port, url);
  });
  return { name, url, server, windows: [] };
}

function summarize(emulator: Emulator): ThroughputRow {
  const { windows } = emulator;
  return {
    name: emulator.name,
    requestsPerSecond: median(windows.map((result) => result.requests.average)),
    p50Ms: median(windows.map((result) => result.latency.p50)),
    p99Ms: median(windows.map((result) => result.latency.p99)),
    errors: windows.reduce((sum, result) => sum + result.errors + result.non2xx, 0),
  };
}
