// How handlers are called and answered: async and callback styles, errors, the context object, the
// environment, console capture and payload limits, as the Node.js runtimes do them. Callback handlers run on
// nodejs22.x, the newest runtime that still accepts them; nodejs24.x refuses them at init.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createLambdaService,
  type FunctionLogLine,
  type LocalLambdaService,
} from '../../src/lambda/create-lambda-service';
import {
  RequestTooLargeError,
  SYNC_PAYLOAD_LIMIT_BYTES,
  type InvocationReport,
} from '../../src/lambda/lambda-service';
import { errorOf, payloadOf, RUNTIME_SERVICE, serviceDefinition } from './support/lambda-fixtures';

const service = serviceDefinition(RUNTIME_SERVICE, {
  asyncEcho: { handler: 'src/async-echo.handler' },
  callbackEcho: { handler: 'src/callback-echo.handler', runtime: 'nodejs22.x' },
  callbackOnNode24: { handler: 'src/callback-echo.handler' },
  asyncWithCallbackParameter: { handler: 'src/async-with-callback-parameter.handler' },
  syncReturn: { handler: 'src/sync-return.handler' },
  throws: { handler: 'src/throws.handler' },
  contextInfo: { handler: 'src/context-info.handler', memorySize: 256, timeout: 3 },
  environment: {
    handler: 'src/environment.handler',
    environment: { GREETING: 'hello', NODE_OPTIONS: '--enable-source-maps' },
  },
  consoleLines: { handler: 'src/console-lines.handler' },
  bigResponse: { handler: 'src/big-response.handler' },
  payloadSize: { handler: 'src/payload-size.handler' },
  nativeModule: { handler: 'src/native-module.handler' },
  workspacePackage: { handler: 'src/workspace-package.handler' },
});

const EMULATOR_ONLY_VARIABLE = 'LOCAL_CLOUD_TEST_EMULATOR_SECRET';
let lambda: LocalLambdaService;
const logLines: FunctionLogLine[] = [];
const reports: InvocationReport[] = [];

beforeAll(async () => {
  process.env[EMULATOR_ONLY_VARIABLE] = 'must not reach sandboxes';
  lambda = await createLambdaService(service, {
    extraEnvironment: {
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:4010',
      AWS_ACCESS_KEY_ID: 'LOCALCLOUDKEY',
    },
    onLog: (line) => logLines.push(line),
  });
  lambda.onInvocation((report) => reports.push(report));
});

afterAll(async () => {
  delete process.env[EMULATOR_ONLY_VARIABLE];
  await lambda.stop();
});

