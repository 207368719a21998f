// Requests per second and latency of the same trivial handler behind local-cloud and serverless-offline,
// driven by autocannon on loopback. Each emulator runs as its CLI in a child process with its output discarded.
import path from 'node:path';
import autocannon from 'autocannon';
import { freePortPair, LOCAL_CLOUD_BIN, QUIET_SERVERLESS_ENV, SERVERLESS_BIN, startServer } from './servers';

const SERVICE = path.join(__dirname, 'fixtures', 'trivial');
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const MEASURE_SECONDS = 8;

export interface ThroughputRow {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export async function runThroughputBenchmark(): Promise<{
  localCloud: ThroughputRow;
  serverlessOffline: ThroughputRow;
}> {
  const localPort = await freePortPair();
  const localCloud = await measure('local-cloud', `http://127.0.0.1:${localPort}/dev/hello`, (readyUrl) =>
    startServer(
      [process.execPath, LOCAL_CLOUD_BIN, 'start', SERVICE, '--port', String(localPort), '--no-watch'],
      SERVICE,
      readyUrl,
    ),
  );
  const offlinePort = await freePortPair();
  const serverlessOffline = await measure(
    'serverless-offline',
    `http://127.0.0.1:${offlinePort}/dev/hello`,
    (readyUrl) =>
      startServer(
        [
          process.execPath,
          SERVERLESS_BIN,
          'offline',
          'start',
          '--host',
          '127.0.0.1',
          '--httpPort',
          String(offlinePort),
          '--lambdaPort',
          String(offlinePort + 1),
        ],
        SERVICE,
        readyUrl,
        QUIET_SERVERLESS_ENV,
      ),
  );
  return { localCloud, serverlessOffline };
}

async function measure(
  name: string,
  url: string,
  startEmulator: (readyUrl: string) => ReturnType<typeof startServer>,
): Promise<ThroughputRow> {
  const server = await startEmulator(url);
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS });
    const result = await autocannon({ url, connections: CONNECTIONS, duration: MEASURE_SECONDS });
    return {
      name,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.non2xx,
    };
  } finally {
    await server.stop();
  }
}
