import { ServiceConfigError } from '../../src/config/service-config-error';
import {
  createScheduler,
  ScheduleNotFoundError,
  type Scheduler,
  type SchedulerClock,
} from '../../src/event-sources/schedules/scheduler';
import { ACCOUNT, FakeAsyncInvoker, REGION, serviceWith } from '../sns/messaging-harness';

/** A clock the test moves: advancing runs each due timer at its own time, in order. */
class ManualClock implements SchedulerClock {
  private timers: { id: number; dueAt: number; callback: () => void }[] = [];
  private sequence = 0;
  /** The longest delay ever asked for. */
  longestDelay = 0;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    this.longestDelay = Math.max(this.longestDelay, ms);
    this.sequence += 1;
    this.timers.push({ id: this.sequence, dueAt: this.current + ms, callback });
    return this.sequence;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = due.dueAt;
      due.callback();
    }
    this.current = target;
  }
}

const SERVICE = 'sched-tests';
const MINUTE = 60_000;
const service = serviceWith({
  service: SERVICE,
  functions: {
    report: [{ schedule: 'rate(5 minutes)' }],
    noon: [{ schedule: 'cron(0 12 * * ? *)' }],
    custom: [
      {
        schedule: {
          rate: ['rate(1 hour)'],
          name: 'custom-rule',
          input: { key1: 'value1', stage: { name: 'dev' } },
        },
      },
    ],
    quiet: [{ schedule: { rate: ['rate(1 minute)'], enabled: false } }],
    shaped: [
      {
        schedule: {
          rate: ['rate(1 day)', 'cron(0 0 1 1 ? *)'],
          inputTransformer: {
            inputPathsMap: { when: '$.time' },
            inputTemplate: '{"at": <when>, "note": "fired at <when>"}',
          },
        },
      },
    ],
  },
});

const invoker = new FakeAsyncInvoker();
let clock: ManualClock;
let scheduler: Scheduler;

beforeEach(() => {
  invoker.clear();
  clock = new ManualClock(Date.parse('2026-01-01T11:58:00Z'));
  scheduler = createScheduler({ service, asyncInvoker: invoker, region: REGION, clock });
});

afterEach(() => scheduler.stop());

const eventsOf = (functionKey: string) =>
  invoker.deliveries
    .filter((delivery) => delivery.functionName === `${SERVICE}-dev-${functionKey}`)
    .map((delivery) => delivery.event as Record<string, unknown>);

