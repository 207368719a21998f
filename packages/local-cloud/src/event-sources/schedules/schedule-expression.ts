// EventBridge schedule expressions: `rate(N unit)` and six-field `cron(minutes hours day-of-month month
// day-of-week year)`, with the rules AWS enforces (a value of 1 takes the singular unit; one of day-of-month
// and day-of-week must be `?`) and its wildcards: `, - * / ?`, `L` (last day of the month, or of the week:
// Saturday), `nL` (last such weekday of the month), `n#k` (k-th such weekday), `nW` / `LW` (nearest weekday).
// Day-of-week numbers run 1 (SUN) to 7 (SAT). Times are UTC. cron-parser computes the fire times; the year
// field and `W`, which it lacks, are applied on top of it.
import { CronExpressionParser } from 'cron-parser';

export type ScheduleExpression =
  | { kind: 'rate'; text: string; intervalMs: number }
  | {
      kind: 'cron';
      text: string;
      /** The same schedule in cron-parser's syntax (seconds first, Sunday = 0). */
      cronParser: string;
      /** Allowed years; undefined: any. */
      years?: Set<number>;
      /** Day-of-month `nW` (n) or `LW` ('L'): the weekday nearest that day. */
      nearestWeekday?: number | 'L';
    };

/** Why an expression is not one EventBridge accepts, and how to write it. */
export class ScheduleExpressionError extends Error {
  constructor(
    readonly expression: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`"${expression}" is not a valid schedule expression: ${problem}. Fix: ${fix}`);
    this.name = 'ScheduleExpressionError';
  }
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const CRON_FIX =
  'write six fields, cron(minutes hours day-of-month month day-of-week year), such as cron(0 12 * * ? *)';

export function parseScheduleExpression(text: string): ScheduleExpression {
  const trimmed = text.trim();
  const rate = /^rate\((.*)\)$/.exec(trimmed);
  if (rate) return parseRate(trimmed, rate[1] ?? '');
  const cron = /^cron\((.*)\)$/.exec(trimmed);
  if (cron) return parseCron(trimmed, cron[1] ?? '');
  throw new ScheduleExpressionError(
    text,
    'it is neither rate(...) nor cron(...)',
    'write rate(5 minutes) or cron(0 12 * * ? *)',
  );
}

function parseRate(text: string, inner: string): ScheduleExpression {
  const match = /^(\d+) (minute|hour|day)(s?)$/.exec(inner);
  if (!match) {
    throw new ScheduleExpressionError(
      text,
      'a rate is a whole number and a unit',
      'write rate(5 minutes), rate(1 hour) or rate(2 days)',
    );
  }
  const value = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  if (value === 0) {
    throw new ScheduleExpressionError(text, 'the value must be positive', `write rate(1 ${unit})`);
  }
  if (value === 1 && match[3]) {
    throw new ScheduleExpressionError(text, 'a value of 1 takes the singular unit', `write rate(1 ${unit})`);
  }
  if (value > 1 && !match[3]) {
    throw new ScheduleExpressionError(
      text,
      `a value of ${value} takes the plural unit`,
      `write rate(${value} ${unit}s)`,
    );
  }
  return { kind: 'rate', text, intervalMs: value * UNIT_MS[unit] };
}

function parseCron(text: string, inner: string): ScheduleExpression {
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(text, `it has ${fields.length} fields, not 6`, CRON_FIX);
  }
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleExpressionError(
      text,
      'exactly one of day-of-month and day-of-week must be ?',
      'put ? in the one you do not use, such as cron(0 12 * * ? *) or cron(0 12 ? * MON-FRI *)',
    );
  }
  if ([minutes, hours, month, year].some((field) => field.includes('?'))) {
    throw new ScheduleExpressionError(text, '? is only allowed in day-of-month and day-of-week', CRON_FIX);
  }
  if (dayOfWeek.includes('#') && dayOfWeek.includes(',')) {
    throw new ScheduleExpressionError(
      text,
      'a day-of-week with # can hold only one expression',
      'write a single n#k, such as 3#2',
    );
  }
  const nearestWeekday = parseNearestWeekday(text, dayOfMonth);
  const parserDayOfMonth = nearestWeekday !== undefined || dayOfMonth === '?' ? '*' : dayOfMonth;
  const parserDayOfWeek = dayOfWeek === '?' ? '*' : translateDayOfWeek(text, dayOfWeek);
  const cronParser = ['0', minutes, hours, parserDayOfMonth, month, parserDayOfWeek].join(' ');
  try {
    CronExpressionParser.parse(cronParser, { tz: 'UTC' });
  } catch (error) {
    throw new ScheduleExpressionError(text, (error as Error).message, CRON_FIX);
  }
  return { kind: 'cron', text, cronParser, years: parseYears(text, year), nearestWeekday };
}

