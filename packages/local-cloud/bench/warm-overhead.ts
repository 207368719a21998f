// What a warm invocation through local-cloud's Lambda runtime costs on top of running the handler itself:
// the p50 of invoke() minus the p50 of calling the same handler function in this process.
import path from 'node:path';
import { loadService } from '../src/config/load-service';
import { createLambdaService } from '../src/lambda/create-lambda-service';
import { percentile } from './percentiles';

const SERVICE = path.join(__dirname, 'fixtures', 'trivial');
const WARMUP = 500;
const SAMPLES = 3000;

export async function runWarmOverheadBenchmark(): Promise<{
  directP50Ms: number;
  invokeP50Ms: number;
  invokeP99Ms: number;
  overheadP50Ms: number;
  samples: number;
}> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fixture is plain CommonJS
  const { hello } = require(path.join(SERVICE, 'handler.js')) as { hello: () => Promise<unknown> };
  const direct = await timeEach(SAMPLES, () => hello());

  const service = await loadService(SERVICE);
  const lambda = await createLambdaService(service, {});
  try {
    const request = { functionName: 'hello', payload: '{}' };
    await timeEach(WARMUP, () => lambda.invoke(request));
    const invoke = await timeEach(SAMPLES, () => lambda.invoke(request));
    const directP50Ms = percentile(direct, 0.5);
    const invokeP50Ms = percentile(invoke, 0.5);
    return {
      directP50Ms,
      invokeP50Ms,
      invokeP99Ms: percentile(invoke, 0.99),
      overheadP50Ms: invokeP50Ms - directP50Ms,
      samples: SAMPLES,
    };
  } finally {
    await lambda.stop();
  }
}

async function timeEach(count: number, call: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}
