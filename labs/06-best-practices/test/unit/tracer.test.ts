// The spans the app's code makes, read from an in-memory exporter: names, attributes, status, parentage, and
// the flush a Lambda handler must wait for before it returns.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Context } from 'aws-lambda';
import { inSpan, tracedHandler } from '../../src/tracing/tracer';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(() => exporter.reset());

const spans = () => exporter.getFinishedSpans();
const spanNamed = (name: string) => spans().find((span) => span.name === name);

// An X-Ray trace header as Lambda sets it: the trace id (32 hex digits in OpenTelemetry's form) and the
// function segment the invocation's span must hang under.
const XRAY_ROOT = '1-65920080-0123456789abcdef01234567';
/** The same id in OpenTelemetry's form: X-Ray's time and random parts, joined. */
const TRACE_ID = XRAY_ROOT.split('-').slice(1).join('');
const FUNCTION_SEGMENT = '1111111111111111';
const lambdaContext = { functionName: 'images-createImage', awsRequestId: 'r-1' } as Context;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('inSpan', () => {
  it('runs the work in an ended span with its name and attributes, and returns its result', async () => {
    const result = await inSpan('probe-image', { imageHost: 'images.example' }, () => Promise.resolve(42));

    const span = spanNamed('probe-image');
    expect(result).toBe(42);
    expect(span?.attributes).toEqual({ imageHost: 'images.example' });
    expect(span?.ended).toBe(true);
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('makes a span opened inside the work its child, in the same trace', async () => {
    await inSpan('POST images', { groupId: 'g1' }, () =>
      inSpan('probe-image', { imageHost: 'images.example' }, () => Promise.resolve('image/png')),
    );

    const parent = spanNamed('POST images');
    const child = spanNamed('probe-image');
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
  });

  it('records the error of failed work on its span, with an ERROR status, and rethrows it', async () => {
    const failing = inSpan('probe-image', {}, () => Promise.reject(new Error('refused')));

    await expect(failing).rejects.toThrow('refused');
    const span = spanNamed('probe-image');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'refused' });
    expect(span?.events.map((event) => [event.name, event.attributes?.['exception.message']])).toEqual([
      ['exception', 'refused'],
    ]);
    expect(span?.ended).toBe(true);
  });
});

describe('tracedHandler', () => {
  beforeEach(() => {
    process.env._X_AMZN_TRACE_ID = `Root=${XRAY_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=1`;
  });

  afterEach(() => {
    delete process.env._X_AMZN_TRACE_ID;
  });

  it("runs the handler in a span of the invocation, under the function segment of Lambda's trace header", async () => {
    const handler = tracedHandler(
      () => inSpan('POST images', {}, () => Promise.resolve({ statusCode: 201 })),
      () => Promise.resolve(),
    );

    const result = await handler({}, lambdaContext, () => {});

    const invocation = spanNamed('images-createImage');
    expect(result).toEqual({ statusCode: 201 });
    expect(invocation?.kind).toBe(SpanKind.SERVER);
    expect(invocation?.spanContext().traceId).toBe(TRACE_ID);
    expect(invocation?.parentSpanContext?.spanId).toBe(FUNCTION_SEGMENT);
    expect(spanNamed('POST images')?.parentSpanContext?.spanId).toBe(invocation?.spanContext().spanId);
  });

  it('returns only once the flush has finished, with the invocation span already ended', async () => {
    const flush = deferred();
    const flushStarted = deferred();
    let returned = false;
    const handler = tracedHandler(
      () => Promise.resolve('done'),
      () => {
        flushStarted.resolve();
        return flush.promise;
      },
    );

    const invocation = Promise.resolve(handler({}, lambdaContext, () => {})).then((result) => {
      returned = true;
      return result;
    });
    // Raced with the invocation: a handler that fails instead of flushing fails the test at once.
    await Promise.race([flushStarted.promise, invocation]);

    // The sandbox freezes when the handler returns: the span must be ended (exportable) and the handler
    // still waiting for the export.
    expect(spanNamed('images-createImage')?.ended).toBe(true);
    expect(returned).toBe(false);
    flush.resolve();
    await expect(invocation).resolves.toBe('done');
  });

  it('flushes a failed invocation too, with an ERROR status, and rethrows its error', async () => {
    const flush = jest.fn(() => Promise.resolve());
    const handler = tracedHandler(() => Promise.reject(new Error('table missing')), flush);

    await expect(Promise.resolve(handler({}, lambdaContext, () => {}))).rejects.toThrow('table missing');

    expect(flush).toHaveBeenCalledTimes(1);
    expect(spanNamed('images-createImage')?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'table missing',
    });
  });
});
