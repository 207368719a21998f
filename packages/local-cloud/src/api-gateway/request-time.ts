// $context.requestTime, in API Gateway's CLF format: `21/Nov/2026:10:53:32 +0000`.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Thousands of requests share each second: format it once per second, not once per request.
let cachedSecond = -1;
let cachedText = '';

export function formatRequestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const date = new Date(second * 1000);
    const pad = (value: number) => String(value).padStart(2, '0');
    cachedText =
      `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
      `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
    cachedSecond = second;
  }
  return cachedText;
}
