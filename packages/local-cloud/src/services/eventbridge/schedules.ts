// Time-based firing for EventBridge: rules with a ScheduleExpression (on the default bus, their targets get a
// "Scheduled Event"), and EventBridge Scheduler's schedules (AWS::Scheduler::Schedule): `at(...)` once,
// `rate(...)` from the start, `cron(...)` in ScheduleExpressionTimezone, between StartDate and EndDate, only
// when ENABLED. A schedule's target gets its Input (context attributes such as <aws.scheduler.scheduled-time>
// filled in) through deliver(arn, message). A FlexibleTimeWindow is read but the schedule fires at its time.
// Timers are unref'd and the clock is injectable, as the `schedule` events' scheduler does.
import { randomUUID } from 'node:crypto';
import {
  nextFireTime,
  parseScheduleExpression,
  ScheduleExpressionError,
  type ScheduleExpression,
} from '../../event-sources/schedules/schedule-expression';
import type { SchedulerClock } from '../../event-sources/schedules/scheduler';
import type { DeliverToTarget, TargetMessage } from '../../platform/targets';
import { arnService } from '../../platform/targets';
import { isoSeconds } from './event-buses';

export type { SchedulerClock } from '../../event-sources/schedules/scheduler';

export type Timing = ScheduleExpression | { kind: 'at'; text: string; atMs: number };

export interface SchedulerTarget {
  Arn: string;
  Input?: string;
  RoleArn?: string;
  EventBridgeParameters?: { DetailType: string; Source: string };
  SqsParameters?: { MessageGroupId?: string };
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
}

export interface Schedule {
  logicalId: string;
  name: string;
  groupName: string;
  arn: string;
  expression: string;
  timing: Timing;
  timezone?: string;
  enabled: boolean;
  flexibleWindow?: { mode: string; maximumWindowInMinutes?: number };
  startMs?: number;
  endMs?: number;
  target: SchedulerTarget;
}

export interface Firing {
  schedule: string;
  executionId: string;
  /** ISO 8601, seconds precision. */
  time: string;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's limit (about 24.8 days): a later firing is reached by re-arming. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `at(2026-12-24T18:00:00)`, `rate(5 minutes)` or `cron(...)`; an `at` time is in `timezone` (UTC unless given). */
export function parseTiming(text: string, timezone?: string): Timing {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text.trim());
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return {
      kind: 'at',
      text,
      atMs: zonedTime(year, month - 1, day, hour, minute, second, timezone ?? 'UTC'),
    };
  }
  if (text.trim().startsWith('at(')) {
    throw new ScheduleExpressionError(
      text,
      'an at() time is yyyy-mm-ddThh:mm:ss',
      'write at(2026-12-24T18:00:00)',
    );
  }
  return parseScheduleExpression(text);
}

/** The epoch ms of a wall-clock time in an IANA zone. */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  timezone: string,
): number {
  const wall = Date.UTC(year, month, day, hour, minute, second);
  let guess = wall - zoneOffset(wall, timezone);
  // Once more, for a time whose offset differs from the wall time's (near a daylight-saving change).
  guess = wall - zoneOffset(guess, timezone);
  return guess;
}

