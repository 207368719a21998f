// Sandboxes that fail as whole processes do (timeouts, process.exit, memory, import errors) get Lambda's
// error and are replaced, and the emulator keeps serving everything else meanwhile.
import { readdirSync, readFileSync } from 'node:fs';
import {
  createLambdaService,
  type LocalLambdaService,
  type SandboxEvent,
} from '../../src/lambda/create-lambda-service';
import {
  errorOf,
  payloadOf,
  processExists,
  RUNTIME_SERVICE,
  runBounded,
  serviceDefinition,
} from './support/lambda-fixtures';

jest.setTimeout(15_000);

const service = serviceDefinition(RUNTIME_SERVICE, {
  healthy: { handler: 'src/async-echo.handler' },
  busyLoop: { handler: 'src/busy-loop.handler', timeout: 1 },
  neverResolves: { handler: 'src/never-resolves.handler', timeout: 1 },
  exits: { handler: 'src/exits.handler' },
  heapHog: { handler: 'src/heap-hog.handler', memorySize: 128 },
  bufferHog: { handler: 'src/buffer-hog.handler', memorySize: 128 },
  throwsAtImport: { handler: 'src/throws-at-import.handler' },
  missingPackage: { handler: 'src/missing-package.handler' },
  wrongExport: { handler: 'src/commonjs-module.handler' },
  notAFunction: { handler: 'src/commonjs-module.notAFunction' },
  unhandledRejection: { handler: 'src/unhandled-rejection.handler' },
});

let lambda: LocalLambdaService;
const events: SandboxEvent[] = [];

beforeAll(async () => {
  lambda = await createLambdaService(service);
  lambda.onSandboxEvent((event) => events.push(event));
});

afterAll(() => lambda.stop());

function startedSandboxes(functionKey: string): number {
  return events.filter((event) => event.type === 'started' && event.functionKey === functionKey).length;
}

describe('a timeout', () => {
  it('stops a synchronous busy loop by killing its sandbox', async () => {
    const result = await lambda.invoke({ functionName: 'busyLoop', payload: '{}' });

    expect(errorOf(result)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${result.report.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(result.report.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.report.maxMemoryUsedMb).toBeGreaterThan(0);
    expect(result.logs).toMatch(
      new RegExp(`Z ${result.report.requestId} Task timed out after 1.00 seconds\\n`),
    );
    expect(result.logs).toMatch(/\tStatus: timeout\n$/);
  });

  it('ends an async handler that never resolves in time, and the next invocation is cold', async () => {
    const timedOut = await lambda.invoke({ functionName: 'neverResolves', payload: '{}' });
    const next = lambda.invoke({ functionName: 'neverResolves', payload: '{}' });

    expect(errorOf(timedOut).errorType).toBe('Sandbox.Timedout');
    expect((await next).report.coldStart).toBe(true);
    expect(startedSandboxes('neverResolves')).toBe(2);
  });
});

describe('a sandbox that dies', () => {
  it('reports process.exit(n) as Runtime.ExitError', async () => {
    const result = await lambda.invoke({ functionName: 'exits', payload: '{"code":3}' });

    expect(errorOf(result)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${result.report.requestId} Error: Runtime exited with error: exit status 3`,
    });
    expect(result.logs).toContain('\tStatus: error\tError Type: Runtime.ExitError');
  });

  it('reports process.exit(0) as exiting without a reason', async () => {
    const result = await lambda.invoke({ functionName: 'exits', payload: '{"code":0}' });

    expect(errorOf(result).errorMessage).toBe(
      `RequestId: ${result.report.requestId} Error: Runtime exited without providing a reason`,
    );
  });

  it('kills a handler that fills the JavaScript heap past memorySize with Runtime.OutOfMemory', async () => {
    const result = await lambda.invoke({ functionName: 'heapHog', payload: '{}' });

    expect(errorOf(result)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${result.report.requestId} Error: Runtime exited with error: signal: killed`,
    });
    expect(result.report.maxMemoryUsedMb).toBe(128);
  });

  it('kills a handler that fills memory outside the heap (Buffers) past memorySize too', async () => {
    const result = await lambda.invoke({ functionName: 'bufferHog', payload: '{}' });

    expect(errorOf(result).errorType).toBe('Runtime.OutOfMemory');
  });

  it('reports an unhandled promise rejection, then replaces the sandbox', async () => {
    const result = await lambda.invoke({ functionName: 'unhandledRejection', payload: '{}' });

    expect(errorOf(result)).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody handles this',
    });
    expect(result.logs).toMatch(/\tERROR\tUnhandled Promise Rejection \t/);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'exited', functionKey: 'unhandledRejection' }),
    );
    expect(lambda.sandboxCount('unhandledRejection')).toBe(0);
  });
});

