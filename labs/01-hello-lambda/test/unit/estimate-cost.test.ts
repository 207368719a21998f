import { estimateCost, type Workload } from '../../src/cost/estimate-cost';
import { ALWAYS_ON_SERVER, LAMBDA_PRICES, type LambdaPrices, type ServerPrice } from '../../src/cost/prices';

// Money is compared to a millionth of a dollar: floating-point sums are never exact, bills are.
const DOLLAR_DIGITS = 6;

describe('the price data', () => {
  it('holds the us-east-1 x86 Lambda prices and free tier, with their source', () => {
    expect(LAMBDA_PRICES).toMatchObject({
      region: 'us-east-1',
      usdPerMillionRequests: 0.2,
      usdPerGbSecond: 0.0000166667,
      freeRequestsPerMonth: 1_000_000,
      freeGbSecondsPerMonth: 400_000,
    });
    expect(LAMBDA_PRICES.source.url).toMatch(/^https:\/\/aws\.amazon\.com\//);
    expect(LAMBDA_PRICES.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('names the always-on server it compares against, with its hourly price and source', () => {
    expect(ALWAYS_ON_SERVER.name).toMatch(/t3\.micro/);
    expect(ALWAYS_ON_SERVER.usdPerHour).toBeGreaterThan(0);
    expect(ALWAYS_ON_SERVER.source.url).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });
});

describe('estimateCost', () => {
  it("matches AWS's own example: 3M requests of 1 s at 512 MB", () => {
    // 3,000,000 x 1 s x 0.5 GB = 1,500,000 GB-s.
    // List price: 1,500,000 x $0.0000166667 = $25.00005, plus 3 x $0.20 = $0.60.
    // Free tier: (1,500,000 - 400,000) x $0.0000166667 = $18.33337, plus 2 x $0.20 = $0.40.
    const estimate = estimateCost({ requestsPerMonth: 3_000_000, averageDurationMs: 1000, memoryMb: 512 });

    expect(estimate.gbSecondsPerMonth).toBeCloseTo(1_500_000, 6);
    expect(estimate.lambda.durationUsd).toBeCloseTo(25.00005, DOLLAR_DIGITS);
    expect(estimate.lambda.requestsUsd).toBeCloseTo(0.6, DOLLAR_DIGITS);
    expect(estimate.lambda.totalUsd).toBeCloseTo(25.60005, DOLLAR_DIGITS);
    expect(estimate.lambdaWithFreeTier.durationUsd).toBeCloseTo(18.33337, DOLLAR_DIGITS);
    expect(estimate.lambdaWithFreeTier.requestsUsd).toBeCloseTo(0.4, DOLLAR_DIGITS);
    expect(estimate.lambdaWithFreeTier.totalUsd).toBeCloseTo(18.73337, DOLLAR_DIGITS);
  });

  it('prices 30M requests of 200 ms at 128 MB', () => {
    // 30,000,000 x 0.2 s x 0.125 GB = 750,000 GB-s.
    // List price: 750,000 x $0.0000166667 = $12.500025, plus 30 x $0.20 = $6.00.
    // Free tier: 350,000 x $0.0000166667 = $5.833345, plus 29 x $0.20 = $5.80.
    const estimate = estimateCost({ requestsPerMonth: 30_000_000, averageDurationMs: 200, memoryMb: 128 });

    expect(estimate.gbSecondsPerMonth).toBeCloseTo(750_000, 6);
    expect(estimate.lambda.totalUsd).toBeCloseTo(18.500025, DOLLAR_DIGITS);
    expect(estimate.lambdaWithFreeTier.totalUsd).toBeCloseTo(11.633345, DOLLAR_DIGITS);
  });

  it('charges only the requests when the free tier covers all the GB-seconds, and never goes negative', () => {
    // 3,000,000 x 0.12 s x 0.5 GB = 180,000 GB-s, under the 400,000 free.
    const estimate = estimateCost({ requestsPerMonth: 3_000_000, averageDurationMs: 120, memoryMb: 512 });

    expect(estimate.lambda.totalUsd).toBeCloseTo(3.600006, DOLLAR_DIGITS);
    expect(estimate.lambdaWithFreeTier.durationUsd).toBe(0);
    expect(estimate.lambdaWithFreeTier.requestsUsd).toBeCloseTo(0.4, DOLLAR_DIGITS);
    expect(estimate.lambdaWithFreeTier.totalUsd).toBeCloseTo(0.4, DOLLAR_DIGITS);
  });

  it('costs nothing for a month without requests, while the server still costs its month', () => {
    const estimate = estimateCost({ requestsPerMonth: 0, averageDurationMs: 50, memoryMb: 128 });

    expect(estimate.lambda.totalUsd).toBe(0);
    expect(estimate.lambdaWithFreeTier.totalUsd).toBe(0);
    expect(estimate.alwaysOn.monthlyUsd).toBeCloseTo(0.0104 * 730, DOLLAR_DIGITS);
  });

  it('bills the duration rounded up to the next whole millisecond', () => {
    // 100.2 ms is billed as 101 ms: 1,000,000 x 0.101 s x 1 GB = 101,000 GB-s = $1.6833367.
    const estimate = estimateCost({ requestsPerMonth: 1_000_000, averageDurationMs: 100.2, memoryMb: 1024 });

    expect(estimate.billedDurationMs).toBe(101);
    expect(estimate.gbSecondsPerMonth).toBeCloseTo(101_000, 6);
    expect(estimate.lambda.durationUsd).toBeCloseTo(1.6833367, DOLLAR_DIGITS);
  });

  it('bills a duration under a millisecond as one millisecond', () => {
    const estimate = estimateCost({ requestsPerMonth: 1000, averageDurationMs: 0.3, memoryMb: 128 });

    expect(estimate.billedDurationMs).toBe(1);
  });

  it('compares with a t3.micro running all month: 730 hours at $0.0104', () => {
    const estimate = estimateCost({ requestsPerMonth: 1_000_000, averageDurationMs: 100, memoryMb: 128 });

    expect(estimate.alwaysOn.name).toBe(ALWAYS_ON_SERVER.name);
    expect(estimate.alwaysOn.monthlyUsd).toBeCloseTo(7.592, DOLLAR_DIGITS);
  });

  it('finds the break-even request count for the same duration and memory', () => {
    // One 200 ms request at 128 MB: $0.0000002 + 0.025 GB-s x $0.0000166667 = $0.0000006166675.
    // $7.592 / $0.0000006166675 = 12,311,334.7, so up to 12,311,334 requests Lambda is no dearer.
    const estimate = estimateCost({ requestsPerMonth: 5_000_000, averageDurationMs: 200, memoryMb: 128 });

    expect(estimate.breakEvenRequestsPerMonth).toBe(12_311_334);
  });

  it('puts the break-even where Lambda stops being cheaper than the server', () => {
    const workload = { averageDurationMs: 120, memoryMb: 512 };
    const { breakEvenRequestsPerMonth: breakEven } = estimateCost({ ...workload, requestsPerMonth: 0 });

    const atBreakEven = estimateCost({ ...workload, requestsPerMonth: breakEven });
    const justAbove = estimateCost({ ...workload, requestsPerMonth: breakEven + 1 });

    expect(breakEven).toBe(6_326_656);
    expect(atBreakEven.lambda.totalUsd).toBeLessThanOrEqual(atBreakEven.alwaysOn.monthlyUsd);
    expect(justAbove.lambda.totalUsd).toBeGreaterThan(justAbove.alwaysOn.monthlyUsd);
  });

  it('takes its prices from the price data it is given', () => {
    const prices: LambdaPrices = {
      ...LAMBDA_PRICES,
      usdPerMillionRequests: 1,
      usdPerGbSecond: 0.00001,
      freeRequestsPerMonth: 0,
      freeGbSecondsPerMonth: 100_000,
    };
    const server: ServerPrice = { ...ALWAYS_ON_SERVER, name: 'a round-number server', usdPerHour: 0.01 };

    // 2,000,000 x 1 s x 1 GB = 2,000,000 GB-s: $20 + $2 at list price; $19 + $2 after 100,000 free GB-s.
    // The server: 730 h x $0.01 = $7.30; one request costs $0.000011, so the break-even is 663,636.
    const estimate = estimateCost(
      { requestsPerMonth: 2_000_000, averageDurationMs: 1000, memoryMb: 1024 },
      prices,
      server,
    );

    expect(estimate.lambda.totalUsd).toBeCloseTo(22, DOLLAR_DIGITS);
    expect(estimate.lambdaWithFreeTier.totalUsd).toBeCloseTo(21, DOLLAR_DIGITS);
    expect(estimate.alwaysOn.name).toBe('a round-number server');
    expect(estimate.alwaysOn.monthlyUsd).toBeCloseTo(7.3, DOLLAR_DIGITS);
    expect(estimate.breakEvenRequestsPerMonth).toBe(663_636);
  });

  it.each([128, 10_240])(
    "accepts %i MB, an end of Lambda's memory range, and the 15-minute maximum duration",
    (memoryMb) => {
      expect(() => estimateCost({ requestsPerMonth: 1, averageDurationMs: 900_000, memoryMb })).not.toThrow();
    },
  );

  it.each<[string, Partial<Workload>, RegExp]>([
    ['memory under 128 MB', { memoryMb: 64 }, /memoryMb.*128/s],
    ['memory over 10,240 MB', { memoryMb: 10_241 }, /memoryMb.*10,?240/s],
    ['a fractional memory size', { memoryMb: 256.5 }, /memoryMb/],
    ['a zero duration', { averageDurationMs: 0 }, /averageDurationMs/],
    ['a negative duration', { averageDurationMs: -5 }, /averageDurationMs/],
    ['a duration over 15 minutes', { averageDurationMs: 900_001 }, /averageDurationMs.*900,?000/s],
    ['a duration that is not a number', { averageDurationMs: Number.NaN }, /averageDurationMs/],
    ['negative requests', { requestsPerMonth: -1 }, /requestsPerMonth/],
    ['a fractional request count', { requestsPerMonth: 1.5 }, /requestsPerMonth/],
  ])('rejects %s with an error naming the field and what is allowed', (_case, change, message) => {
    const workload: Workload = {
      requestsPerMonth: 1_000_000,
      averageDurationMs: 100,
      memoryMb: 128,
      ...change,
    };

    expect(() => estimateCost(workload)).toThrow(message);
  });
});