describe('handler styles', () => {
  it('resolves an async handler with the value its promise resolves to', async () => {
    const result = await lambda.invoke({ functionName: 'asyncEcho', payload: '{"name":"Ada"}' });

    expect(result.functionError).toBeUndefined();
    expect(payloadOf(result)).toEqual({ echo: { name: 'Ada' }, requestId: result.report.requestId });
  });

  it('accepts the function by its deployed name and by its ARN', async () => {
    const byName = await lambda.invoke({ functionName: 'runtime-tests-dev-asyncEcho', payload: '{}' });
    const byArn = await lambda.invoke({
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:runtime-tests-dev-asyncEcho',
      payload: '{}',
    });

    expect(byName.report.functionKey).toBe('asyncEcho');
    expect(byArn.report.functionKey).toBe('asyncEcho');
  });

  it('treats an empty payload as an empty object, as the Invoke API does', async () => {
    const result = await lambda.invoke({ functionName: 'asyncEcho', payload: '' });

    expect(payloadOf<{ echo: unknown }>(result).echo).toEqual({});
  });

  it('resolves a callback handler with the result passed to callback(null, result)', async () => {
    const result = await lambda.invoke({ functionName: 'callbackEcho', payload: '{"n":1}' });

    expect(payloadOf(result)).toEqual({ echo: { n: 1 } });
  });

  it('refuses a callback handler on nodejs24.x at init, with the error Lambda gives, and every invocation fails', async () => {
    const first = await lambda.invoke({ functionName: 'callbackOnNode24', payload: '{"n":1}' });
    const second = await lambda.invoke({ functionName: 'callbackOnNode24', payload: '{"n":2}' });

    for (const result of [first, second]) {
      expect(errorOf(result)).toMatchObject({
        errorType: 'Runtime.CallbackHandlerDeprecated',
        errorMessage:
          'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. ' +
          'You need to modify this function to use a supported handler signature to use Node.js 24 or later. ' +
          'For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
      });
    }
  });

  it('runs an async handler on nodejs24.x even when it declares a third parameter', async () => {
    const result = await lambda.invoke({ functionName: 'asyncWithCallbackParameter', payload: '{"n":3}' });

    expect(payloadOf(result)).toEqual({ echo: { n: 3 } });
  });

  it('fails a callback handler that calls callback(error)', async () => {
    const result = await lambda.invoke({ functionName: 'callbackEcho', payload: '{"fail":true}' });

    expect(errorOf(result)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'callback was given an error',
    });
  });

  it('waits for the event loop to empty after callback(null, result), as callbackWaitsForEmptyEventLoop says', async () => {
    const result = await lambda.invoke({ functionName: 'callbackEcho', payload: '{"pendingTimerMs":300}' });

    expect(result.functionError).toBeUndefined();
    expect(result.report.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('answers at once when callbackWaitsForEmptyEventLoop is false', async () => {
    const result = await lambda.invoke({
      functionName: 'callbackEcho',
      payload: '{"pendingTimerMs":5000,"waitForEmptyEventLoop":false}',
    });

    expect(result.functionError).toBeUndefined();
    expect(result.report.durationMs).toBeLessThan(2500);
  });

  it('ignores what a non-async handler returns without calling back, answering null', async () => {
    const result = await lambda.invoke({ functionName: 'syncReturn', payload: '{}' });

    expect(result.functionError).toBeUndefined();
    expect(result.payload).toBe('null');
  });

  it('loads native addons from the service’s node_modules', async () => {
    const result = await lambda.invoke({ functionName: 'nativeModule', payload: '{}' });

    expect(payloadOf(result)).toBe('function');
  });

  it("compiles a workspace package's TypeScript into the bundle, as serverless-esbuild does on deploy", async () => {
    const result = await lambda.invoke({ functionName: 'workspacePackage', payload: '{}' });

    expect(errorOf(result)).toMatchObject({
      errorType: 'NotImplemented',
      errorMessage: expect.stringContaining('Task "list-groups" is not implemented yet') as unknown,
    });
  });
});

describe('a thrown error', () => {
  it('becomes {errorType, errorMessage, trace} with X-Amz-Function-Error Unhandled', async () => {
    const result = await lambda.invoke({ functionName: 'throws', payload: '{}' });

    const error = errorOf(result);
    expect(error.errorType).toBe('ValidationError');
    expect(error.errorMessage).toBe('name is required');
    expect(error.trace?.[0]).toBe('ValidationError: name is required');
    expect(result.report.status).toBe('error');
  });

  it('has a stack trace that points at the TypeScript source line', async () => {
    const source = readFileSync(path.join(RUNTIME_SERVICE, 'src/throws.ts'), 'utf8').split('\n');
    const throwLine =
      source.findIndex((line) => line.includes("throw new ValidationError('name is required')")) + 1;

    const error = errorOf(await lambda.invoke({ functionName: 'throws', payload: '{}' }));

    expect(error.trace?.[1]).toContain(`${path.join(RUNTIME_SERVICE, 'src/throws.ts')}:${throwLine}:`);
  });

  it('is logged as the runtime logs it and leaves the sandbox warm', async () => {
    const result = await lambda.invoke({ functionName: 'throws', payload: '{}' });

    expect(result.logs).toMatch(
      new RegExp(`\\t${result.report.requestId}\\tERROR\\tInvoke Error \\t\\{"errorType":"ValidationError"`),
    );
    expect(result.report.coldStart).toBe(false);
  });
});

describe('the context object', () => {
  it('carries the request id, the function’s identity and its limits', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'blue' } })).toString('base64');

    const result = await lambda.invoke({ functionName: 'contextInfo', payload: '{}', clientContext });

    const context = payloadOf<Record<string, unknown>>(result);
    expect(context).toMatchObject({
      awsRequestId: result.report.requestId,
      functionName: 'runtime-tests-dev-contextInfo',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:runtime-tests-dev-contextInfo',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/runtime-tests-dev-contextInfo',
      callbackWaitsForEmptyEventLoop: true,
      clientContext: { custom: { tenant: 'blue' } },
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('runs under the request id the caller gives, as the Invoke API gives its own (kept across async retries)', async () => {
    const requestId = '5f1c1ed2-4cf5-4a8e-9d0e-0123456789ab';

    const result = await lambda.invoke({ functionName: 'contextInfo', payload: '{}', requestId });

    expect(result.report.requestId).toBe(requestId);
    expect(payloadOf<Record<string, unknown>>(result).awsRequestId).toBe(requestId);
    expect(result.logs).toContain(`START RequestId: ${requestId} Version: $LATEST`);
  });

  it('counts getRemainingTimeInMillis down from the timeout', async () => {
    const result = await lambda.invoke({ functionName: 'contextInfo', payload: '{}' });

    const { remainingFirst, remainingLater } = payloadOf<{ remainingFirst: number; remainingLater: number }>(
      result,
    );
    expect(remainingFirst).toBeLessThanOrEqual(3000);
    expect(remainingFirst).toBeGreaterThan(2500);
    expect(remainingLater).toBeLessThanOrEqual(remainingFirst - 45);
  });
});

describe('the environment', () => {
  let env: Record<string, string>;
  let cwd: string;
  let utcOffset: number;

  beforeAll(async () => {
    ({ env, cwd, utcOffset } = payloadOf<{ env: Record<string, string>; cwd: string; utcOffset: number }>(
      await lambda.invoke({ functionName: 'environment', payload: '{}' }),
    ));
  });

  it('holds the function’s own variables', () => {
    expect(env.GREETING).toBe('hello');
  });

  it('holds the variables Lambda defines', () => {
    expect(env).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'runtime-tests-dev-environment',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/runtime-tests-dev-environment',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: RUNTIME_SERVICE,
      _HANDLER: 'src/environment.handler',
      TZ: ':UTC',
    });
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/\[\$LATEST\]/);
    expect(utcOffset).toBe(0);
    expect(cwd).toBe(RUNTIME_SERVICE);
  });

  it('holds the emulator’s endpoints and access key', () => {
    expect(env.AWS_ENDPOINT_URL_LAMBDA).toBe('http://127.0.0.1:4010');
    expect(env.AWS_ACCESS_KEY_ID).toBe('LOCALCLOUDKEY');
  });

  it('does not leak the emulator’s own environment', () => {
    expect(env[EMULATOR_ONLY_VARIABLE]).toBeUndefined();
    expect(env.JEST_WORKER_ID).toBeUndefined();
    expect(env.PATH).toBe(process.env.PATH);
  });
});

