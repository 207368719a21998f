// The SDK clients, made once per sandbox (module scope) and reused by every invocation, each traced with
// OpenTelemetry: a span per AWS call, named and described as @opentelemetry/instrumentation-aws-sdk names them
// (rpc.service, rpc.method, the DynamoDB table), so X-Ray (through ADOT) and local-cloud show them as before.
// No endpoints: on AWS the SDK finds the services; on local-cloud, AWS_ENDPOINT_URL (one for every service).
//
// A middleware per client rather than the instrumentation itself: the instrumentation patches the SDK's
// modules as they are first required, so it must be registered before any of them loads, which a module
// imported among the handlers' own imports cannot promise. On AWS the ADOT Lambda layer registers it before
// the handler loads; these spans are then simply nested under its own.
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { InitializeHandlerOptions, InitializeMiddleware } from '@smithy/types';

/**
 * The SDK, registered only when an OTLP endpoint is configured (local-cloud sets one; on AWS the ADOT layer
 * brings its own). Simple, not batched: each span is exported as it ends, so none waits in a batch when
 * Lambda freezes the sandbox after the handler returns.
 */
function setUpTracing(env: NodeJS.ProcessEnv = process.env): TracerProvider | undefined {
  if (!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? env.AWS_LAMBDA_FUNCTION_NAME ?? 'udagram-backend',
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new AWSXRayPropagator());
  trace.setGlobalTracerProvider(provider);
  return provider;
}

const provider = setUpTracing();
const tracer = trace.getTracer('udagram-backend');

/**
 * Exports what has ended. Lambda freezes the sandbox as soon as the handler answers, so a span still being
 * sent then is lost: every handler awaits this before it answers (`flushingTraces`, and the HTTP middleware).
 * Tracing never fails an invocation: an export that fails is dropped.
 */
export async function flushTraces(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}

/** The handler, answering (or failing) only once its spans are exported: see flushTraces. */
export function flushingTraces<Args extends unknown[], Result>(
  handler: (...args: Args) => Promise<Result>,
  flush: () => Promise<void> = flushTraces,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      await flush();
    }
  };
}

const SPAN_STEP: InitializeHandlerOptions = { step: 'initialize', name: 'openTelemetrySpan' };

/** The client, with a CLIENT span around each call: `DynamoDB.PutItem`, with its table. */
export function traced<T extends { middlewareStack: { add(middleware: never, options: never): void } }>(
  client: T,
  service: string,
): T {
  const middleware: InitializeMiddleware<object, object> = (next, handlerContext) => async (args) => {
    const operation = handlerContext.commandName?.replace(/Command$/, '') ?? 'unknown';
    const table = (args.input as { TableName?: unknown }).TableName;
    return tracer.startActiveSpan(
      `${service}.${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': service,
          'rpc.method': operation,
          ...(typeof table === 'string' ? { 'aws.dynamodb.table_names': [table] } : {}),
        },
      },
      async (span) => {
        try {
          return await next(args);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };
  client.middlewareStack.add(middleware as never, SPAN_STEP as never);
  return client;
}

export const documents = DynamoDBDocumentClient.from(traced(new DynamoDBClient({}), 'DynamoDB'), {
  marshallOptions: { removeUndefinedValues: true },
});

export const s3 = traced(new S3Client({}), 'S3');

const managementClients = new Map<string, ApiGatewayManagementApiClient>();

/** One client per WebSocket API endpoint (`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`). */
export function managementApi(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = traced(new ApiGatewayManagementApiClient({ endpoint }), 'ApiGatewayManagementApi');
    managementClients.set(endpoint, client);
  }
  return client;
}
