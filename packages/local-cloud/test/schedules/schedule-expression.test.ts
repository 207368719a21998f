import {
  nextFireTime,
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../../src/event-sources/schedules/schedule-expression';

const at = (iso: string) => Date.parse(iso);
/** The next `count` fire times after `from`, as ISO strings. */
function next(expression: string, from: string, count = 1): (string | undefined)[] {
  const parsed = parseScheduleExpression(expression);
  const times: (string | undefined)[] = [];
  let after = at(from);
  for (let i = 0; i < count; i += 1) {
    const time = nextFireTime(parsed, after, at(from));
    times.push(time === undefined ? undefined : new Date(time).toISOString());
    if (time === undefined) break;
    after = time;
  }
  return times;
}

function errorOf(expression: string): ScheduleExpressionError {
  try {
    parseScheduleExpression(expression);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) return error;
    throw error;
  }
  throw new Error(`${expression} was accepted`);
}

describe('rate expressions', () => {
  it('fire every interval from the start', () => {
    expect(next('rate(5 minutes)', '2026-01-01T00:00:30Z', 3)).toEqual([
      '2026-01-01T00:05:30.000Z',
      '2026-01-01T00:10:30.000Z',
      '2026-01-01T00:15:30.000Z',
    ]);
    expect(next('rate(1 day)', '2026-01-01T00:00:00Z')).toEqual(['2026-01-02T00:00:00.000Z']);
  });

  it('take the singular unit for 1 and the plural for more, as AWS requires', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toMatchObject({ intervalMs: 60_000 });
    expect(parseScheduleExpression('rate(2 hours)')).toMatchObject({ intervalMs: 7_200_000 });
    expect(errorOf('rate(1 minutes)').message).toBe(
      '"rate(1 minutes)" is not a valid schedule expression: a value of 1 takes the singular unit. Fix: write rate(1 minute)',
    );
    expect(errorOf('rate(5 minute)').fix).toBe('write rate(5 minutes)');
    expect(errorOf('rate(0 hours)').problem).toBe('the value must be positive');
    expect(errorOf('rate(2 weeks)').problem).toBe('a rate is a whole number and a unit');
  });
});

describe('cron expressions (UTC, six fields)', () => {
  it('fire at the given time every day', () => {
    expect(next('cron(0 12 * * ? *)', '2026-01-01T12:00:00Z', 2)).toEqual([
      '2026-01-02T12:00:00.000Z',
      '2026-01-03T12:00:00.000Z',
    ]);
    expect(next('cron(1/20 * * * ? *)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:21:00.000Z',
      '2026-01-01T00:41:00.000Z',
    ]);
  });

  it('number the days of the week 1 (SUN) to 7 (SAT), names too', () => {
    // 2026-01-02 is a Friday.
    expect(next('cron(0 18 ? * MON-FRI *)', '2026-01-02T19:00:00Z')).toEqual(['2026-01-05T18:00:00.000Z']);
    expect(next('cron(0 18 ? * 2-6 *)', '2026-01-02T19:00:00Z')).toEqual(['2026-01-05T18:00:00.000Z']);
    expect(next('cron(0 0 ? * 1 *)', '2026-01-01T00:00:00Z')).toEqual(['2026-01-04T00:00:00.000Z']);
  });

  it('support L, nL, n#k, nW and LW', () => {
    expect(next('cron(0 0 L * ? *)', '2026-02-01T00:00:00Z')).toEqual(['2026-02-28T00:00:00.000Z']);
    expect(next('cron(0 0 ? * L *)', '2026-01-01T00:00:00Z')).toEqual(['2026-01-03T00:00:00.000Z']);
    expect(next('cron(0 10 ? * 6L *)', '2026-01-01T00:00:00Z')).toEqual(['2026-01-30T10:00:00.000Z']);
    expect(next('cron(0 9 ? * 3#2 *)', '2026-01-01T00:00:00Z')).toEqual(['2026-01-13T09:00:00.000Z']);
    // 2026-08-15 is a Saturday: the nearest weekday is Friday the 14th; 2026-08-01, a Saturday, gives Monday the 3rd.
    expect(next('cron(0 8 15W * ? *)', '2026-08-01T00:00:00Z')).toEqual(['2026-08-14T08:00:00.000Z']);
    expect(next('cron(0 8 1W * ? *)', '2026-07-31T00:00:00Z')).toEqual(['2026-08-03T08:00:00.000Z']);
    // 2026-01-31 is a Saturday: the last weekday of January is Friday the 30th.
    expect(next('cron(0 0 LW * ? *)', '2026-01-01T00:00:00Z')).toEqual(['2026-01-30T00:00:00.000Z']);
  });

  it('honour the year field, and never fire once its years are past', () => {
    expect(next('cron(0 0 1 1 ? 2028-2029)', '2026-03-01T00:00:00Z', 3)).toEqual([
      '2028-01-01T00:00:00.000Z',
      '2029-01-01T00:00:00.000Z',
      undefined,
    ]);
    expect(next('cron(0 0 1 1 ? 2020)', '2026-03-01T00:00:00Z')).toEqual([undefined]);
  });

  it('refuse what EventBridge refuses, saying how to write it', () => {
    expect(errorOf('cron(0 12 * * * *)').problem).toBe(
      'exactly one of day-of-month and day-of-week must be ?',
    );
    expect(errorOf('cron(0 12 ? * ? *)').problem).toBe(
      'exactly one of day-of-month and day-of-week must be ?',
    );
    expect(errorOf('cron(0 12 * * ?)').problem).toBe('it has 5 fields, not 6');
    expect(errorOf('cron(61 12 * * ? *)').fix).toContain('six fields');
    expect(errorOf('cron(0 12 ? * 8 *)').problem).toBe('"8" is not a day of the week');
    expect(errorOf('every 5 minutes').problem).toBe('it is neither rate(...) nor cron(...)');
  });
});
