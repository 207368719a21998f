// A local model of what CodeDeploy does to a Lambda alias during a canary or linear deployment: the alias
// points at two versions with weights, the new version's share grows on a schedule, and any alarm going off
// sends all traffic back to the old version. The clock is injected, so tests run five minutes in a moment.

export const DEPLOYMENT_TYPES = [
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
  'AllAtOnce',
] as const;

export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

/** From `atMinute` after the start, the new version gets `newVersionPercent` of the alias's traffic. */
export interface TrafficStep {
  atMinute: number;
  newVersionPercent: number;
}

export type DeploymentStatus = 'InProgress' | 'Succeeded' | 'RolledBack';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Alarm {
  name: string;
  /** True while the alarm is in the ALARM state. */
  isFiring(): boolean;
}

export function trafficSchedule(type: DeploymentType): TrafficStep[] {
  // BEGIN SOLUTION traffic-shifting
  // TODO(traffic-shifting): Canary: 10% at once, 100% after N minutes. Linear: +10% every N minutes.
  if (type === 'AllAtOnce') return [{ atMinute: 0, newVersionPercent: 100 }];
  const canary = /^Canary10Percent(\d+)Minutes$/.exec(type);
  if (canary) {
    return [
      { atMinute: 0, newVersionPercent: 10 },
      { atMinute: Number(canary[1]), newVersionPercent: 100 },
    ];
  }
  const linear = /^Linear10PercentEvery(\d+)Minutes?$/.exec(type);
  if (!linear)
    throw new Error(`Unknown deployment type ${type as string}. Use one of ${DEPLOYMENT_TYPES.join(', ')}.`);
  const every = Number(linear[1]);
  return Array.from({ length: 10 }, (_, index) => ({
    atMinute: index * every,
    newVersionPercent: (index + 1) * 10,
  }));
  // END SOLUTION
}

/** An alias with weighted routing between the live version and the one being deployed. */
export class CanaryDeployment {
  private readonly startedAt: number;
  private readonly schedule: TrafficStep[];
  private state: DeploymentStatus = 'InProgress';
  private percent: number;
  private firedAlarm?: string;

  constructor(
    type: DeploymentType,
    private readonly clock: Clock,
    private readonly alarms: readonly Alarm[] = [],
  ) {
    this.startedAt = clock.now();
    this.schedule = trafficSchedule(type);
    this.percent = 0;
    this.tick();
  }

  get status(): DeploymentStatus {
    return this.state;
  }

  /** The new version's share of traffic now, 0 to 100. */
  get newVersionPercent(): number {
    return this.percent;
  }

  /** The alarm that rolled the deployment back, if one did. */
  get rollbackReason(): string | undefined {
    return this.firedAlarm;
  }

  /**
   * Checks the alarms, then moves the weight to where the schedule says it is now. Call it as time passes
   * (CodeDeploy checks continuously; here the caller decides when).
   */
  tick(): DeploymentStatus {
    // BEGIN SOLUTION traffic-shifting
    // TODO(traffic-shifting): roll back (0%, RolledBack) on any firing alarm; else follow the schedule to 100%.
    if (this.state !== 'InProgress') return this.state;
    const firing = this.alarms.find((alarm) => alarm.isFiring());
    if (firing) {
      this.firedAlarm = firing.name;
      this.percent = 0;
      this.state = 'RolledBack';
      return this.state;
    }
    const minutes = (this.clock.now() - this.startedAt) / 60_000;
    const reached = this.schedule.filter((step) => step.atMinute <= minutes);
    this.percent = reached.at(-1)?.newVersionPercent ?? 0;
    if (this.percent === 100) this.state = 'Succeeded';
    return this.state;
    // END SOLUTION
  }

  /** Which version serves a request; `random` in [0, 1) as Math.random() gives. */
  route(random: number = Math.random()): 'old' | 'new' {
    // BEGIN SOLUTION traffic-shifting
    // TODO(traffic-shifting): send a request to the new version with probability newVersionPercent / 100.
    return random * 100 < this.percent ? 'new' : 'old';
    // END SOLUTION
  }
}
