import type { Callback, Context } from 'aws-lambda';
import { createContext } from './context';

/** Any Lambda handler: async (returns a promise) or callback style (calls its third argument). */
export type AnyHandler<TEvent, TResult> = (
  event: TEvent,
  context: Context,
  callback: Callback<TResult>,
) => void | Promise<TResult>;

/**
 * Calls a handler the way the Lambda Node.js runtime does: an async handler's promise is the result; a
 * callback-style handler finishes when it calls `callback(error, result)`. A handler that does neither never
 * finishes, as on Lambda, where it would run until its timeout.
 */
export function invokeHandler<TEvent, TResult>(
  handler: AnyHandler<TEvent, TResult>,
  event: TEvent,
  context: Context = createContext(),
): Promise<TResult> {
  return new Promise<TResult>((resolve, reject) => {
    const callback: Callback<TResult> = (error, result) => {
      if (error !== null && error !== undefined) reject(toError(error));
      else resolve(result as TResult);
    };
    try {
      const returned = handler(event, context, callback);
      if (isPromiseLike(returned)) returned.then(resolve, reject);
    } catch (error) {
      reject(toError(error));
    }
  });
}

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