function zoneOffset(ms: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const part = (type: string) => Number(parts.find((item) => item.type === type)?.value);
  const asUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The first time after `afterMs` a timing fires, or undefined when it never will again. */
export function nextTime(
  timing: Timing,
  afterMs: number,
  startMs: number,
  timezone?: string,
): number | undefined {
  if (timing.kind === 'at') return timing.atMs > afterMs ? timing.atMs : undefined;
  return nextFireTime(timing, afterMs, startMs, timezone);
}

/** One timer per key, re-armed after each firing. */
export class Timers {
  private readonly handles = new Map<string, unknown>();
  private stopped = false;

  constructor(private readonly clock: SchedulerClock) {}

  /**
   * Arms `fire` at each time `timing` gives after now (a rate counted from `startMs`), within `[fromMs,
   * untilMs]` when given.
   */
  arm(
    key: string,
    timing: Timing,
    fire: (atMs: number) => void,
    options: { timezone?: string; startMs?: number; fromMs?: number; untilMs?: number } = {},
  ): void {
    this.disarm(key);
    const startMs = options.startMs ?? this.clock.now();
    const schedule = (afterMs: number) => {
      if (this.stopped) return;
      let next = nextTime(timing, afterMs, startMs, options.timezone);
      while (next !== undefined && options.fromMs !== undefined && next < options.fromMs) {
        next = nextTime(timing, next, startMs, options.timezone);
      }
      if (next === undefined || (options.untilMs !== undefined && next > options.untilMs)) {
        this.handles.delete(key);
        return;
      }
      const due = next;
      const handle = this.clock.setTimeout(
        () => {
          if (this.stopped) return;
          if (this.clock.now() < due) {
            schedule(afterMs);
            return;
          }
          fire(due);
          schedule(due);
        },
        Math.min(Math.max(0, due - this.clock.now()), MAX_TIMER_MS),
      );
      this.handles.set(key, handle);
    };
    schedule(this.clock.now() - (timing.kind === 'at' ? 1 : 0));
  }

  disarm(key: string): void {
    const handle = this.handles.get(key);
    if (handle !== undefined) this.clock.clearTimeout(handle);
    this.handles.delete(key);
  }

  keys(): string[] {
    return [...this.handles.keys()];
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.handles.values()) this.clock.clearTimeout(handle);
    this.handles.clear();
  }
}

/** Hands a schedule's target its input, as EventBridge Scheduler does; a failure is logged (and dead-lettered). */
export async function fireSchedule(
  schedule: Schedule,
  atMs: number,
  deliver: DeliverToTarget,
  log: (line: string) => void,
): Promise<Firing> {
  const executionId = randomUUID();
  const time = isoSeconds(atMs);
  const context: Record<string, string> = {
    'aws.scheduler.schedule-arn': schedule.arn,
    'aws.scheduler.scheduled-time': time,
    'aws.scheduler.execution-id': executionId,
    'aws.scheduler.attempt-number': '1',
  };
  const body = (schedule.target.Input ?? '{}').replace(
    /<(aws\.scheduler\.[a-z-]+)>/g,
    (whole, name: string) => context[name] ?? whole,
  );
  const { target } = schedule;
  const message: TargetMessage =
    arnService(target.Arn) === 'events' && target.EventBridgeParameters
      ? {
          body,
          event: {
            source: target.EventBridgeParameters.Source,
            detailType: target.EventBridgeParameters.DetailType,
            resources: [schedule.arn],
          },
        }
      : { body, groupId: target.SqsParameters?.MessageGroupId };
  try {
    await deliver(target.Arn, message);
    log(`schedule ${schedule.name} (${schedule.expression}) fired ${target.Arn} ${executionId}`);
  } catch (error) {
    const reason = (error as Error).message;
    const dlq = target.DeadLetterConfig?.Arn;
    log(
      `schedule ${schedule.name}: could not deliver to ${target.Arn}: ${reason}` +
        (dlq ? `; sent to its dead-letter queue ${dlq}` : ''),
    );
    if (dlq) {
      const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
      await deliver(dlq, {
        body,
        attributes: {
          SCHEDULE_ARN: attribute(schedule.arn),
          TARGET_ARN: attribute(target.Arn),
          EXECUTION_ID: attribute(executionId),
          ERROR_CODE: attribute((error as Error).name),
          ERROR_MESSAGE: attribute(reason),
        },
      }).catch((dlqError: Error) =>
        log(
          `schedule ${schedule.name}: could not send to the dead-letter queue ${dlq} either: ${dlqError.message}`,
        ),
      );
    }
  }
  return { schedule: schedule.name, executionId, time };
}
