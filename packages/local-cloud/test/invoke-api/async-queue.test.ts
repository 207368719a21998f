import { AsyncInvocationQueue, type AsyncOutcome } from '../../src/invoke-api/async-queue';
import { FakeLambdaService } from '../support/fake-lambda-service';

// The queue alone, on Jest's fake clock, so the delays between attempts can be pinned to the millisecond.
beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
});

afterEach(() => {
  jest.useRealTimers();
});

function alwaysFailing() {
  const lambda = new FakeLambdaService({ work: { handler: () => Promise.reject(new Error('down')) } });
  const outcomes: AsyncOutcome[] = [];
  const queue = new AsyncInvocationQueue({
    lambda,
    retryDelaysMs: [1000, 2000],
    throttleRetryDelayMs: 100,
    now: () => Date.now(),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  queue.enqueue({ requestId: 'event-1', fn: lambda.findFunction('work')!, payload: '{}' });
  return { lambda, queue, outcomes };
}

describe('the async invocation queue', () => {
  it('retries a failed event 1 s and then 2 s later (AWS: about 1 and 2 minutes), in order', async () => {
    const { lambda, outcomes } = alwaysFailing();

    await jest.advanceTimersByTimeAsync(0);
    const afterFirst = lambda.invocations.length;
    await jest.advanceTimersByTimeAsync(999);
    const beforeSecond = lambda.invocations.length;
    await jest.advanceTimersByTimeAsync(1);
    const afterSecond = lambda.invocations.length;
    await jest.advanceTimersByTimeAsync(1999);
    const beforeThird = lambda.invocations.length;
    await jest.advanceTimersByTimeAsync(1);

    expect([afterFirst, beforeSecond, afterSecond, beforeThird, lambda.invocations.length]).toEqual([
      1, 1, 2, 2, 3,
    ]);
    expect(lambda.invocations.map((invocation) => invocation.requestId)).toEqual([
      'event-1',
      'event-1',
      'event-1',
    ]);
    expect(outcomes).toEqual([expect.objectContaining({ condition: 'RetriesExhausted', attempts: 3 })]);
  });

  it('runs nothing more once the last retry failed', async () => {
    const { lambda } = alwaysFailing();

    await jest.advanceTimersByTimeAsync(60_000);

    expect(lambda.invocations).toHaveLength(3);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('leaves no timer behind when stopped, and runs no retry afterwards', async () => {
    const { lambda, queue, outcomes } = alwaysFailing();
    await jest.advanceTimersByTimeAsync(0);

    queue.stop();
    await jest.advanceTimersByTimeAsync(60_000);

    expect(jest.getTimerCount()).toBe(0);
    expect(lambda.invocations).toHaveLength(1);
    expect(outcomes).toHaveLength(0);
  });

  it('accepts no new event after stop', async () => {
    const { lambda, queue } = alwaysFailing();
    queue.stop();

    queue.enqueue({ requestId: 'event-2', fn: lambda.findFunction('work')!, payload: '{}' });
    await jest.advanceTimersByTimeAsync(60_000);

    expect(lambda.invocations).toHaveLength(0);
  });
});