describe('console output', () => {
  it('lands between START and END, console lines tagged with the request id and level, then REPORT', async () => {
    const result = await lambda.invoke({ functionName: 'consoleLines', payload: '{}' });

    const id = result.report.requestId;
    expect(result.logs.endsWith('\n')).toBe(true);
    const lines = result.logs.slice(0, -1).split('\n');
    const start = lines.indexOf(`START RequestId: ${id} Version: $LATEST`);
    const end = lines.indexOf(`END RequestId: ${id}`);
    const logged = lines.slice(start + 1, end);
    expect(logged).toEqual([
      expect.stringMatching(
        new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${id}\\tINFO\\tinfo line \\{ n: 1 \\}$`),
      ),
      expect.stringMatching(new RegExp(`\\t${id}\\tERROR\\terror line$`)),
      expect.stringMatching(new RegExp(`\\t${id}\\tWARN\\twarn line$`)),
      expect.stringMatching(new RegExp(`\\t${id}\\tDEBUG\\tdebug line$`)),
      'raw stdout line',
      'raw stderr line',
    ]);
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 1024 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d{2} ms\\t$`,
      ),
    );
  });

  it('from module scope comes before START, tagged "undefined" as Lambda tags it', async () => {
    const fresh = await createLambdaService(
      serviceDefinition(RUNTIME_SERVICE, { consoleLines: { handler: 'src/console-lines.handler' } }),
    );
    try {
      const result = await fresh.invoke({ functionName: 'consoleLines', payload: '{}' });

      const lines = result.logs.split('\n');
      expect(lines[0]).toMatch(/\tundefined\tINFO\tloading console-lines$/);
      expect(lines[1]).toMatch(/^START RequestId: /);
    } finally {
      await fresh.stop();
    }
  });

  it('reaches the onLog listener with the function and request', async () => {
    const result = await lambda.invoke({ functionName: 'consoleLines', payload: '{}' });

    const mine = logLines.filter((line) => line.requestId === result.report.requestId);
    expect(mine.map((line) => line.functionKey)).toEqual(Array.from({ length: 6 }, () => 'consoleLines'));
    expect(mine[0]?.text).toMatch(/\tINFO\tinfo line/);
  });

  it('ends in a report that the onInvocation listeners get', async () => {
    const result = await lambda.invoke({ functionName: 'asyncEcho', payload: '{}' });

    const report = reports.find((candidate) => candidate.requestId === result.report.requestId);
    expect(report).toEqual(result.report);
    expect(report).toMatchObject({
      functionKey: 'asyncEcho',
      functionName: 'runtime-tests-dev-asyncEcho',
      status: 'success',
    });
    expect(report?.billedDurationMs).toBe(Math.max(1, Math.ceil(report?.durationMs ?? 0)));
    expect(report?.maxMemoryUsedMb).toBeGreaterThan(10);
  });
});

describe('payload limits', () => {
  it('refuses a request over 6 MB before running the function', async () => {
    const payload = JSON.stringify({ data: 'x'.repeat(SYNC_PAYLOAD_LIMIT_BYTES) });

    await expect(lambda.invoke({ functionName: 'payloadSize', payload })).rejects.toBeInstanceOf(
      RequestTooLargeError,
    );
  });

  it('accepts a request just under 6 MB', async () => {
    const payload = JSON.stringify({ data: 'x'.repeat(SYNC_PAYLOAD_LIMIT_BYTES - 100) });

    const result = await lambda.invoke({ functionName: 'payloadSize', payload });

    expect(payloadOf(result)).toBe(SYNC_PAYLOAD_LIMIT_BYTES - 100);
  });

  it('turns a response over 6 MB into Function.ResponseSizeTooLarge', async () => {
    const result = await lambda.invoke({ functionName: 'bigResponse', payload: '{"length":6291555}' });

    expect(errorOf(result)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage:
        'Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('returns a response of exactly the limit', async () => {
    const result = await lambda.invoke({ functionName: 'bigResponse', payload: '{"length":6291554}' });

    expect(result.functionError).toBeUndefined();
    expect(result.payload).toHaveLength(6_291_556);
  });
});
