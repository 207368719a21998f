import { CanaryDeployment, trafficSchedule, type Alarm, type Clock } from '../../src/canary/traffic-shifting';

/** A clock that moves only when the test says so. */
function fakeClock(): Clock & { advanceMinutes(minutes: number): void } {
  let now = Date.UTC(2024, 0, 1);
  return { now: () => now, advanceMinutes: (minutes) => (now += minutes * 60_000) };
}

function alarm(name: string): Alarm & { fire(): void } {
  let firing = false;
  return { name, isFiring: () => firing, fire: () => (firing = true) };
}

describe('trafficSchedule', () => {
  it('sends 10% at once and the rest after the canary period', () => {
    expect(trafficSchedule('Canary10Percent5Minutes')).toEqual([
      { atMinute: 0, newVersionPercent: 10 },
      { atMinute: 5, newVersionPercent: 100 },
    ]);
  });

  it('adds 10% every interval for a linear deployment', () => {
    const steps = trafficSchedule('Linear10PercentEvery2Minutes');

    expect(steps).toHaveLength(10);
    expect(steps[0]).toEqual({ atMinute: 0, newVersionPercent: 10 });
    expect(steps[9]).toEqual({ atMinute: 18, newVersionPercent: 100 });
  });

  it('moves everything at once for AllAtOnce', () => {
    expect(trafficSchedule('AllAtOnce')).toEqual([{ atMinute: 0, newVersionPercent: 100 }]);
  });
});

describe('a canary deployment on a weighted alias', () => {
  it('holds 10% on the new version for five minutes, then all of it (Canary10Percent5Minutes)', () => {
    const clock = fakeClock();
    const deployment = new CanaryDeployment('Canary10Percent5Minutes', clock);

    clock.advanceMinutes(4.9);
    const during = [deployment.tick(), deployment.newVersionPercent];
    clock.advanceMinutes(0.1);
    const after = [deployment.tick(), deployment.newVersionPercent];

    expect(during).toEqual(['InProgress', 10]);
    expect(after).toEqual(['Succeeded', 100]);
  });

  it('climbs 10% a minute (Linear10PercentEvery1Minute)', () => {
    const clock = fakeClock();
    const deployment = new CanaryDeployment('Linear10PercentEvery1Minute', clock);
    const seen = [deployment.newVersionPercent];

    for (let minute = 1; minute <= 9; minute += 1) {
      clock.advanceMinutes(1);
      deployment.tick();
      seen.push(deployment.newVersionPercent);
    }

    expect(seen).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(deployment.status).toBe('Succeeded');
  });

  it('routes requests by weight: about 10% of them to the new version', () => {
    const deployment = new CanaryDeployment('Canary10Percent10Minutes', fakeClock());
    const draws = Array.from({ length: 1000 }, (_, index) => index / 1000);

    const toNew = draws.filter((random) => deployment.route(random) === 'new').length;

    expect(toNew).toBe(100);
  });

  it('rolls back to the old version as soon as an alarm fires, and stays there', () => {
    const clock = fakeClock();
    const errors = alarm('CreateImageErrorsAlarm');
    const deployment = new CanaryDeployment('Linear10PercentEvery1Minute', clock, [errors]);
    clock.advanceMinutes(3);
    deployment.tick();

    errors.fire();
    const status = deployment.tick();
    clock.advanceMinutes(60);
    deployment.tick();

    expect(status).toBe('RolledBack');
    expect(deployment.newVersionPercent).toBe(0);
    expect(deployment.rollbackReason).toBe('CreateImageErrorsAlarm');
    expect(deployment.route(0)).toBe('old');
  });
});

// BEGIN HIDDEN TESTS
describe('traffic shifting, further cases', () => {
  it('reaches 100% after 90 minutes with Linear10PercentEvery10Minutes', () => {
    expect(trafficSchedule('Linear10PercentEvery10Minutes').at(-1)).toEqual({
      atMinute: 90,
      newVersionPercent: 100,
    });
  });

  it('rolls back before any traffic shifts when an alarm is already firing', () => {
    const errors = alarm('Errors');
    errors.fire();

    const deployment = new CanaryDeployment('Canary10Percent30Minutes', fakeClock(), [errors]);

    expect(deployment.status).toBe('RolledBack');
    expect(deployment.route(0)).toBe('old');
  });
});
// END HIDDEN TESTS
