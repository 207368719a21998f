// Execution environments: cold then warm, one invocation at a time per sandbox, reserved concurrency,
// queueing past the per-function cap, idle reaping and a clean stop.
import {
  createLambdaService,
  type LocalLambdaService,
  type SandboxEvent,
} from '../../src/lambda/create-lambda-service';
import { TooManyRequestsError } from '../../src/lambda/lambda-service';
import {
  nextSandboxEvent,
  payloadOf,
  processExists,
  RUNTIME_SERVICE,
  serviceDefinition,
} from './support/lambda-fixtures';

interface SandboxInfo {
  sandboxId: string;
  invocations: number;
  pid: number;
}

const service = serviceDefinition(RUNTIME_SERVICE, {
  sandboxInfo: { handler: 'src/sandbox-info.handler' },
  reserved: { handler: 'src/sandbox-info.handler', reservedConcurrency: 1 },
  disabled: { handler: 'src/sandbox-info.handler', reservedConcurrency: 0 },
  queued: { handler: 'src/sandbox-info.handler' },
});

describe('sandboxes', () => {
  let lambda: LocalLambdaService;
  const events: SandboxEvent[] = [];

  beforeAll(async () => {
    lambda = await createLambdaService(service, { maxSandboxesPerFunction: 2 });
    lambda.onSandboxEvent((event) => events.push(event));
  });

  afterAll(() => lambda.stop());

  it('starts cold, then reuses the same sandbox warm, running module scope once', async () => {
    const first = await lambda.invoke({ functionName: 'sandboxInfo', payload: '{}' });
    const second = await lambda.invoke({ functionName: 'sandboxInfo', payload: '{}' });

    expect(first.report.coldStart).toBe(true);
    expect(first.report.initDurationMs).toBeGreaterThan(0);
    expect(second.report.coldStart).toBe(false);
    expect(second.report.initDurationMs).toBeUndefined();
    expect(second.logs).not.toContain('Init Duration');
    expect(payloadOf<SandboxInfo>(second).sandboxId).toBe(payloadOf<SandboxInfo>(first).sandboxId);
    expect(payloadOf<SandboxInfo>(second).invocations).toBe(2);
  });

  it('runs invocations that overlap in separate sandboxes', async () => {
    const results = await Promise.all([
      lambda.invoke({ functionName: 'sandboxInfo', payload: '{"delayMs":200}' }),
      lambda.invoke({ functionName: 'sandboxInfo', payload: '{"delayMs":200}' }),
    ]);

    const ids = new Set(results.map((result) => payloadOf<SandboxInfo>(result).sandboxId));
    expect(ids.size).toBe(2);
    expect(lambda.sandboxCount('sandboxInfo')).toBe(2);
  });

  it('throttles invocations beyond reserved concurrency with TooManyRequestsError', async () => {
    const running = lambda.invoke({ functionName: 'reserved', payload: '{"delayMs":300}' });

    await expect(lambda.invoke({ functionName: 'reserved', payload: '{}' })).rejects.toBeInstanceOf(
      TooManyRequestsError,
    );
    expect((await running).functionError).toBeUndefined();
    expect((await lambda.invoke({ functionName: 'reserved', payload: '{}' })).functionError).toBeUndefined();
  });

  it('throttles every invocation of a function with reserved concurrency 0', async () => {
    await expect(lambda.invoke({ functionName: 'disabled', payload: '{}' })).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });

  it('queues invocations beyond maxSandboxesPerFunction until a sandbox is free', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => lambda.invoke({ functionName: 'queued', payload: '{"delayMs":100}' })),
    );

    expect(results.every((result) => result.functionError === undefined)).toBe(true);
    const ids = new Set(results.map((result) => payloadOf<SandboxInfo>(result).sandboxId));
    expect(ids.size).toBe(2);
    expect(events.filter((event) => event.type === 'started' && event.functionKey === 'queued')).toHaveLength(
      2,
    );
    expect(results.filter((result) => result.report.coldStart)).toHaveLength(2);
  });
});

describe('idle sandboxes', () => {
  it('are reaped after idleTimeoutMs, so the next invocation is cold', async () => {
    const lambda = await createLambdaService(service, { idleTimeoutMs: 200 });
    try {
      const first = await lambda.invoke({ functionName: 'sandboxInfo', payload: '{}' });
      const reaped = nextSandboxEvent(lambda, (event) => event.type === 'reaped');
      const exited = nextSandboxEvent(lambda, (event) => event.type === 'exited');

      await Promise.all([reaped, exited]);
      expect(lambda.sandboxCount('sandboxInfo')).toBe(0);
      const next = await lambda.invoke({ functionName: 'sandboxInfo', payload: '{}' });

      expect(next.report.coldStart).toBe(true);
      expect(payloadOf<SandboxInfo>(next).sandboxId).not.toBe(payloadOf<SandboxInfo>(first).sandboxId);
      expect(processExists(payloadOf<SandboxInfo>(first).pid)).toBe(false);
    } finally {
      await lambda.stop();
    }
  });

  it('are reaped once idle again after an invocation that outlasted the idle timeout', async () => {
    const lambda = await createLambdaService(service, { idleTimeoutMs: 150 });
    try {
      await lambda.invoke({ functionName: 'sandboxInfo', payload: '{}' });
      const long = await lambda.invoke({ functionName: 'sandboxInfo', payload: '{"delayMs":300}' });
      const reaped = nextSandboxEvent(lambda, (event) => event.type === 'reaped');

      await reaped;

      expect(long.report.coldStart).toBe(false);
      expect(lambda.sandboxCount('sandboxInfo')).toBe(0);
    } finally {
      await lambda.stop();
    }
  });

  it('stay while in use: only idle time counts', async () => {
    const lambda = await createLambdaService(service, { idleTimeoutMs: 150 });
    try {
      const first = await lambda.invoke({ functionName: 'sandboxInfo', payload: '{"delayMs":400}' });
      const second = await lambda.invoke({ functionName: 'sandboxInfo', payload: '{}' });

      expect(second.report.coldStart).toBe(false);
      expect(payloadOf<SandboxInfo>(second).sandboxId).toBe(payloadOf<SandboxInfo>(first).sandboxId);
    } finally {
      await lambda.stop();
    }
  });
});

describe('stop()', () => {
  it('leaves no sandbox process behind', async () => {
    const lambda = await createLambdaService(service);
    const pids: number[] = [];
    lambda.onSandboxEvent((event) => {
      if (event.type === 'started' && event.pid !== undefined) pids.push(event.pid);
    });
    await Promise.all([
      lambda.invoke({ functionName: 'sandboxInfo', payload: '{"delayMs":50}' }),
      lambda.invoke({ functionName: 'sandboxInfo', payload: '{"delayMs":50}' }),
      lambda.invoke({ functionName: 'queued', payload: '{}' }),
    ]);
    const inFlight = lambda.invoke({ functionName: 'sandboxInfo', payload: '{"delayMs":5000}' });

    await lambda.stop();

    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.filter(processExists)).toEqual([]);
    expect((await inFlight).functionError).toBe('Unhandled');
    await expect(lambda.invoke({ functionName: 'sandboxInfo', payload: '{}' })).rejects.toThrow(/stopped/);
  });
});
