// The time on every log line, worked out once a second (logging.ts caches the `HH:MM:SS.` part): exact to the
// millisecond within a second, across second and minute boundaries, and for a moment earlier than the last.
import type { InvocationReport } from '../../src/lambda/lambda-service';
import { clockTime, formatFunctionOutput, formatInvocation } from '../../src/logging';

const report: InvocationReport = {
  functionKey: 'hello',
  functionName: 'svc-dev-hello',
  requestId: 'r-1',
  status: 'success',
  durationMs: 1,
  billedDurationMs: 1,
  coldStart: false,
  memorySizeMb: 128,
  maxMemoryUsedMb: 60,
};

describe('the time on log lines', () => {
  it('is exact to the millisecond whatever came before it', () => {
    const moments = [
      new Date(2024, 0, 2, 9, 5, 7, 0),
      new Date(2024, 0, 2, 9, 5, 7, 999),
      new Date(2024, 0, 2, 9, 5, 8, 5),
      new Date(2024, 0, 2, 9, 5, 7, 42), // earlier than the last
      new Date(2024, 0, 2, 9, 59, 59, 999),
      new Date(2024, 0, 2, 10, 0, 0, 1),
    ];

    expect(moments.map((at) => clockTime(at))).toEqual([
      '09:05:07.000',
      '09:05:07.999',
      '09:05:08.005',
      '09:05:07.042',
      '09:59:59.999',
      '10:00:00.001',
    ]);
    expect(formatInvocation(report, undefined, moments[2]).startsWith('09:05:08.005 hello ')).toBe(true);
    expect(formatFunctionOutput('hello', 'line', undefined, moments[5])).toBe('10:00:00.001 [hello] line');
  });

  it('is now when no moment is given', () => {
    const before = Date.now();
    const line = formatInvocation(report);
    const after = Date.now();

    const [hours, minutes, seconds] = line.slice(0, 12).split(':').map(Number) as [number, number, number];
    const printed = new Date(before);
    printed.setHours(hours, minutes, 0, 0);
    const printedMs = printed.getTime() + Math.round(seconds * 1000);
    expect(printedMs).toBeGreaterThanOrEqual(before);
    expect(printedMs).toBeLessThanOrEqual(after);
  });
});
