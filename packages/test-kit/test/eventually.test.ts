import { eventually } from '../src';

/** A probe that fails `failures` times (throwing, or returning false), then returns `value`. */
function probeFailing<T>(failures: number, value: T, how: 'throws' | 'returns false' = 'throws') {
  const probe = jest.fn(() => {
    if (probe.mock.calls.length > failures) return value;
    if (how === 'returns false') return false;
    throw new Error('not yet');
  });
  return probe;
}

describe('eventually', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it("resolves with the probe's value at once when the first try succeeds", async () => {
    const probe = jest.fn(() => 'ready');

    await expect(eventually(probe)).resolves.toBe('ready');
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('tries again while the probe throws, and resolves with what it returns once it does not', async () => {
    const probe = probeFailing(3, { id: 7 });

    await expect(eventually(probe, { intervalMs: 1 })).resolves.toEqual({ id: 7 });
    expect(probe).toHaveBeenCalledTimes(4);
  });

  it('tries again while an async probe rejects', async () => {
    let calls = 0;
    const probe = async () => {
      calls += 1;
      if (calls < 3) throw new Error('not there');
      return Promise.resolve(calls);
    };

    await expect(eventually(probe, { intervalMs: 1 })).resolves.toBe(3);
  });

  it('tries again while the probe returns false, and resolves with true', async () => {
    const probe = probeFailing(2, true, 'returns false');

    await expect(eventually(probe, { intervalMs: 1 })).resolves.toBe(true);
    expect(probe).toHaveBeenCalledTimes(3);
  });

  it('takes any value but false as success, undefined included: a probe may be a block of assertions', async () => {
    let items: number[] = [];
    setTimeout(() => (items = [1, 2]), 20);

    await expect(
      eventually(
        () => {
          expect(items).toEqual([1, 2]);
        },
        { intervalMs: 5 },
      ),
    ).resolves.toBeUndefined();
    await expect(eventually(() => 0)).resolves.toBe(0);
    await expect(eventually(() => null)).resolves.toBeNull();
  });

  it('waits intervalMs between two tries', async () => {
    jest.useFakeTimers({ now: 0 });
    const tries: number[] = [];
    const probe = jest.fn(() => {
      tries.push(Date.now());
      if (tries.length < 4) throw new Error('not yet');
      return 'done';
    });

    const result = eventually(probe, { intervalMs: 100 });
    await jest.advanceTimersByTimeAsync(1000);

    await expect(result).resolves.toBe('done');
    expect(tries).toEqual([0, 100, 200, 300]);
  });

  it('defaults to a try every 25 ms for 5 s, the last at the deadline', async () => {
    jest.useFakeTimers({ now: 0 });
    const tries: number[] = [];

    const result = eventually(() => {
      tries.push(Date.now());
      return false;
    });
    const rejected = expect(result).rejects.toThrow('timed out after 5000 ms');
    await jest.advanceTimersByTimeAsync(6000);
    await rejected;

    expect(tries).toHaveLength(201);
    expect(tries.slice(0, 3)).toEqual([0, 25, 50]);
    expect(tries.at(-1)).toBe(5000);
  });

  it("rejects after timeoutMs naming what it waited for and quoting the probe's last error, kept as the cause", async () => {
    jest.useFakeTimers({ now: 0 });
    let calls = 0;
    const last = new Error('NoSuchKey: thumbnails/cat.jpg (try 5)');
    const probe = () => {
      calls += 1;
      throw calls === 5 ? last : new Error(`NoSuchKey: thumbnails/cat.jpg (try ${calls})`);
    };

    const result = eventually(probe, { timeoutMs: 200, intervalMs: 50, description: 'the thumbnail' });
    const error = result.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    await jest.advanceTimersByTimeAsync(1000);

    expect(await error).toBeInstanceOf(Error);
    expect(await error).toMatchObject({
      message:
        'timed out after 200 ms waiting for the thumbnail (5 tries); last try: NoSuchKey: thumbnails/cat.jpg (try 5)',
      cause: last,
    });
    expect(calls).toBe(5);
  });

  it('says so when the last try returned false, and quotes a thrown value that is no Error', async () => {
    await expect(eventually(() => false, { timeoutMs: 0 })).rejects.toThrow(
      'timed out after 0 ms waiting for the condition (1 try); last try: the probe returned false',
    );
    await expect(
      eventually(
        () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- what some libraries throw
          throw 'busy';
        },
        { timeoutMs: 0, description: 'the port' },
      ),
    ).rejects.toThrow('waiting for the port (1 try); last try: it threw busy');
  });

  it('quotes the failed assertion of a block of assertions', async () => {
    await expect(
      eventually(
        () => {
          expect(['a']).toContain('b');
        },
        { timeoutMs: 0, description: 'b in the list' },
      ),
    ).rejects.toThrow(/waiting for b in the list \(1 try\); last try: .*toContain/s);
  });

  it('lets a try that runs past the deadline finish, and makes no other', async () => {
    jest.useFakeTimers({ now: 0 });
    const probe = jest.fn(() => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)));

    const result = eventually(probe, { timeoutMs: 100, intervalMs: 10 });
    const rejected = expect(result).rejects.toThrow('(1 try)');
    await jest.advanceTimersByTimeAsync(1000);
    await rejected;

    expect(probe).toHaveBeenCalledTimes(1);
  });

  it.each([
    [
      'a negative timeout',
      { timeoutMs: -1 },
      /timeoutMs must be a number of milliseconds, 0 or more; got -1/,
    ],
    [
      'an interval of NaN',
      { intervalMs: Number.NaN },
      /intervalMs must be a number of milliseconds, 0 or more; got NaN/,
    ],
  ])('refuses %s', async (_case, options, message) => {
    const probe = jest.fn(() => true);

    await expect(eventually(probe, options)).rejects.toThrow(message);
    expect(probe).not.toHaveBeenCalled();
  });
});