describe('the scheduler', () => {
  it('fires a rate rule every interval with the scheduled-event shape', () => {
    clock.advance(15 * MINUTE);

    const events = eventsOf('report');
    expect(events.map((event) => event.time)).toEqual([
      '2026-01-01T12:03:00Z',
      '2026-01-01T12:08:00Z',
      '2026-01-01T12:13:00Z',
    ]);
    expect(events[0]).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: '2026-01-01T12:03:00Z',
      region: REGION,
      resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/${SERVICE}-dev-ReportEventsRuleSchedule1`],
      detail: {},
    });
    expect(Object.keys(events[0] ?? {})).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(3);
  });

  it('fires a cron rule at its UTC time, every day', () => {
    clock.advance(2 * MINUTE);
    clock.advance(24 * 60 * MINUTE);

    expect(eventsOf('noon').map((event) => event.time)).toEqual([
      '2026-01-01T12:00:00Z',
      '2026-01-02T12:00:00Z',
    ]);
  });

  it('sends the configured input instead of the event, under the configured rule name', () => {
    clock.advance(60 * MINUTE);

    expect(eventsOf('custom')).toEqual([{ key1: 'value1', stage: { name: 'dev' } }]);
    expect(scheduler.rules.find((rule) => rule.functionKey === 'custom')).toMatchObject({
      name: 'custom-rule',
      arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/custom-rule`,
    });
  });

  it('fills an input template from the event, one rule per expression', () => {
    clock.advance(24 * 60 * MINUTE);

    expect(eventsOf('shaped')).toEqual([
      { at: '2026-01-02T11:58:00Z', note: 'fired at 2026-01-02T11:58:00Z' },
    ]);
    expect(
      scheduler.rules.filter((rule) => rule.functionKey === 'shaped').map((rule) => rule.logicalId),
    ).toEqual(['ShapedEventsRuleSchedule1', 'ShapedEventsRuleSchedule2']);
  });

  it("reaches a firing beyond setTimeout's 24.8-day limit", async () => {
    const yearly = serviceWith({
      service: SERVICE,
      functions: { newYear: [{ schedule: 'cron(0 0 1 1 ? *)' }] },
    });
    const longClock = new ManualClock(Date.parse('2026-01-01T00:00:01Z'));
    const longScheduler = createScheduler({
      service: yearly,
      asyncInvoker: invoker,
      region: REGION,
      clock: longClock,
    });

    longClock.advance(366 * 24 * 60 * MINUTE);
    await longScheduler.stop();

    expect(longClock.longestDelay).toBe(2 ** 31 - 1);
    expect(eventsOf('newYear').map((event) => event.time)).toEqual(['2027-01-01T00:00:00Z']);
  });

  it('never fires a disabled rule on its own, but fires it on demand', () => {
    clock.advance(10 * MINUTE);
    const firings = scheduler.fireNow('quiet');

    expect(firings).toEqual([
      {
        rule: `${SERVICE}-dev-QuietEventsRuleSchedule1`,
        functionKey: 'quiet',
        requestId: expect.stringMatching(/^request-/) as unknown,
        time: '2026-01-01T12:08:00Z',
      },
    ]);
    expect(eventsOf('quiet')).toHaveLength(1);
  });

  it('fires now by function key, deployed name, rule name or logical id', () => {
    const targets = ['report', `${SERVICE}-dev-noon`, 'custom-rule', 'ShapedEventsRuleSchedule2'];

    const fired = targets.map((target) => scheduler.fireNow(target).map((firing) => firing.functionKey));

    expect(fired).toEqual([['report'], ['noon'], ['custom'], ['shaped']]);
    expect((eventsOf('noon')[0] as { time: string }).time).toBe('2026-01-01T11:58:00Z');
  });

  it('names the rules when asked to fire one that does not exist', () => {
    expect(() => scheduler.fireNow('nightly')).toThrow(ScheduleNotFoundError);
    expect(() => scheduler.fireNow('nightly')).toThrow(
      /"nightly"\. Fix: name one of .*custom-rule \(function custom\)/,
    );
  });

  it('lists the next firing of each enabled rule', () => {
    expect(scheduler.nextFireTimes()).toEqual(
      expect.arrayContaining([
        {
          rule: `${SERVICE}-dev-NoonEventsRuleSchedule1`,
          functionKey: 'noon',
          expression: 'cron(0 12 * * ? *)',
          next: '2026-01-01T12:00:00.000Z',
        },
      ]),
    );
    expect(scheduler.nextFireTimes().map((entry) => entry.functionKey)).not.toContain('quiet');
  });

  it('clears every timer on stop, and fires nothing afterwards', async () => {
    await scheduler.stop();
    clock.advance(60 * MINUTE);

    expect(clock.pending).toBe(0);
    expect(invoker.deliveries).toHaveLength(0);
  });
});

describe('schedule configuration errors', () => {
  it('refuse an invalid expression in one line naming serverless.yml, the event and the fix', () => {
    const broken = serviceWith({
      service: 'sched-broken',
      functions: { tick: [{ schedule: 'rate(1 minutes)' }] },
    });

    const create = () => createScheduler({ service: broken, asyncInvoker: invoker, region: REGION, clock });

    expect(create).toThrow(ServiceConfigError);
    expect(create).toThrow(
      `${broken.servicePath}/serverless.yml: functions.tick.events[0].schedule: rate(1 minutes) is not valid: a value of 1 takes the singular unit. Fix: write rate(1 minute)`,
    );
  });

  it('refuse a name shared by several expressions, as the framework does', () => {
    const broken = serviceWith({
      service: 'sched-broken',
      functions: { tick: [{ schedule: { rate: ['rate(1 hour)', 'rate(2 hours)'], name: 'both' } }] },
    });

    expect(() => createScheduler({ service: broken, asyncInvoker: invoker, region: REGION, clock })).toThrow(
      'a name can belong to one rule only',
    );
  });
});
