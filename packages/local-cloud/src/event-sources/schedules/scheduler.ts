// Fires the service's schedule rules at their times, as EventBridge does: each firing hands the function
// the scheduled event (docs/reference/aws-behaviour.md#scheduled-events) or the rule's configured input,
// asynchronously through the AsyncInvoker. `fireNow()` fires a rule at once (a command for trying a scheduled
// function).
// Timers are unref'd (they never keep the process alive) and stop() clears them; tests inject the clock.
import { randomUUID } from 'node:crypto';
import type { ServiceDefinition } from '../../config/service-definition';
import type { AsyncInvoker } from '../async-invoker';
import { ACCOUNT_ID } from '../../common/account';
import { nextFireTime } from './schedule-expression';
import { scheduleRules, type ScheduleRule } from './scheduled-rules';

export type { ScheduleRule } from './scheduled-rules';
export { parseScheduleExpression, nextFireTime, ScheduleExpressionError } from './schedule-expression';

export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  service: ServiceDefinition;
  asyncInvoker: AsyncInvoker;
  region: string;
  accountId?: string;
  /** Default: the real clock, with unref'd timers. */
  clock?: SchedulerClock;
  /** One line per firing. */
  log?: (line: string) => void;
}

export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

export interface Firing {
  rule: string;
  functionKey: string;
  /** The async invocation's request id. */
  requestId: string;
  /** ISO 8601, seconds precision: the event's `time`. */
  time: string;
}

export interface Scheduler {
  rules: ScheduleRule[];
  /** The next time each enabled rule fires (ISO 8601), for a start-up summary. */
  nextFireTimes(): { rule: string; functionKey: string; expression: string; next?: string }[];
  /**
   * Fires now the rules of a function (key or deployed name) or one rule (name or logical id), disabled ones
   * included. Throws ScheduleNotFoundError naming the service's rules when nothing matches.
   */
  fireNow(target: string): Firing[];
  /** Clears every timer; nothing fires afterwards. */
  stop(): Promise<void>;
}

export class ScheduleNotFoundError extends Error {
  override readonly name = 'ScheduleNotFoundError';
  readonly exitCode = 2;
}

/** setTimeout's limit (about 24.8 days): a later firing is reached by re-arming. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Reads the rules (throwing ServiceConfigError for an invalid one) and arms a timer for each enabled rule. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? realClock;
  const account = { region: options.region, accountId: options.accountId ?? ACCOUNT_ID };
  const rules = scheduleRules(options.service, account);
  const startMs = clock.now();
  const timers = new Map<ScheduleRule, unknown>();
  let stopped = false;

  const fire = (rule: ScheduleRule, atMs: number): Firing => {
    const time = new Date(Math.floor(atMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const event: ScheduledEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: account.accountId,
      time,
      region: account.region,
      resources: [rule.arn],
      detail: {},
    };
    const requestId = options.asyncInvoker.invokeAsync(rule.functionName, payloadFor(rule, event));
    options.log?.(`schedule ${rule.name} (${rule.expression.text}) fired ${rule.functionKey} ${requestId}`);
    return { rule: rule.name, functionKey: rule.functionKey, requestId, time };
  };

  const arm = (rule: ScheduleRule, afterMs: number) => {
    const next = nextFireTime(rule.expression, afterMs, startMs, rule.timezone);
    if (next === undefined || stopped) return;
    const delay = Math.max(0, next - clock.now());
    const handle = clock.setTimeout(
      () => {
        if (stopped) return;
        // Woken before the time: a firing beyond setTimeout's limit (or a timer that ran early) waits on.
        if (clock.now() < next) {
          arm(rule, afterMs);
          return;
        }
        try {
          fire(rule, next);
        } catch (error) {
          options.log?.(
            `schedule ${rule.name}: could not fire ${rule.functionKey}: ${(error as Error).message}`,
          );
        }
        arm(rule, next);
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    timers.set(rule, handle);
  };

  rules.filter((rule) => rule.enabled).forEach((rule) => arm(rule, startMs));

  return {
    rules,
    nextFireTimes: () =>
      rules
        .filter((rule) => rule.enabled)
        .map((rule) => {
          const next = nextFireTime(rule.expression, clock.now(), startMs, rule.timezone);
          return {
            rule: rule.name,
            functionKey: rule.functionKey,
            expression: rule.expression.text,
            next: next === undefined ? undefined : new Date(next).toISOString(),
          };
        }),
    fireNow: (target) => {
      const matching = rules.filter(
        (rule) =>
          rule.name === target ||
          rule.logicalId === target ||
          rule.functionKey === target ||
          rule.functionName === target,
      );
      if (matching.length === 0) {
        const known = rules.map((rule) => `${rule.name} (function ${rule.functionKey})`).join(', ');
        throw new ScheduleNotFoundError(
          known
            ? `no schedule rule or scheduled function is named "${target}". Fix: name one of ${known}`
            : `no schedule rule or scheduled function is named "${target}": the service has no schedule events. Fix: add one, such as "- schedule: rate(5 minutes)", to a function's events`,
        );
      }
      return matching.map((rule) => fire(rule, clock.now()));
    },
    stop: () => {
      stopped = true;
      for (const handle of timers.values()) clock.clearTimeout(handle);
      timers.clear();
      return Promise.resolve();
    },
  };
}

/** What the rule's target receives: its input, part of the event (inputPath), a transformed event, or the event. */
export function payloadFor(rule: ScheduleRule, event: ScheduledEvent): string {
  if (rule.input !== undefined) return rule.input;
  if (rule.inputPath !== undefined) return JSON.stringify(jsonPath(event, rule.inputPath) ?? null);
  if (rule.inputTransformer) {
    const values = Object.fromEntries(
      Object.entries(rule.inputTransformer.inputPathsMap).map(([name, path]) => [
        name,
        jsonPath(event, path),
      ]),
    );
    return fillTemplate(rule.inputTransformer.inputTemplate, values);
  }
  return JSON.stringify(event);
}

/** The `$`, `$.a.b` and `$.a[0]` forms of JSONPath EventBridge's input paths use. */
function jsonPath(value: unknown, path: string): unknown {
  const steps = path.replace(/^\$/, '').match(/[^.[\]]+/g) ?? [];
  return steps.reduce<unknown>(
    (current, step) =>
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[step]
        : undefined,
    value,
  );
}

/**
 * EventBridge's input template: `<name>` becomes the value at its path, as JSON; inside a JSON string a
 * string value is inserted without its quotes.
 */
function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/<([A-Za-z0-9_.-]+)>/g, (placeholder: string, name: string, offset: number) => {
    if (!(name in values)) return placeholder;
    const value = values[name];
    const insideString = (template.slice(0, offset).match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1;
    if (insideString && typeof value === 'string') return JSON.stringify(value).slice(1, -1);
    return JSON.stringify(value ?? null);
  });
}
