import { lazy } from '../../src/optimisation/lazy';

describe('lazy', () => {
  it('builds nothing until the first call', () => {
    const create = jest.fn(() => ({ connected: true }));

    lazy(create);

    expect(create).not.toHaveBeenCalled();
  });

  it('builds once and returns the same value on every call', () => {
    const create = jest.fn(() => ({ connected: true }));
    const get = lazy(create);

    const first = get();
    const second = get();

    expect(create).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
  });

  it('keeps a value that is falsy', () => {
    const create = jest.fn(() => 0);
    const get = lazy(create);

    expect([get(), get()]).toEqual([0, 0]);
    expect(create).toHaveBeenCalledTimes(1);
  });
});