describe('a handler module that does not load', () => {
  it('reports an error thrown at module scope as the error itself, and retries init next time', async () => {
    const first = await lambda.invoke({ functionName: 'throwsAtImport', payload: '{}' });
    const second = await lambda.invoke({ functionName: 'throwsAtImport', payload: '{}' });

    expect(errorOf(first)).toMatchObject({ errorType: 'Error', errorMessage: 'REQUIRED_SETTING is not set' });
    expect(first.logs).toMatch(/\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Error"/);
    expect(second.report.coldStart).toBe(true);
  });

  it('reports a package that is not installed as Runtime.ImportModuleError', async () => {
    const result = await lambda.invoke({ functionName: 'missingPackage', payload: '{}' });

    const error = errorOf(result);
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toMatch(/^Error: Cannot find module 'this-package-does-not-exist'/);
  });

  it('reports an export a CommonJS module lacks as Runtime.HandlerNotFound', async () => {
    const result = await lambda.invoke({ functionName: 'wrongExport', payload: '{}' });

    expect(errorOf(result)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'src/commonjs-module.handler is undefined or not exported',
    });
  });

  it('reports an export that is not a function as Runtime.HandlerNotFound', async () => {
    const result = await lambda.invoke({ functionName: 'notAFunction', payload: '{}' });

    expect(errorOf(result).errorMessage).toBe('src/commonjs-module.notAFunction is not a function');
  });
});

describe('the emulator under faults', () => {
  it('serves a concurrent load of a healthy function while faulty ones time out, exit and run out of memory', async () => {
    const faults = Promise.all([
      lambda.invoke({ functionName: 'busyLoop', payload: '{}' }),
      lambda.invoke({ functionName: 'exits', payload: '{"code":1}' }),
      lambda.invoke({ functionName: 'heapHog', payload: '{}' }),
      lambda.invoke({ functionName: 'throwsAtImport', payload: '{}' }),
    ]);

    const healthy = await runBounded(200, 10, (index) =>
      lambda.invoke({ functionName: 'healthy', payload: JSON.stringify({ index }) }),
    );
    const faulty = await faults;

    expect(healthy.filter((result) => result.functionError !== undefined)).toEqual([]);
    expect(healthy.map((result) => payloadOf<{ echo: { index: number } }>(result).echo.index)).toEqual(
      Array.from({ length: 200 }, (_, index) => index),
    );
    expect(faulty.map((result) => errorOf(result).errorType)).toEqual([
      'Sandbox.Timedout',
      'Runtime.ExitError',
      'Runtime.OutOfMemory',
      'Error',
    ]);
  });

  it('has no faulty sandbox left running', () => {
    const pids = events.flatMap((event) =>
      event.type === 'started' && event.functionKey !== 'healthy' && event.pid !== undefined
        ? [event.pid]
        : [],
    );

    expect(pids.filter(processExists)).toEqual([]);
  });
});

describe('processes a handler leaves running', () => {
  /** Processes of this machine whose command line is `sleep <marker>`. */
  function sleeping(marker: string): number[] {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${marker}\0`;
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  it('die with the sandbox, even one detached into a session of its own', async () => {
    const own = await createLambdaService(
      serviceDefinition(RUNTIME_SERVICE, { leaves: { handler: 'src/leaves-processes.handler' } }),
    );
    const marker = `63.${process.pid}`;
    try {
      const result = await own.invoke({ functionName: 'leaves', payload: JSON.stringify({ marker }) });

      expect(payloadOf<string>(result)).toBe('started');
      // Between invocations they live on, as in a warm Lambda sandbox.
      expect(sleeping(marker)).toHaveLength(2);
    } finally {
      await own.stop();
    }

    expect(sleeping(marker)).toEqual([]);
  });
});
