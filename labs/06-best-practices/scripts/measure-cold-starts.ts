// Measures cold start and warm duration on local-cloud before and after each optimisation, and prints the
// table the lesson shows. Each round starts local-cloud afresh (so every function's first request is cold),
// then sends WARM_REQUESTS more; the table gives medians over the rounds, measured at the client through API
// Gateway. Run: npx tsx labs/06-best-practices/scripts/measure-cold-starts.ts [rounds]
import { start } from '@serverless-course/local-cloud';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { bundle } from './bundle';

const BENCH = path.resolve(__dirname, '../bench');
const WARM_REQUESTS = 20;
const VARIANTS = [
  ['baseline', 'baseline: eager imports, a client per request'],
  ['bundled', '+ esbuild bundle, minified'],
  ['lazy-init', '+ lazy initialisation'],
  ['connection-reuse', '+ connection reuse'],
] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  await rm(path.join(BENCH, '.esbuild'), { recursive: true, force: true });
  for (const name of ['baseline', 'lazy-init', 'connection-reuse']) {
    await bundle(path.join(BENCH, 'src', `${name}.ts`), {
      minify: true,
      excludeSdk: true,
      outfile: path.join(BENCH, '.esbuild', `${name}.js`),
    });
  }
  const cold = new Map<string, number[]>();
  const warm = new Map<string, number[]>();
  for (let round = 0; round < rounds; round += 1) {
    const cloud = await start({ servicePath: BENCH, inMemory: true, stage: 'bench', watch: false });
    try {
      // A different variant goes first each round: the first request of a round also warms DynamoDB Local.
      const order = VARIANTS.map((_, index) => VARIANTS[(index + round) % VARIANTS.length]!);
      for (const [route] of order) {
        const url = `${cloud.apiUrl}/${route}`;
        cold.set(route, [...(cold.get(route) ?? []), await timed(url)]);
        const durations: number[] = [];
        for (let request = 0; request < WARM_REQUESTS; request += 1) durations.push(await timed(url));
        warm.set(route, [...(warm.get(route) ?? []), median(durations)]);
      }
    } finally {
      await cloud.stop();
    }
  }
  const rows = ['| version | cold start (first request) | warm request (median) |', '| --- | ---: | ---: |'];
  for (const [route, label] of VARIANTS) {
    rows.push(
      `| ${label} | ${median(cold.get(route)!).toFixed(0)} ms | ${median(warm.get(route)!).toFixed(1)} ms |`,
    );
  }
  console.log(`${rounds} rounds, ${WARM_REQUESTS} warm requests each, local-cloud on this machine:\n`);
  console.log(rows.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
