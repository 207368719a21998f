// The runtime gives every invocation its own X-Ray trace header in _X_AMZN_TRACE_ID, as Lambda does, and the
// invocation report names the same trace, so the daemon can add the function's segment to it.
import { createLambdaService, type LocalLambdaService } from '../../src/lambda/create-lambda-service';
import { newTraceHeader } from '../../src/lambda/trace-header';
import { payloadOf, RUNTIME_SERVICE, serviceDefinition } from '../lambda/support/lambda-fixtures';

const service = serviceDefinition(RUNTIME_SERVICE, { environment: { handler: 'src/environment.handler' } });
let lambda: LocalLambdaService;

beforeAll(async () => {
  lambda = await createLambdaService(service);
});

afterAll(async () => {
  await lambda.stop();
});

type EnvironmentPayload = { env: Record<string, string | undefined> };

describe('the X-Ray trace header', () => {
  it('is formatted as X-Ray formats it: a dated trace id, a 16-digit parent and a sampling decision', () => {
    const header = newTraceHeader(Date.UTC(2024, 0, 1));

    expect(header.traceId).toMatch(/^1-65920080-[0-9a-f]{24}$/);
    expect(header.segmentId).toMatch(/^[0-9a-f]{16}$/);
    expect(header.header).toBe(`Root=${header.traceId};Parent=${header.segmentId};Sampled=1`);
  });

  it('reaches the handler in _X_AMZN_TRACE_ID and names the trace of the invocation report', async () => {
    const result = await lambda.invoke({ functionName: 'environment', payload: '{}' });

    const { env } = payloadOf<EnvironmentPayload>(result);
    expect(result.report.trace).toBeDefined();
    expect(env._X_AMZN_TRACE_ID).toBe(
      `Root=${result.report.trace?.traceId};Parent=${result.report.trace?.segmentId};Sampled=1`,
    );
  });

  it('changes with every invocation of the same warm sandbox', async () => {
    const first = await lambda.invoke({ functionName: 'environment', payload: '{}' });
    const second = await lambda.invoke({ functionName: 'environment', payload: '{}' });

    expect(second.report.coldStart).toBe(false);
    expect(payloadOf<EnvironmentPayload>(second).env._X_AMZN_TRACE_ID).not.toBe(
      payloadOf<EnvironmentPayload>(first).env._X_AMZN_TRACE_ID,
    );
  });
});
