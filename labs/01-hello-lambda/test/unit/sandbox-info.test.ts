import { apiGatewayEvent, createContext, invokeHandler } from '@serverless-course/test-kit';
import type * as SandboxInfoModule from '../../src/handlers/sandbox-info';

interface SandboxReport {
  coldStart: boolean;
  invocation: number;
  sandboxId: string;
  initialisedAt: string;
}

/**
 * Loads the handler module afresh, as Lambda does in a new sandbox: Jest's isolated module registry runs
 * the module scope again, while every call on the returned module shares that one instance (a warm sandbox).
 */
function startSandbox(): typeof SandboxInfoModule {
  let loaded: typeof SandboxInfoModule | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof SandboxInfoModule>('../../src/handlers/sandbox-info');
  });
  if (loaded === undefined) throw new Error('the sandbox-info module did not load');
  return loaded;
}

async function invoke(sandbox: typeof SandboxInfoModule): Promise<SandboxReport> {
  const event = apiGatewayEvent({ method: 'GET', path: '/sandbox' });
  const response = await invokeHandler(
    sandbox.handler,
    event,
    createContext({ functionName: 'sandboxInfo' }),
  );
  expect(response.statusCode).toBe(200);
  expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
  return JSON.parse(response.body) as SandboxReport;
}

describe('GET /sandbox', () => {
  it('reports the first invocation in a new sandbox as a cold start', async () => {
    const sandbox = startSandbox();

    const report = await invoke(sandbox);

    expect(report.coldStart).toBe(true);
    expect(report.invocation).toBe(1);
    expect(typeof report.sandboxId).toBe('string');
    expect(report.sandboxId.length).toBeGreaterThan(0);
  });

  it('reports later invocations in the same sandbox as warm, counting up, with the same sandbox id', async () => {
    const sandbox = startSandbox();

    const first = await invoke(sandbox);
    const second = await invoke(sandbox);
    const third = await invoke(sandbox);

    expect([first.coldStart, second.coldStart, third.coldStart]).toEqual([true, false, false]);
    expect([first.invocation, second.invocation, third.invocation]).toEqual([1, 2, 3]);
    expect(second.sandboxId).toBe(first.sandboxId);
    expect(third.sandboxId).toBe(first.sandboxId);
  });

  it('starts cold again, with a different sandbox id, in a new sandbox', async () => {
    const oldSandbox = startSandbox();
    const before = await invoke(oldSandbox);
    await invoke(oldSandbox);

    const newSandbox = startSandbox();
    const after = await invoke(newSandbox);

    expect(after.coldStart).toBe(true);
    expect(after.invocation).toBe(1);
    expect(after.sandboxId).not.toBe(before.sandboxId);
  });

  it('keeps counting in a sandbox that is still warm while another one starts', async () => {
    const a = startSandbox();
    await invoke(a);
    const b = startSandbox();
    await invoke(b);

    const againInA = await invoke(a);

    expect(againInA).toMatchObject({ coldStart: false, invocation: 2 });
  });

  it('records when the sandbox started, not when each invocation arrives', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T12:00:00Z') });
    try {
      const sandbox = startSandbox();
      jest.advanceTimersByTime(60_000);

      const first = await invoke(sandbox);
      jest.advanceTimersByTime(60_000);
      const second = await invoke(sandbox);

      expect(first.initialisedAt).toBe('2026-01-01T12:00:00.000Z');
      expect(second.initialisedAt).toBe('2026-01-01T12:00:00.000Z');
    } finally {
      jest.useRealTimers();
    }
  });
});
