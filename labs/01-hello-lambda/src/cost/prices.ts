// Prices as data, each with where it comes from, so updating them means editing numbers here, not code.
// AWS changes prices rarely but does change them: check the source pages before quoting a figure.

export interface PriceSource {
  url: string;
  /** The day the figures were read from the page, YYYY-MM-DD. */
  retrieved: string;
}

export interface LambdaPrices {
  region: string;
  architecture: 'x86_64' | 'arm64';
  usdPerMillionRequests: number;
  /**
   * The first tier, which covers the first 6 billion GB-seconds a month; cheaper tiers beyond that are left
   * out, as no lab comes near them.
   */
  usdPerGbSecond: number;
  /** The monthly free tier; it is per account, shared by every function, and does not expire. */
  freeRequestsPerMonth: number;
  freeGbSecondsPerMonth: number;
  source: PriceSource;
}

export interface ServerPrice {
  name: string;
  region: string;
  usdPerHour: number;
  source: PriceSource;
}

/** AWS's own estimates count a month as 730 hours (365 days x 24 hours / 12). */
export const HOURS_PER_MONTH = 730;

export const LAMBDA_PRICES: LambdaPrices = {
  region: 'us-east-1',
  architecture: 'x86_64',
  usdPerMillionRequests: 0.2,
  usdPerGbSecond: 0.0000166667,
  freeRequestsPerMonth: 1_000_000,
  freeGbSecondsPerMonth: 400_000,
  source: { url: 'https://aws.amazon.com/lambda/pricing/', retrieved: '2026-11-21' },
};

/** The always-on alternative: the smallest general-purpose instance, Linux, on demand, running all month. */
export const ALWAYS_ON_SERVER: ServerPrice = {
  name: 'EC2 t3.micro (Linux, on demand)',
  region: 'us-east-1',
  usdPerHour: 0.0104,
  source: { url: 'https://aws.amazon.com/ec2/pricing/on-demand/', retrieved: '2026-11-21' },
};
