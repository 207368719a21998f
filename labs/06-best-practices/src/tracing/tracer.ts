// Tracing with the OpenTelemetry API: the code you write names spans, gives them attributes and says how they
// ended. Which SDK receives them is otel-setup.ts's business (or the ADOT layer's on AWS); without one, every
// call here is a cheap no-op, so unit tests and scripts run the work untraced.
import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context as OtelContext,
  type Span,
} from '@opentelemetry/api';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import type { Context, Handler } from 'aws-lambda';

/** One tracer for the app, named after it: the instrumentation scope its spans report. */
export const tracer = trace.getTracer('udagram-images-api');

/**
 * Runs work in a span named `name` with these attributes, as the child of the active span. A failure is
 * recorded on the span (the exception and an ERROR status) and rethrown; the span ends when the work settles.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  // BEGIN SOLUTION otel-tracing
  // TODO(otel-tracing): start an active span with the attributes, record a failure on it, end it when done.
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
  // END SOLUTION
}

/**
 * The handler in a span of its invocation (startInvocationSpan), with every span flushed before the result
 * goes back. The flush is the part that
 * matters: Lambda freezes the sandbox once the handler returns, so spans still waiting in the batch would
 * leave on some later invocation, or never. @opentelemetry/instrumentation-aws-lambda does the same; it
 * patches the handler's file as the runtime requires it, which needs the SDK loaded before the handler (the
 * ADOT layer's job), not from inside the handler's own bundle.
 */
export function tracedHandler<E, R>(handler: Handler<E, R>, flush: () => Promise<void>): Handler<E, R> {
  return async (event: E, lambdaContext: Context) => {
    // BEGIN SOLUTION otel-tracing
    // TODO(otel-tracing): run the handler with the invocation's span active, end the span (recording a failure),
    // TODO(otel-tracing): then await flush() before returning or rethrowing: a frozen sandbox sends nothing.
    const { span, active } = startInvocationSpan(lambdaContext);
    try {
      return await context.with(active, () =>
        Promise.resolve(handler(event, lambdaContext, callbacksNotSupported) as Promise<R>),
      );
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
      await flush().catch((error: unknown) => console.warn(`Could not export the spans: ${String(error)}`));
    }
    // END SOLUTION
  };
}

/**
 * The span of one invocation, not yet active: a SERVER span named after the function, whose parent is the
 * function's segment named by the trace header Lambda sets in _X_AMZN_TRACE_ID (read by the X-Ray
 * propagator). `active` is the context to run the handler in, with this span as the active one.
 */
export function startInvocationSpan(lambdaContext: Context): { span: Span; active: OtelContext } {
  const carrier = { 'x-amzn-trace-id': process.env._X_AMZN_TRACE_ID ?? '' };
  const parent = new AWSXRayPropagator().extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  const span = tracer.startSpan(
    lambdaContext.functionName,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'faas.name': lambdaContext.functionName,
        'faas.invocation_id': lambdaContext.awsRequestId,
      },
    },
    parent,
  );
  return { span, active: trace.setSpan(parent, span) };
}

/** Handed to the handler as its callback: on nodejs24.x a handler returns a promise. */
export function callbacksNotSupported(): never {
  throw new Error('tracedHandler wraps async handlers: return a promise instead of calling the callback.');
}
