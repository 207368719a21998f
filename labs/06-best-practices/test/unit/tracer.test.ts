import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import http from 'node:http';
import * as AWSXRay from 'aws-xray-sdk-core';
import { inSubsegment, traceAwsClient, tracedHttpModules } from '../../src/tracing/tracer';

/** What the SDK sends for a subsegment: the fields its typings leave out. */
function recorded(subsegment: AWSXRay.Subsegment): {
  name: string;
  annotations?: Record<string, unknown>;
  end_time?: number;
  fault?: boolean;
  error?: boolean;
} {
  return JSON.parse(subsegment.toString()) as ReturnType<typeof recorded>;
}

/** Runs `work` inside a traced invocation: a segment in the SDK's context and a trace header set. */
async function insideTrace<T>(work: (segment: AWSXRay.Segment) => Promise<T>): Promise<T> {
  const segment = new AWSXRay.Segment('test-function');
  // Never sent: the test reads the segment in memory.
  segment.notTraced = true;
  process.env._X_AMZN_TRACE_ID = `Root=${segment.trace_id};Parent=${segment.id};Sampled=1`;
  try {
    return await AWSXRay.getNamespace().runAndReturn(() => {
      AWSXRay.setSegment(segment);
      return work(segment);
    });
  } finally {
    delete process.env._X_AMZN_TRACE_ID;
  }
}

describe('X-Ray instrumentation', () => {
  it('records an AWS call of a traced client', () => {
    const client = traceAwsClient(new DynamoDBClient({ region: 'us-east-1' }));

    expect(client.middlewareStack.identify().join(' ')).toContain('XRaySDKInstrumentation');
  });

  it('gives traced copies of node:http and node:https, leaving the process-wide modules alone', () => {
    const traced = tracedHttpModules();

    expect(traced.http).not.toBe(http);
    expect(traced.http.request).not.toBe(http.request);
    expect(traced.https.request).toEqual(expect.any(Function));
    expect((http as unknown as { __request?: unknown }).__request).toBeUndefined();
  });

  it('records a request made with the traced copy as a remote subsegment of the invocation', async () => {
    const server = http.createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const traced = tracedHttpModules();

    const segment = await insideTrace(async (current) => {
      await new Promise<void>((resolve, reject) =>
        traced.http
          .get(`http://127.0.0.1:${port}/image.png`, (response) => response.resume().on('end', resolve))
          .on('error', reject),
      );
      return current;
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));

    expect((segment.subsegments ?? []).map(recorded).map((subsegment) => subsegment.name)).toContain(
      `127.0.0.1`,
    );
  });

  it('runs work in a named subsegment with its annotations, closed when the work settles', async () => {
    const { segment, result } = await insideTrace(async (current) => ({
      segment: current,
      result: await inSubsegment('probe-image', { imageHost: 'images.example' }, () => Promise.resolve(42)),
    }));

    const [subsegment] = (segment.subsegments ?? []).map(recorded);
    expect(result).toBe(42);
    expect(subsegment?.name).toBe('probe-image');
    expect(subsegment?.annotations).toEqual({ imageHost: 'images.example' });
    expect(subsegment?.end_time).toEqual(expect.any(Number));
  });

  it('records the error of failed work on its subsegment and rethrows it', async () => {
    const failing = insideTrace(async (segment) => {
      await inSubsegment('probe-image', {}, () => Promise.reject(new Error('refused'))).catch(
        () => undefined,
      );
      return segment;
    });

    const [subsegment] = ((await failing).subsegments ?? []).map(recorded);
    expect(subsegment?.fault || subsegment?.error).toBe(true);
  });

  it('just runs the work outside a traced invocation', async () => {
    await expect(inSubsegment('anything', {}, () => Promise.resolve('done'))).resolves.toBe('done');
  });
});
