// local-cloud as a whole: functions get the X-Ray daemon's address and the OTLP receiver's endpoint, their
// subsegments or spans join the function segment of their invocation, and the finished trace is printed as a
// tree in local-cloud's log.
import path from 'node:path';
import { eventually } from '@serverless-course/test-kit';
import { start, type LocalCloud } from '../../src/start';

const SERVICE = path.resolve(__dirname, '../fixtures/xray/traced-service');
jest.setTimeout(60_000);

let cloud: LocalCloud;
const log: string[] = [];

beforeAll(async () => {
  cloud = await start({
    servicePath: SERVICE,
    inMemory: true,
    stage: 'xray-test',
    log: (line) => log.push(line),
  });
});

afterAll(async () => {
  await cloud.stop();
});

describe('tracing on local-cloud', () => {
  it('gives every function the daemon address and logs context errors instead of throwing', () => {
    expect(cloud.platform.environment).toMatchObject({
      AWS_XRAY_DAEMON_ADDRESS: cloud.platform.services.xray.address,
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    });
  });

  it('gives every function the OTLP/HTTP endpoint its OpenTelemetry exporter posts JSON to', () => {
    const { otlp } = cloud.platform.services;

    expect(otlp.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cloud.platform.environment).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.endpoint}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
  });

  it('prints the trace of an X-Ray SDK invocation as a tree under the function segment', async () => {
    const response = await fetch(`${cloud.apiUrl}/traced`);
    const { traceId } = (await response.json()) as { traceId: string };

    const isHeader = (line: string) => line.includes(`trace ${traceId}`);
    await eventually(() => log.some(isHeader), { description: `trace ${traceId} printed` });

    const at = log.findIndex(isHeader);
    expect(log[at + 1]).toMatch(/\[xray\] traced-xray-test-traced {2}AWS::Lambda::Function {2}[\d.]+ ms$/);
    expect(log[at + 2]).toMatch(/\[xray\] └─ work {2}[\d.]+ ms {2}step=one$/);
  });

  it('prints the spans of a function traced with the OpenTelemetry SDK as the same tree', async () => {
    const response = await fetch(`${cloud.apiUrl}/otel`);
    const { traceId } = (await response.json()) as { traceId: string };

    const isHeader = (line: string) => line.includes(`trace ${traceId}`);
    await eventually(() => log.some(isHeader), { description: `trace ${traceId} printed` });

    const at = log.findIndex(isHeader);
    expect(log[at + 1]).toMatch(/\[xray\] traced-xray-test-otel {2}AWS::Lambda::Function {2}[\d.]+ ms$/);
    expect(log[at + 2]).toMatch(/\[xray\] └─ work {2}[\d.]+ ms {2}step=one$/);
    expect(log).not.toContainEqual(expect.stringContaining('[otlp]'));
  });

  it('prints nothing for a function that sends no subsegment', async () => {
    await fetch(`${cloud.apiUrl}/untraced`);
    await fetch(`${cloud.apiUrl}/traced`);

    await eventually(() => cloud.platform.services.xray.traces().length >= 2, {
      description: 'two finished traces',
    });

    expect(log.filter((line) => line.includes('untraced'))).not.toContainEqual(
      expect.stringContaining('[xray]'),
    );
  });
});
