// `local-cloud fire` and `local-cloud token` as the CLI dispatches them: arguments and output lines in, an
// exit code out. `fire` talks to a real Lambda Invoke API (with an in-process runtime behind it).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runFireCommand, runTokenCli } from '../../src/cli-commands';
import {
  describeEndpoints,
  localCredentials,
  writeEndpointsFile,
  type ScheduleEndpoint,
} from '../../src/endpoints';
import { listen, type Listener } from '../../src/http-listener';
import { createInvokeApi, type InvokeApi } from '../../src/invoke-api/invoke-api';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { serviceDefinition } from '../support/function-definition';

const credentials = localCredentials({});
let scratch: string;
let listener: Listener;
let invokeApi: InvokeApi;
let lambda: FakeLambdaService;
const received: { functionKey: string; event: unknown }[] = [];

const rule = (overrides: Partial<ScheduleEndpoint>): ScheduleEndpoint => ({
  name: 'fire-cli-dev-ReportEventsRuleSchedule1',
  logicalId: 'ReportEventsRuleSchedule1',
  arn: 'arn:aws:events:us-east-1:123456789012:rule/fire-cli-dev-ReportEventsRuleSchedule1',
  functionKey: 'report',
  functionName: 'fire-cli-dev-report',
  expression: 'rate(1 hour)',
  enabled: true,
  method: 'eventBus',
  ...overrides,
});

const schedules: ScheduleEndpoint[] = [
  rule({}),
  rule({
    name: 'nightly-full-report',
    logicalId: 'ReportEventsRuleSchedule2',
    arn: 'arn:aws:events:us-east-1:123456789012:rule/nightly-full-report',
    expression: 'cron(0 2 * * ? *)',
    input: '{"full":true}',
  }),
  rule({
    name: 'fire-cli-dev-TickEventsRuleSchedule1',
    logicalId: 'TickEventsRuleSchedule1',
    arn: 'arn:aws:events:us-east-1:123456789012:rule/fire-cli-dev-TickEventsRuleSchedule1',
    functionKey: 'tick',
    functionName: 'fire-cli-dev-tick',
    expression: 'rate(5 minutes)',
    enabled: false,
    inputPath: '$.detail-type',
  }),
];

function writeServiceEndpoints(servicePath: string, lambdaEndpoint: string): void {
  const service = serviceDefinition({
    service: 'fire-cli',
    servicePath,
    functions: Object.fromEntries(lambda.functions().map((fn) => [fn.key, fn])),
  });
  writeEndpointsFile(
    servicePath,
    describeEndpoints({
      service,
      apiUrl: 'http://127.0.0.1:1/dev',
      lambdaEndpoint,
      credentials,
      accountId: '123456789012',
      platform: { endpoints: {}, environment: {}, resources: {}, schedules },
    }),
  );
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } };
}

