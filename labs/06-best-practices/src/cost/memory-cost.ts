// Memory, duration and cost. Lambda gives a function CPU in proportion to its memory: 1,769 MB is one full
// vCPU, 10,240 MB is six. So for CPU-bound code more memory can be both faster and cheaper (the price per
// GB-second is fixed, and the duration falls), while code that waits on the network gains nothing from it.

/** us-east-1, x86, on-demand: USD per GB-second and per request. */
export const PRICE_PER_GB_SECOND = 0.0000166667;
export const PRICE_PER_REQUEST = 0.2 / 1_000_000;
/** Memory that buys exactly one vCPU. */
export const MB_PER_VCPU = 1769;
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;

/** What one invocation does, measured (or estimated) with one full vCPU. */
export interface WorkProfile {
  /** CPU time at one full vCPU, ms. */
  cpuMs: number;
  /** Time spent waiting on I/O (DynamoDB, HTTP), ms: memory does not shorten it. */
  waitMs: number;
  /** Threads that can run at once; a plain Node.js handler uses 1. */
  threads: number;
}

export interface MemoryOption {
  memoryMb: number;
  /** vCPUs the function gets at this size (fractions below 1,769 MB). */
  vcpus: number;
  durationMs: number;
  /** USD per million invocations, requests included. */
  costPerMillion: number;
}

export function vcpusAt(memoryMb: number): number {
  // BEGIN SOLUTION cost-calculator
  // TODO(cost-calculator): memory / 1,769 MB, after checking memory is within Lambda's 128-10,240 MB.
  if (!Number.isInteger(memoryMb) || memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
    throw new RangeError(
      `memory ${memoryMb} MB is outside Lambda's range. Use a whole number from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}.`,
    );
  }
  return memoryMb / MB_PER_VCPU;
  // END SOLUTION
}

export function estimate(profile: WorkProfile, memoryMb: number): MemoryOption {
  // BEGIN SOLUTION cost-calculator
  // TODO(cost-calculator): CPU time shrinks with the vCPUs the code can use (at most `threads`); waiting does not.
  const vcpus = vcpusAt(memoryMb);
  const usable = Math.min(vcpus, profile.threads);
  const durationMs = profile.waitMs + profile.cpuMs / usable;
  const billedSeconds = Math.ceil(durationMs) / 1000;
  const perInvocation = (memoryMb / 1024) * billedSeconds * PRICE_PER_GB_SECOND + PRICE_PER_REQUEST;
  return { memoryMb, vcpus, durationMs, costPerMillion: perInvocation * 1_000_000 };
  // END SOLUTION
}

/** Every size, and the cheapest of them (the smaller one on a tie). */
export function compareMemorySizes(
  profile: WorkProfile,
  sizes: readonly number[],
): { options: MemoryOption[]; cheapest: MemoryOption } {
  // BEGIN SOLUTION cost-calculator
  // TODO(cost-calculator): estimate each size and pick the lowest cost.
  if (sizes.length === 0)
    throw new RangeError('No memory sizes to compare. Give at least one, e.g. [128, 1769].');
  const options = sizes.map((size) => estimate(profile, size));
  const cheapest = options.reduce((best, option) =>
    option.costPerMillion < best.costPerMillion ||
    (option.costPerMillion === best.costPerMillion && option.memoryMb < best.memoryMb)
      ? option
      : best,
  );
  return { options, cheapest };
  // END SOLUTION
}
