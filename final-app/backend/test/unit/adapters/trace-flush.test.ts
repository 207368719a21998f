// Lambda freezes the sandbox as soon as a handler answers, so a span still being exported then is lost:
// every handler answers only once the flush of its spans has finished, whether it succeeded or failed.
// (The export itself, over OTLP/HTTP to local-cloud, is proven by local-cloud's platform tracing test: the
// exporter loads its HTTP transport with a dynamic import, which Jest's module sandbox cannot run.)
import { flushingTraces } from '../../../src/adapters/aws-clients';

function heldFlush(): { flush: () => Promise<void>; flushes: () => number; release: () => void } {
  let flushes = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  return {
    flush: () => {
      flushes += 1;
      return held;
    },
    flushes: () => flushes,
    release: () => release(),
  };
}

async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('flushingTraces', () => {
  it('answers only once the flush has finished', async () => {
    const { flush, flushes, release } = heldFlush();
    const handler = flushingTraces((name: string) => Promise.resolve(`hello ${name}`), flush);

    const answer = handler('ada');

    expect(await settledYet(answer)).toBe(false);
    expect(flushes()).toBe(1);
    release();
    await expect(answer).resolves.toBe('hello ada');
  });

  it('flushes before a failed invocation fails, and fails with the handler’s own error', async () => {
    const { flush, flushes, release } = heldFlush();
    const handler = flushingTraces(() => Promise.reject(new Error('table missing')), flush);

    const answer = handler();

    expect(await settledYet(answer)).toBe(false);
    expect(flushes()).toBe(1);
    release();
    await expect(answer).rejects.toThrow('table missing');
  });
});
