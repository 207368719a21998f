import type { Context } from 'aws-lambda';

/**
 * The batch starts another item only while at least this much time is left. It must cover the slowest item
 * plus returning the result, or an item started just above the margin can still run into the timeout.
 */
export const SAFETY_MARGIN_MS = 1_000;

/** How long the deployed function's stand-in work takes per item. */
export const ITEM_WORK_MS = 250;

export interface BatchResult {
  /** The items done, in order. */
  processed: string[];
  /** The items not started; invoke the function again with `{ items: remaining }` to finish them. */
  remaining: string[];
}

export type ItemWork = (item: string) => Promise<void>;

/**
 * Stands in for real per-item work (resizing an image, calling a slow API) so the deployed function has
 * something that takes time: with its 10 s timeout (serverless.yml) it does about 36 of 50 items and hands
 * back the rest.
 */
export function simulateItemWork(_item: string): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ITEM_WORK_MS));
}

/**
 * Does `work` for each item in turn while at least SAFETY_MARGIN_MS of the invocation's time is left, and
 * returns what was done and what is left, instead of being cut off by the timeout halfway through an item.
 */
export async function processBatch(
  items: readonly string[],
  context: Context,
  work: ItemWork,
): Promise<BatchResult> {
  // BEGIN SOLUTION remaining-time
  const processed: string[] = [];
  for (const item of items) {
    if (context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS) {
      break;
    }
    await work(item);
    processed.push(item);
  }
  return { processed, remaining: items.slice(processed.length) };
  // END SOLUTION
}

/** Invoked directly (no HTTP event) with `{ "items": ["a", "b", ...] }`. */
export async function handler(event: unknown, context: Context): Promise<BatchResult> {
  // BEGIN SOLUTION remaining-time
  const items: unknown =
    typeof event === 'object' && event !== null ? (event as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) {
    throw new TypeError(
      'processBatch expects an event like {"items": ["a", "b"]}, but items is not an array',
    );
  }
  const values = items as unknown[];
  const badIndex = values.findIndex((item) => typeof item !== 'string');
  if (badIndex !== -1) {
    throw new TypeError(
      `items[${badIndex}] is ${JSON.stringify(values[badIndex]) ?? 'undefined'}, not a string: send every item as a string, for example {"items": ["a", "b"]}`,
    );
  }
  return processBatch(items as string[], context, simulateItemWork);
  // END SOLUTION
}