/** Resolves once the runtime has run `count` invocations in all. */
function invocations(count: number): Promise<void> {
  return new Promise((resolve) => {
    if (received.length >= count) resolve();
    const stop = lambda.onInvocation(() => {
      if (received.length >= count) {
        stop();
        resolve();
      }
    });
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-cli-commands-'));
  const record = (functionKey: string) => async (event: unknown) => {
    received.push({ functionKey, event });
    return null;
  };
  lambda = new FakeLambdaService(
    { report: { handler: record('report') }, tick: { handler: record('tick') } },
    'fire-cli',
  );
  invokeApi = createInvokeApi({ lambda, credentials, region: 'us-east-1' });
  listener = await listen({ port: 0, host: '127.0.0.1', purpose: 'Lambda Invoke API', fix: '' });
  listener.attach(invokeApi.app);
});

afterAll(async () => {
  await invokeApi.stop();
  await listener.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('local-cloud fire', () => {
  it("sends each of a function's rules the event it would send, as an Event invocation of the running emulator", async () => {
    const servicePath = path.join(scratch, 'running');
    writeServiceEndpoints(servicePath, `http://127.0.0.1:${listener.port}`);
    const { out, err, io: commandIo } = io();
    received.length = 0;

    const exitCode = await runFireCommand(['report', 'running'], commandIo, scratch);
    await invocations(2);

    expect(exitCode).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      expect.stringMatching(
        /^Fired fire-cli-dev-ReportEventsRuleSchedule1 \(rate\(1 hour\)\): report invoked asynchronously, request id [0-9a-f-]{36}\. /,
      ) as unknown,
      expect.stringMatching(
        /^Fired nightly-full-report \(cron\(0 2 \* \* \? \*\)\): report invoked/,
      ) as unknown,
    ]);
    const events = received.map((delivery) => delivery.event);
    expect(events).toContainEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/fire-cli-dev-ReportEventsRuleSchedule1'],
      detail: {},
    });
    expect(events).toContainEqual({ full: true });
  });

  it("fires one rule by name, disabled ones too, applying the rule's input path", async () => {
    const servicePath = path.join(scratch, 'by-rule');
    writeServiceEndpoints(servicePath, `http://127.0.0.1:${listener.port}`);
    received.length = 0;

    const exitCode = await runFireCommand(['TickEventsRuleSchedule1', servicePath], io().io);
    await invocations(1);

    expect(exitCode).toBe(0);
    expect(received).toEqual([{ functionKey: 'tick', event: 'Scheduled Event' }]);
  });

  it('names the rules it knows when nothing matches', async () => {
    const servicePath = path.join(scratch, 'unknown');
    writeServiceEndpoints(servicePath, `http://127.0.0.1:${listener.port}`);
    const { err, io: commandIo } = io();

    const exitCode = await runFireCommand(['cleanup', servicePath], commandIo);

    expect(exitCode).toBe(2);
    expect(err).toEqual([
      'local-cloud fire: no scheduled function or schedule rule is named "cleanup". Fix: name one of report (rule fire-cli-dev-ReportEventsRuleSchedule1), report (rule nightly-full-report), tick (rule fire-cli-dev-TickEventsRuleSchedule1)',
    ]);
  });

  it('says to start local-cloud when the service has no endpoints file', async () => {
    const { err, io: commandIo } = io();

    const exitCode = await runFireCommand(['report', 'never-started'], commandIo, scratch);

    expect(exitCode).toBe(2);
    expect(err).toEqual([
      `local-cloud fire: ${path.join(scratch, 'never-started', '.local-cloud', 'endpoints.json')} does not exist, so no local-cloud is running for this service. Fix: run \`npx local-cloud start never-started\` in another terminal, then fire again`,
    ]);
  });

  it('says to restart local-cloud when the endpoints file is from a run that has stopped', async () => {
    const stopped = await listen({ port: 0, host: '127.0.0.1', purpose: 'gone', fix: '' });
    await stopped.close();
    const servicePath = path.join(scratch, 'stopped');
    writeServiceEndpoints(servicePath, `http://127.0.0.1:${stopped.port}`);
    const { err, io: commandIo } = io();

    const exitCode = await runFireCommand(['report', servicePath], commandIo);

    expect(exitCode).toBe(2);
    expect(err[0]).toMatch(
      new RegExp(
        `^local-cloud fire: nothing answers at http://127\\.0\\.0\\.1:${stopped.port}: the local-cloud that wrote endpoints\\.json has stopped\\. Fix: run \`npx local-cloud start `,
      ),
    );
  });

  it('prints its usage for --help, and refuses a missing name or an unknown option with the fix', async () => {
    const help = io();
    const missing = io();
    const unknown = io();

    expect(await runFireCommand(['--help'], help.io)).toBe(0);
    expect(await runFireCommand([], missing.io)).toBe(2);
    expect(await runFireCommand(['report', '--now'], unknown.io)).toBe(2);

    expect(help.out[0]).toBe('Usage: local-cloud fire <function-or-rule> [path]');
    expect(missing.err).toEqual([
      'local-cloud fire: name the scheduled function or rule to fire. Fix: run `local-cloud fire <function> [path]`',
    ]);
    expect(unknown.err).toEqual([
      'local-cloud fire: unknown option "--now". Fix: run `local-cloud fire --help`',
    ]);
  });
});

describe('local-cloud token', () => {
  it('prints one line: an RS256 token for the user, from the issuer given', () => {
    const { out, err, io: commandIo } = io();

    const exitCode = runTokenCli(
      ['--sub', 'alice', '--issuer', 'http://127.0.0.1:3006/', '--service', 'token-service'],
      commandIo,
      scratch,
    );

    expect(exitCode).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const [header, payload] = out[0]!
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown);
    expect(header).toMatchObject({ alg: 'RS256' });
    expect(payload).toMatchObject({ sub: 'alice', iss: 'http://127.0.0.1:3006/' });
  });

  it('refuses a missing --sub with the fix, as lines of the CLI', () => {
    const { err, io: commandIo } = io();

    const exitCode = runTokenCli(
      ['--issuer', 'http://127.0.0.1:3006/', '--service', 'token-service'],
      commandIo,
      scratch,
    );

    expect(exitCode).toBe(2);
    expect(err).toEqual([
      'local-cloud token: --sub is required. Fix: name the user, such as `npx local-cloud token --sub alice`',
    ]);
  });
});
