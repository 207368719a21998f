import type { Callback, Context } from 'aws-lambda';
import { createContext, invokeHandler } from '../src';

describe('invokeHandler', () => {
  it("resolves with an async handler's return value", async () => {
    const handler = async (event: { name: string }) => Promise.resolve(`hello ${event.name}`);

    await expect(invokeHandler(handler, { name: 'Ada' })).resolves.toBe('hello Ada');
  });

  it('rejects when an async handler throws', async () => {
    const handler = async () => Promise.reject(new Error('boom'));

    await expect(invokeHandler(handler, {})).rejects.toThrow('boom');
  });

  it('resolves with the result a callback-style handler passes to its callback', async () => {
    const handler = (_event: unknown, _context: Context, callback: Callback<number>) => {
      setImmediate(() => callback(null, 42));
    };

    await expect(invokeHandler(handler, {})).resolves.toBe(42);
  });

  it('rejects with the error a callback-style handler passes first, wrapping non-Error values', async () => {
    const handler = (_event: unknown, _context: Context, callback: Callback<number>) => callback('bad input');

    await expect(invokeHandler(handler, {})).rejects.toThrow('bad input');
  });

  it('rejects when a callback-style handler throws before calling back', async () => {
    const handler = () => {
      throw new TypeError('no event');
    };

    await expect(invokeHandler(handler, {})).rejects.toThrow(TypeError);
  });

  it('passes the given context to the handler', async () => {
    const context = createContext({ functionName: 'given' });
    const handler = async (_event: unknown, received: Context) => Promise.resolve(received.functionName);

    await expect(invokeHandler(handler, {}, context)).resolves.toBe('given');
  });
});
