import { createContext, invokeHandler } from '@serverless-course/test-kit';
import type { Context } from 'aws-lambda';
import { ITEM_WORK_MS, SAFETY_MARGIN_MS, handler, processBatch } from '../../src/handlers/process-batch';

// Modern fake timers move Date.now() too, so the context's getRemainingTimeInMillis() counts down with them:
// these tests spend seconds of Lambda time in a few milliseconds, without sleeping.
beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-01-01T12:00:00Z') });
});

afterEach(() => {
  jest.useRealTimers();
});

interface WorkLog {
  work: (item: string) => Promise<void>;
  /** What happened, in order: "start a", "end a", ... */
  events: string[];
  /** The time left on the context when each item started. */
  timeLeftAtStart: number[];
}

/** Per-item work that takes `ms` of (fake) time, recording when each item starts and ends. */
function workTaking(ms: number, context: Context): WorkLog {
  const events: string[] = [];
  const timeLeftAtStart: number[] = [];
  const work = (item: string): Promise<void> => {
    events.push(`start ${item}`);
    timeLeftAtStart.push(context.getRemainingTimeInMillis());
    return new Promise((resolve) =>
      setTimeout(() => {
        events.push(`end ${item}`);
        resolve();
      }, ms),
    );
  };
  return { work, events, timeLeftAtStart };
}

/** Lets a pending invocation run to its end, firing every timer it schedules. */
async function runToEnd<T>(pending: Promise<T>): Promise<T> {
  await jest.runAllTimersAsync();
  return pending;
}

const letters = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => String.fromCharCode(97 + i));

describe('processBatch', () => {
  it('processes every item, in order, when there is plenty of time', async () => {
    const context = createContext({ timeoutMs: 10_000 });
    const { work, events } = workTaking(100, context);

    const result = await runToEnd(processBatch(['a', 'b', 'c', 'd', 'e'], context, work));

    expect(result).toEqual({ processed: ['a', 'b', 'c', 'd', 'e'], remaining: [] });
    expect(events.filter((event) => event.startsWith('end'))).toEqual([
      'end a',
      'end b',
      'end c',
      'end d',
      'end e',
    ]);
  });

  it('checks the time before each item and stops before the timeout, returning the items it did not start', async () => {
    // 3,000 ms and 300 ms an item: items start with 3000, 2700, ... 1200 ms left; at 900 ms it must stop.
    const context = createContext({ timeoutMs: 3_000 });
    const { work } = workTaking(300, context);

    const result = await runToEnd(processBatch(letters(10), context, work));

    expect(result).toEqual({ processed: letters(7), remaining: ['h', 'i', 'j'] });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it(`starts an item only while at least the safety margin (${SAFETY_MARGIN_MS} ms) is left`, async () => {
    const context = createContext({ timeoutMs: 5_000 });
    const log = workTaking(450, context);

    await runToEnd(processBatch(letters(20), context, log.work));

    expect(log.timeLeftAtStart.length).toBeGreaterThan(0);
    for (const timeLeft of log.timeLeftAtStart) {
      expect(timeLeft).toBeGreaterThanOrEqual(SAFETY_MARGIN_MS);
    }
  });

  it('lets the caller resume with the remaining items in a new invocation', async () => {
    const items = letters(10);
    const first = createContext({ timeoutMs: 3_000 });
    const firstRun = await runToEnd(processBatch(items, first, workTaking(300, first).work));

    const second = createContext({ timeoutMs: 3_000 });
    const secondRun = await runToEnd(processBatch(firstRun.remaining, second, workTaking(300, second).work));

    expect([...firstRun.processed, ...secondRun.processed]).toEqual(items);
    expect(secondRun.remaining).toEqual([]);
  });

  it('does nothing when the invocation starts with less than the safety margin left', async () => {
    const context = createContext({ timeoutMs: 3_000 });
    jest.advanceTimersByTime(3_000 - SAFETY_MARGIN_MS + 100);
    const work = jest.fn(() => Promise.resolve());

    const result = await runToEnd(processBatch(['a', 'b'], context, work));

    expect(result).toEqual({ processed: [], remaining: ['a', 'b'] });
    expect(work).not.toHaveBeenCalled();
  });

  it('works on one item at a time, finishing each before starting the next', async () => {
    const context = createContext({ timeoutMs: 10_000 });
    const { work, events } = workTaking(200, context);

    await runToEnd(processBatch(['a', 'b', 'c'], context, work));

    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});

describe('the processBatch handler', () => {
  it(`stops a long batch before its timeout and hands back the rest (${ITEM_WORK_MS} ms an item)`, async () => {
    // 2,900 ms: items start with 2900, 2650, ... 1150 ms left (8 items); at 900 ms it stops.
    const context = createContext({ functionName: 'processBatch', timeoutMs: 2_900 });
    const items = Array.from({ length: 20 }, (_, i) => `item-${i + 1}`);

    const result = await runToEnd(invokeHandler(handler, { items }, context));

    expect(result.processed).toEqual(items.slice(0, 8));
    expect(result.remaining).toEqual(items.slice(8));
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('returns an empty result for an empty batch', async () => {
    const result = await runToEnd(invokeHandler(handler, { items: [] }, createContext()));

    expect(result).toEqual({ processed: [], remaining: [] });
  });

  it.each([
    ['an event without items', {}],
    ['a null event', null],
    ['items that are not an array', { items: 'a,b,c' }],
  ])('fails the invocation with an error about items for %s', async (_case, event) => {
    await expect(invokeHandler(handler, event, createContext())).rejects.toThrow(/items/);
  });

  it('fails the invocation saying items must be strings when one is not', async () => {
    const event = { items: ['a', 42, 'c'] };

    await expect(invokeHandler(handler, event, createContext())).rejects.toThrow(/string/);
  });
});