function parseNearestWeekday(text: string, dayOfMonth: string): number | 'L' | undefined {
  if (!dayOfMonth.includes('W')) return undefined;
  if (dayOfMonth === 'LW') return 'L';
  const match = /^(\d{1,2})W$/.exec(dayOfMonth);
  const day = Number(match?.[1]);
  if (!match || day < 1 || day > 31) {
    throw new ScheduleExpressionError(
      text,
      'W takes a single day of the month',
      'write nW (such as 15W) or LW',
    );
  }
  return day;
}

/** AWS numbers days 1 (SUN) to 7 (SAT); cron-parser 0 (SUN) to 6 (SAT). A lone L is the week's last day. */
function translateDayOfWeek(text: string, field: string): string {
  if (field === '*' || field === 'L') return field === 'L' ? '6' : '*';
  const day = (token: string) => {
    const index = DAY_NAMES.indexOf(token.toUpperCase());
    const number = index === -1 ? Number(token) : index + 1;
    if (!Number.isInteger(number) || number < 1 || number > 7) {
      throw new ScheduleExpressionError(
        text,
        `"${token}" is not a day of the week`,
        'use 1 (SUN) to 7 (SAT) or SUN-SAT',
      );
    }
    return String(number - 1);
  };
  return field
    .split(',')
    .map((item) => {
      const [range = '', step] = item.split('/');
      const special = /^([A-Za-z]{3}|\d)(L|#\d)$/.exec(range);
      const translated = special
        ? `${day(special[1] ?? '')}${special[2] ?? ''}`
        : range === '*'
          ? '*'
          : range
              .split('-')
              .map((token) => day(token))
              .join('-');
      return step === undefined ? translated : `${translated}/${step}`;
    })
    .join(',');
}

function parseYears(text: string, field: string): Set<number> | undefined {
  if (field === '*') return undefined;
  const years = new Set<number>();
  for (const item of field.split(',')) {
    const match = /^(\*|\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(item);
    if (!match)
      throw new ScheduleExpressionError(
        text,
        `the year field "${field}" is not valid`,
        'use 1970-2199, ranges, lists or steps',
      );
    const from = match[1] === '*' ? 1970 : Number(match[1]);
    const to = match[2] ? Number(match[2]) : match[1] === '*' || match[3] ? 2199 : from;
    const step = match[3] ? Number(match[3]) : 1;
    if (from < 1970 || to > 2199 || from > to || step < 1) {
      throw new ScheduleExpressionError(
        text,
        `the year field "${field}" is outside 1970-2199`,
        'use years from 1970 to 2199',
      );
    }
    for (let year = from; year <= to; year += step) years.add(year);
  }
  return years;
}

/**
 * The first time strictly after `afterMs` the schedule fires (ms since the epoch), or undefined when it never
 * will again (its years are past). A rate fires every interval from `startMs`.
 */
export function nextFireTime(
  expression: ScheduleExpression,
  afterMs: number,
  startMs = afterMs,
  timezone?: string,
): number | undefined {
  if (expression.kind === 'rate') {
    const elapsed = Math.max(0, afterMs - startMs);
    return startMs + (Math.floor(elapsed / expression.intervalMs) + 1) * expression.intervalMs;
  }
  let from = afterMs;
  // Each pass either returns or moves `from` forward by at least a day; a few hundred passes cover years.
  for (let pass = 0; pass < 1000; pass += 1) {
    const candidate = CronExpressionParser.parse(expression.cronParser, {
      currentDate: new Date(from),
      tz: timezone ?? 'UTC',
    })
      .next()
      .getTime();
    const date = new Date(candidate);
    const year = date.getUTCFullYear();
    if (expression.years && !expression.years.has(year)) {
      const nextYear = [...expression.years].filter((allowed) => allowed > year).sort((a, b) => a - b)[0];
      if (nextYear === undefined) return undefined;
      from = Date.UTC(nextYear, 0, 1) - 1;
      continue;
    }
    if (expression.nearestWeekday !== undefined) {
      const month = date.getUTCMonth();
      if (date.getUTCDate() !== nearestWeekday(year, month, expression.nearestWeekday)) {
        from = Date.UTC(year, month, date.getUTCDate() + 1) - 1;
        continue;
      }
    }
    return candidate;
  }
  return undefined;
}

/** The weekday (Monday to Friday) nearest the day, without leaving the month; `L`: the month's last weekday. */
function nearestWeekday(year: number, month: number, target: number | 'L'): number {
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = target === 'L' ? daysInMonth : Math.min(target, daysInMonth);
  const weekday = new Date(Date.UTC(year, month, day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === daysInMonth ? day - 2 : day + 1;
  return day;
}
