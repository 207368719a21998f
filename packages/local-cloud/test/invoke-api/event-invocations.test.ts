import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ASYNC_PAYLOAD_LIMIT_BYTES, type InvocationReport } from '../../src/lambda/lambda-service';
import type { InvocationRecord } from '../../src/invoke-api/invoke-api';
import { FakeLambdaService, type FakeFunction } from '../support/fake-lambda-service';
import { deferred, encode, startInvokeApi, type Harness } from './invoke-api-harness';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fake-service-dev';

interface Started {
  api: Harness;
  lambda: FakeLambdaService;
  reports: InvocationReport[];
}

const started: Harness[] = [];

async function start(
  functions: Record<string, FakeFunction>,
  options: Parameters<typeof startInvokeApi>[1] = {},
): Promise<Started> {
  const lambda = new FakeLambdaService(functions);
  const reports: InvocationReport[] = [];
  lambda.onInvocation((report) => reports.push(report));
  const api = await startInvokeApi(lambda, options);
  started.push(api);
  return { api, lambda, reports };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.close()));
});

const sendEvent = (api: Harness, functionName: string, payload: unknown) =>
  api.client.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: encode(payload) }),
  );

/** A handler that fails its first `failures` runs, then succeeds. */
function failing(failures: number): FakeFunction['handler'] {
  let runs = 0;
  return () => {
    runs += 1;
    return runs <= failures ? Promise.reject(new Error(`run ${runs} failed`)) : Promise.resolve({ ok: runs });
  };
}

