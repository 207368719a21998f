// The OpenTelemetry SDK, set up once per sandbox: what the ADOT Lambda layer (AWS's distribution of
// OpenTelemetry) does for you on AWS, written out so you can see each piece. Your code only ever talks to
// @opentelemetry/api (tracer.ts); this module decides where spans go.
//
//   provider       collects the spans of this process and hands them to a processor
//   processor      batches them and gives them to the exporter (Batch: one POST per flush, not per span)
//   exporter       OTLP over HTTP, JSON, to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (local-cloud's receiver here,
//                  the ADOT collector on AWS, which sends them to X-Ray)
//   context        AsyncLocalStorage: the active span follows async calls, so spans nest without passing it
//   instrumentations  the AWS SDK (a span per call: service, operation, table) and node:http (a span per
//                  outgoing request), by patching those modules when they are required
//
// It runs only when an OTLP endpoint is configured (local-cloud sets one for every function); elsewhere (unit
// tests, scripts) the API's spans are no-ops and cost nothing.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

let provider: TracerProvider | undefined;

/** True when the environment names somewhere to send spans. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/**
 * Registers the SDK globally. Must run before the AWS SDK and node:http are first required: the
 * instrumentations patch modules as they load (start-tracing.ts is imported first for that reason).
 */
export function setUpTracing(env: NodeJS.ProcessEnv = process.env): TracerProvider {
  if (provider) return provider;
  provider = new TracerProvider({
    // As the ADOT layer does: the service is the function unless OTEL_SERVICE_NAME says otherwise.
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? env.AWS_LAMBDA_FUNCTION_NAME ?? 'images-api',
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // X-Ray's header format (X-Amzn-Trace-Id), so traces join the one Lambda started and carry on downstream.
  propagation.setGlobalPropagator(new AWSXRayPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // One span per AWS call, not one more for the HTTP request the SDK makes under it.
      new AwsInstrumentation({ suppressInternalInstrumentation: true }),
      // Outgoing requests only: a function receives events, not HTTP requests.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    ],
  });
  return provider;
}

/**
 * Exports every span ended so far and waits for the export. A Lambda handler must await this before it
 * returns: the sandbox is frozen as soon as the result is sent, and spans still in the batch would leave
 * only on a later invocation, or never.
 */
export async function flushTraces(): Promise<void> {
  await provider?.forceFlush();
}
