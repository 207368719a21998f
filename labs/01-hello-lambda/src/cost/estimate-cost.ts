import {
  ALWAYS_ON_SERVER,
  HOURS_PER_MONTH,
  LAMBDA_PRICES,
  type LambdaPrices,
  type ServerPrice,
} from './prices';

export interface Workload {
  requestsPerMonth: number;
  /** The average time one invocation runs, as Lambda's REPORT log line shows it ("Duration: 87.21 ms"). */
  averageDurationMs: number;
  /** The function's configured memory, 128 to 10,240 MB. */
  memoryMb: number;
}

export interface LambdaBill {
  requestsUsd: number;
  durationUsd: number;
  totalUsd: number;
}

export interface CostEstimate {
  /** What Lambda bills per invocation: the duration rounded up to the next whole millisecond. */
  billedDurationMs: number;
  gbSecondsPerMonth: number;
  /** The monthly bill at list price, as if the free tier were already used up by other functions. */
  lambda: LambdaBill;
  /** The monthly bill after the free tier's requests and GB-seconds. */
  lambdaWithFreeTier: LambdaBill;
  alwaysOn: { name: string; monthlyUsd: number };
  /**
   * The most requests a month for which Lambda at list price costs no more than the always-on server, for
   * the same duration and memory: the whole number of times one request's price fits into the server's month.
   */
  breakEvenRequestsPerMonth: number;
}

export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
export const MAX_DURATION_MS = 900_000;

/**
 * Estimates a month of Lambda for a workload, with and without the free tier, against a server that runs
 * all month whether or not anyone calls it. Impossible input is a RangeError naming the field and the fix.
 */
export function estimateCost(
  workload: Workload,
  prices: LambdaPrices = LAMBDA_PRICES,
  server: ServerPrice = ALWAYS_ON_SERVER,
): CostEstimate {
  // BEGIN SOLUTION cost-calculator
  const { requestsPerMonth, averageDurationMs, memoryMb } = workload;
  if (!Number.isInteger(memoryMb) || memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
    throw new RangeError(
      `memoryMb must be a whole number from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} (Lambda's range), got ${memoryMb}: use the memory size in serverless.yml`,
    );
  }
  if (!Number.isFinite(averageDurationMs) || averageDurationMs <= 0 || averageDurationMs > MAX_DURATION_MS) {
    throw new RangeError(
      `averageDurationMs must be more than 0 and at most ${MAX_DURATION_MS} (Lambda's 15-minute limit), got ${averageDurationMs}: use the average "Duration" from the function's REPORT log lines`,
    );
  }
  if (!Number.isInteger(requestsPerMonth) || requestsPerMonth < 0) {
    throw new RangeError(
      `requestsPerMonth must be a whole number of 0 or more, got ${requestsPerMonth}: round it to a whole number of requests`,
    );
  }

  // Lambda rounds each invocation up on its own; rounding the average up approximates that.
  const billedDurationMs = Math.ceil(averageDurationMs);
  // GB-seconds = seconds x GB, with GB = MB / 1024; one division keeps the floating-point error small.
  const gbSecondsPerRequest = (billedDurationMs * memoryMb) / (1000 * 1024);
  const gbSecondsPerMonth = requestsPerMonth * gbSecondsPerRequest;
  const usdPerRequest = prices.usdPerMillionRequests / 1_000_000;

  const bill = (requests: number, gbSeconds: number): LambdaBill => {
    const requestsUsd = requests * usdPerRequest;
    const durationUsd = gbSeconds * prices.usdPerGbSecond;
    return { requestsUsd, durationUsd, totalUsd: requestsUsd + durationUsd };
  };
  const serverMonthlyUsd = server.usdPerHour * HOURS_PER_MONTH;
  const lambdaUsdPerRequest = usdPerRequest + gbSecondsPerRequest * prices.usdPerGbSecond;

  return {
    billedDurationMs,
    gbSecondsPerMonth,
    lambda: bill(requestsPerMonth, gbSecondsPerMonth),
    lambdaWithFreeTier: bill(
      Math.max(0, requestsPerMonth - prices.freeRequestsPerMonth),
      Math.max(0, gbSecondsPerMonth - prices.freeGbSecondsPerMonth),
    ),
    alwaysOn: { name: server.name, monthlyUsd: serverMonthlyUsd },
    breakEvenRequestsPerMonth: Math.floor(serverMonthlyUsd / lambdaUsdPerRequest),
  };
  // END SOLUTION
}
