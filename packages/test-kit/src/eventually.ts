// Waiting, within a deadline, for what a test cannot await: a process's exit, a line in a log, an object that
// another process writes. Anything that can be awaited (an event, a promise) is awaited directly instead.

export interface EventuallyOptions {
  /** How long to keep trying, from the first try; 5,000 ms unless given. */
  timeoutMs?: number;
  /** The pause between two tries; 25 ms unless given. */
  intervalMs?: number;
  /** What is awaited, for the error at the deadline: `the thumbnail`, `the Java process to exit`. */
  description?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_INTERVAL_MS = 25;

/**
 * Calls `probe` until a try succeeds, and resolves with what that try returned. A try fails when the probe
 * throws (or rejects) or returns `false`; any other value, `undefined` included, is success. So a probe can be
 * a condition (`() => log.length > 2`), assertions (`() => { expect(...) }`) or a read that throws until its
 * value is there. Tries are `intervalMs` apart and never cut short; the last one is made at the deadline. When
 * `timeoutMs` has passed with no success it rejects with an Error naming `description` and quoting the last
 * try's failure (also its `cause`). It waits with `setTimeout`: under Jest's fake timers, advance them.
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  for (const [name, value] of [
    ['timeoutMs', timeoutMs],
    ['intervalMs', intervalMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`eventually: ${name} must be a number of milliseconds, 0 or more; got ${value}`);
    }
  }
  const deadline = Date.now() + timeoutMs;
  let tries = 0;
  for (;;) {
    // Undefined when the try returned false; what it threw otherwise.
    let failure: { error: unknown } | undefined;
    tries += 1;
    try {
      const value = await probe();
      if (value !== false) return value;
    } catch (error) {
      failure = { error };
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timedOut(options.description, timeoutMs, tries, failure);
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
  }
}

function timedOut(
  description: string | undefined,
  timeoutMs: number,
  tries: number,
  failure: { error: unknown } | undefined,
): Error {
  const lastTry =
    failure === undefined
      ? 'the probe returned false'
      : failure.error instanceof Error
        ? failure.error.message
        : `it threw ${String(failure.error)}`;
  const times = tries === 1 ? '1 try' : `${tries} tries`;
  return new Error(
    `timed out after ${timeoutMs} ms waiting for ${description ?? 'the condition'} (${times}); last try: ${lastTry}`,
    failure && { cause: failure.error },
  );
}