describe('Event invocations', () => {
  it('answer 202 at once and run the function afterwards', async () => {
    const ran = deferred<unknown>();
    const { api } = await start({
      work: {
        handler: (event) => {
          ran.resolve(event);
          return Promise.resolve();
        },
      },
    });

    const output = await sendEvent(api, 'work', { job: 1 });

    expect(output.StatusCode).toBe(202);
    expect(output.Payload?.length ?? 0).toBe(0);
    await expect(ran.promise).resolves.toEqual({ job: 1 });
    const outcome = await api.outcomes.next();
    expect(outcome).toMatchObject({
      requestId: output.$metadata.requestId,
      condition: 'Success',
      attempts: 1,
    });
  });

  it('run under the request id the 202 answer carried', async () => {
    const { api, reports } = await start({ work: { handler: () => Promise.resolve() } });

    const output = await sendEvent(api, 'work', {});
    await api.outcomes.next();

    expect(reports.map((report) => report.requestId)).toEqual([output.$metadata.requestId]);
  });

  it('pass the client context through to the function', async () => {
    const received = deferred<string | undefined>();
    const { api } = await start({
      work: {
        handler: (_event, context) => {
          received.resolve(context.clientContext);
          return Promise.resolve();
        },
      },
    });
    const clientContext = Buffer.from('{"custom":{"a":1}}').toString('base64');

    await api.client.send(
      new InvokeCommand({ FunctionName: 'work', InvocationType: 'Event', ClientContext: clientContext }),
    );

    await expect(received.promise).resolves.toBe(clientContext);
  });

  it('accept a payload of exactly 1 MB', async () => {
    const { api } = await start({ work: { handler: () => Promise.resolve() } });

    const output = await sendEvent(api, 'work', 'x'.repeat(ASYNC_PAYLOAD_LIMIT_BYTES - 2));

    expect(output.StatusCode).toBe(202);
  });

  it('over 1 MB give 413 RequestEntityTooLargeException and queue nothing', async () => {
    const { api, lambda } = await start({ work: { handler: () => Promise.resolve() } });

    const error = (await sendEvent(api, 'work', 'x'.repeat(ASYNC_PAYLOAD_LIMIT_BYTES)).catch(
      (e: unknown) => e,
    )) as {
      name: string;
      message: string;
      $metadata: { httpStatusCode: number };
    };

    expect(error.name).toBe('RequestEntityTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(413);
    expect(error.message).toBe(
      `${ASYNC_PAYLOAD_LIMIT_BYTES + 2} byte payload is too large for the Event invocation type (limit 1048576 bytes)`,
    );
    expect(lambda.invocations).toHaveLength(0);
  });

  it('of an unknown function give 404 ResourceNotFoundException', async () => {
    const { api } = await start({ work: { handler: () => Promise.resolve() } });

    await expect(sendEvent(api, 'missing', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('retries of a failed event', () => {
  it('run a function that always fails exactly 3 times under one request id, then send the record to onFailure', async () => {
    const record = deferred<InvocationRecord>();
    const { api, reports } = await start({
      work: { handler: failing(Infinity), definition: { destinations: { onFailure: 'failures' } } },
      failures: {
        handler: (event) => {
          record.resolve(event as InvocationRecord);
          return Promise.resolve();
        },
      },
    });

    const output = await sendEvent(api, 'work', { orderId: 42 });
    const received = await record.promise;

    const attempts = reports.filter((report) => report.functionKey === 'work');
    expect(attempts.map((report) => report.requestId)).toEqual(Array(3).fill(output.$metadata.requestId));
    expect(received).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      requestContext: {
        requestId: output.$metadata.requestId,
        functionArn: `${FUNCTION_ARN}-work:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { orderId: 42 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: expect.objectContaining({
        errorType: 'Error',
        errorMessage: 'run 3 failed',
      }) as unknown,
    });
  });

  it('count a timed-out attempt as a failed one', async () => {
    const { api, reports } = await start({
      work: {
        handler: () => {
          const timeout = new Error('Task timed out after 6.00 seconds');
          timeout.name = 'Sandbox.Timedout';
          return Promise.reject(timeout);
        },
      },
    });

    await sendEvent(api, 'work', {});
    const outcome = await api.outcomes.next();

    expect(outcome).toMatchObject({ condition: 'RetriesExhausted', attempts: 3 });
    expect(outcome.record.responsePayload).toMatchObject({
      errorMessage: 'Task timed out after 6.00 seconds',
    });
    expect(reports).toHaveLength(3);
  });

  it('wait retryDelaysMs[0] then retryDelaysMs[1] between the attempts', async () => {
    const { api } = await start({ work: { handler: failing(Infinity) } }, { retryDelaysMs: [3, 7] });

    await sendEvent(api, 'work', {});
    await api.outcomes.next();

    expect(api.retries.seen.map(({ reason, attempts, delayMs }) => ({ reason, attempts, delayMs }))).toEqual([
      { reason: 'FunctionError', attempts: 1, delayMs: 3 },
      { reason: 'FunctionError', attempts: 2, delayMs: 7 },
    ]);
  });

  it('stop after one attempt when maximumRetryAttempts is 0', async () => {
    const { api, reports } = await start({
      work: { handler: failing(Infinity), definition: { maximumRetryAttempts: 0 } },
    });

    await sendEvent(api, 'work', {});
    const outcome = await api.outcomes.next();

    expect(outcome).toMatchObject({ condition: 'RetriesExhausted', attempts: 1 });
    expect(reports).toHaveLength(1);
  });

  it('stop after two attempts when maximumRetryAttempts is 1', async () => {
    const { api, reports } = await start({
      work: { handler: failing(Infinity), definition: { maximumRetryAttempts: 1 } },
    });

    await sendEvent(api, 'work', {});
    const outcome = await api.outcomes.next();

    expect(outcome).toMatchObject({ condition: 'RetriesExhausted', attempts: 2 });
    expect(reports).toHaveLength(2);
  });

  it('stop at the first success and send the record to onSuccess', async () => {
    const record = deferred<InvocationRecord>();
    const { api, reports } = await start({
      work: { handler: failing(1), definition: { destinations: { onSuccess: 'fake-service-dev-audit' } } },
      audit: {
        handler: (event) => {
          record.resolve(event as InvocationRecord);
          return Promise.resolve();
        },
      },
    });

    const output = await sendEvent(api, 'work', { orderId: 1 });
    const received = await record.promise;

    expect(reports.filter((report) => report.functionKey === 'work')).toHaveLength(2);
    expect(received.requestContext).toEqual({
      requestId: output.$metadata.requestId,
      functionArn: `${FUNCTION_ARN}-work:$LATEST`,
      condition: 'Success',
      approximateInvokeCount: 2,
    });
    expect(received.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(received.responsePayload).toEqual({ ok: 2 });
  });

  it('send nothing to onFailure when the event succeeds', async () => {
    const { api } = await start({
      work: {
        handler: () => Promise.resolve('done'),
        definition: { destinations: { onFailure: 'failures' } },
      },
      failures: { handler: () => Promise.resolve() },
    });

    await sendEvent(api, 'work', {});
    const outcome = await api.outcomes.next();

    expect(outcome).toMatchObject({ condition: 'Success', destination: undefined });
  });

  it('reach a destination named by its Lambda ARN', async () => {
    const { api } = await start({
      work: {
        handler: failing(Infinity),
        definition: { maximumRetryAttempts: 0, destinations: { onFailure: `${FUNCTION_ARN}-failures` } },
      },
      failures: { handler: () => Promise.resolve() },
    });

    await sendEvent(api, 'work', {});
    const outcome = await api.outcomes.next((o) => o.functionKey === 'work');

    expect(outcome.destination).toMatchObject({
      type: 'onFailure',
      delivered: true,
      functionKey: 'failures',
    });
    await expect(api.outcomes.next((o) => o.functionKey === 'failures')).resolves.toMatchObject({
      condition: 'Success',
    });
  });

  it('record a destination that is not a function of the service, with a note, instead of delivering it', async () => {
    const queueArn = 'arn:aws:sqs:us-east-1:123456789012:failed-orders';
    const { api } = await start({
      work: {
        handler: failing(Infinity),
        definition: { maximumRetryAttempts: 0, destinations: { onFailure: queueArn } },
      },
    });

    await sendEvent(api, 'work', {});
    const outcome = await api.outcomes.next();

    expect(outcome.destination).toEqual({
      type: 'onFailure',
      target: queueArn,
      delivered: false,
      note: expect.stringContaining('only functions of this service are destinations here') as string,
    });
    expect(outcome.record.requestContext.condition).toBe('RetriesExhausted');
  });
});

describe('throttled events', () => {
  it('are retried without counting as attempts until the function has room', async () => {
    const release = deferred<void>();
    const firstStarted = deferred<void>();
    let runs = 0;
    const { api } = await start({
      work: {
        handler: async () => {
          runs += 1;
          if (runs === 1) {
            firstStarted.resolve();
            await release.promise;
          }
        },
        definition: { reservedConcurrency: 1, maximumRetryAttempts: 0 },
      },
    });

    const first = await sendEvent(api, 'work', { n: 1 });
    await firstStarted.promise;
    const second = await sendEvent(api, 'work', { n: 2 });
    await api.retries.next((retry) => retry.requestId === second.$metadata.requestId);
    release.resolve();

    const outcomes = await Promise.all([
      api.outcomes.next((o) => o.requestId === first.$metadata.requestId),
      api.outcomes.next((o) => o.requestId === second.$metadata.requestId),
    ]);
    expect(outcomes.map((o) => [o.condition, o.attempts])).toEqual([
      ['Success', 1],
      ['Success', 1],
    ]);
    expect(api.retries.seen.find((r) => r.requestId === second.$metadata.requestId)).toMatchObject({
      reason: 'Throttled',
      attempts: 0,
    });
  });
});

describe('events older than maximumEventAge', () => {
  it('are dropped to the onFailure destination with the condition EventAgeExceeded', async () => {
    let clock = Date.now();
    const record = deferred<InvocationRecord>();
    const { api, reports } = await start(
      {
        // Reserved concurrency 0 throttles every attempt, so the event waits in the queue while the clock moves.
        work: {
          handler: () => Promise.resolve(),
          definition: {
            reservedConcurrency: 0,
            maximumEventAge: 60,
            destinations: { onFailure: 'failures' },
          },
        },
        failures: {
          handler: (event) => {
            record.resolve(event as InvocationRecord);
            return Promise.resolve();
          },
        },
      },
      { now: () => clock },
    );

    await sendEvent(api, 'work', { late: true });
    await api.retries.next((retry) => retry.reason === 'Throttled');
    clock += 61_000;
    const received = await record.promise;

    expect(received.requestContext).toMatchObject({
      condition: 'EventAgeExceeded',
      approximateInvokeCount: 0,
    });
    expect(received.requestPayload).toEqual({ late: true });
    expect(received).not.toHaveProperty('responseContext');
    expect(reports.filter((report) => report.functionKey === 'work')).toHaveLength(0);
  });
});
