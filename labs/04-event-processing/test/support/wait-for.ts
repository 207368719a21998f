import { eventually } from '@serverless-course/test-kit';

/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. For effects
 * another process makes (an object in S3, an item in the index) that no event tells the test about.
 */
export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  return eventually(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error('the probe returned undefined');
      return value;
    },
    { description: what, timeoutMs, intervalMs },
  );
}
