// EventBridge Scheduler's schedules (AWS::Scheduler::Schedule: "Schedule types on EventBridge Scheduler") and
// rules with a ScheduleExpression, fired on an injected clock: at() once in its time zone, rate() from the
// start, cron() in ScheduleExpressionTimezone, DISABLED never; targets get Input with the context attributes
// filled in, an event bus gets an event with EventBridgeParameters' source and detail-type.
import path from 'node:path';
import {
  createEventBridgeService,
  type EventBridgeService,
} from '../../src/services/eventbridge/eventbridge-service';
import type { SchedulerClock } from '../../src/services/eventbridge/schedules';
import type { TargetMessage } from '../../src/platform/targets';
import { serviceDefinition } from '../support/function-definition';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:ticks`;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:scheduled-dev-tick`;
const START = Date.UTC(2026, 11, 7, 23, 58, 0);

/** Timers that run when the test moves the clock. */
class FakeClock implements SchedulerClock {
  private timers: { at: number; callback: () => void }[] = [];
  constructor(private nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { at: this.nowMs + ms, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer !== handle);
  }
  advanceTo(ms: number): void {
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= ms).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.nowMs = due.at;
      due.callback();
    }
    this.nowMs = ms;
  }
}

const schedule = (properties: Record<string, unknown>) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: { FlexibleTimeWindow: { Mode: 'OFF' }, ...properties },
});

describe('EventBridge Scheduler schedules and scheduled rules', () => {
  let clock: FakeClock;
  let service: EventBridgeService;
  const delivered: { arn: string; message: TargetMessage; at: string }[] = [];
  const to = (arn: string) => delivered.filter((item) => item.arn === arn);

  beforeAll(async () => {
    clock = new FakeClock(START);
    service = await createEventBridgeService({
      service: serviceDefinition({
        service: 'scheduled',
        servicePath: path.join(__dirname, 'fixtures'),
        provider: { region: REGION },
        resources: {
          Once: schedule({
            Name: 'new-year-paris',
            ScheduleExpression: 'at(2027-01-01T00:00:00)',
            ScheduleExpressionTimezone: 'Europe/Paris',
            Target: {
              Arn: QUEUE_ARN,
              RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
              Input: '{"at":"<aws.scheduler.scheduled-time>","schedule":"<aws.scheduler.schedule-arn>"}',
            },
          }),
          Every5: schedule({
            Name: 'every-five',
            ScheduleExpression: 'rate(5 minutes)',
            Target: { Arn: FUNCTION_ARN, Input: '{"kind":"tick"}' },
          }),
          Morning: schedule({
            Name: 'new-york-morning',
            ScheduleExpression: 'cron(0 9 * * ? *)',
            ScheduleExpressionTimezone: 'America/New_York',
            FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
            Target: {
              Arn: { 'Fn::GetAtt': ['Bus', 'Arn'] },
              Input: '{"greeting":"good morning"}',
              EventBridgeParameters: { Source: 'course.clock', DetailType: 'Morning' },
            },
          }),
          Off: schedule({
            Name: 'switched-off',
            State: 'DISABLED',
            ScheduleExpression: 'rate(1 minute)',
            Target: { Arn: QUEUE_ARN },
          }),
          Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'clock' } },
          Hourly: {
            Type: 'AWS::Events::Rule',
            Properties: {
              Name: 'hourly',
              ScheduleExpression: 'rate(1 hour)',
              Targets: [{ Id: 'queue', Arn: QUEUE_ARN }],
            },
          },
        },
      }),
      credentials: { accessKeyId: 'AKIDSCHEDULES', secretAccessKey: 'secret' },
      region: REGION,
      inMemory: true,
      clock,
      deliver: (arn, message) => {
        delivered.push({ arn, message, at: new Date(clock.now()).toISOString() });
        return Promise.resolve({ id: String(delivered.length) });
      },
    });
    service.startSchedules();
  });

  afterAll(() => service?.stop());

  it('fires each schedule at its times, and never a disabled one', async () => {
    clock.advanceTo(START + 2 * 86_400_000);
    await service.buses.idle();
    // rate(5 minutes) from the start: every 5 minutes for two days.
    expect(to(FUNCTION_ARN)).toHaveLength(576);
    expect(to(FUNCTION_ARN)[0]).toMatchObject({
      at: '2026-12-08T00:03:00.000Z',
      message: { body: '{"kind":"tick"}' },
    });
    // cron(0 9 * * ? *) in New York is 14:00 UTC in December.
    const bus = 'arn:aws:events:eu-west-1:123456789012:event-bus/clock';
    expect(to(bus).map((item) => item.at)).toEqual(['2026-12-08T14:00:00.000Z', '2026-12-09T14:00:00.000Z']);
    expect(to(bus)[0]!.message).toEqual({
      body: '{"greeting":"good morning"}',
      event: {
        source: 'course.clock',
        detailType: 'Morning',
        resources: ['arn:aws:scheduler:eu-west-1:123456789012:schedule/default/new-york-morning'],
      },
    });
    // The scheduled rule's "Scheduled Event", every hour; the disabled schedule sends nothing.
    const hourly = to(QUEUE_ARN).map((item) => JSON.parse(item.message.body) as Record<string, unknown>);
    expect(hourly).toHaveLength(48);
    expect(hourly[0]).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      region: REGION,
      time: '2026-12-08T00:58:00Z',
      resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/hourly`],
      detail: {},
    });
  });

  it('fires at() once, at its wall-clock time in its time zone, with the context attributes in its input', async () => {
    clock.advanceTo(Date.UTC(2027, 0, 2));
    await service.buses.idle();
    const once = to(QUEUE_ARN).filter((item) => item.message.body.includes('"schedule"'));
    expect(once).toHaveLength(1);
    // Midnight in Paris (UTC+1 in winter) is 23:00 UTC the day before.
    expect(once[0]!.at).toBe('2026-12-31T23:00:00.000Z');
    expect(JSON.parse(once[0]!.message.body)).toEqual({
      at: '2026-12-31T23:00:00Z',
      schedule: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/new-year-paris',
    });
  });

  it('says the flexible time window is read but not honoured, and resolves Ref and Fn::GetAtt of schedules', () => {
    expect(service.declared.warnings).toEqual([expect.stringContaining('FlexibleTimeWindow FLEXIBLE')]);
    expect(service.schedules.map((item) => [item.logicalId, item.name, item.enabled])).toEqual([
      ['Once', 'new-year-paris', true],
      ['Every5', 'every-five', true],
      ['Morning', 'new-york-morning', true],
      ['Off', 'switched-off', false],
    ]);
  });

  it('fires a schedule or a scheduled rule on demand', async () => {
    const before = to(FUNCTION_ARN).length;
    await service.fireNow('every-five');
    expect(to(FUNCTION_ARN)).toHaveLength(before + 1);
    await expect(service.fireNow('nothing')).rejects.toThrow(
      'no schedule or scheduled rule is named "nothing"',
    );
  });
});
