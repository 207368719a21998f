// Tracing as two platform services on one trace collector (the platform's): the X-Ray daemon for the X-Ray SDK
// and the OTLP/HTTP receiver for the OpenTelemetry SDK, so one trace is one tree whichever SDK sent it.
import { serviceModule } from '../../platform/service-contract';
import { createOtlpReceiver } from './otlp-receiver';
import { createXRayDaemon } from './xray-daemon';

export const xrayModule = serviceModule({
  key: 'xray',
  start: (context) => createXRayDaemon({ host: context.host, collector: context.traces, log: context.log }),
  environment: (xray) => ({
    // The X-Ray SDK sends subsegments here; outside an invocation it logs instead of throwing, as on Lambda.
    AWS_XRAY_DAEMON_ADDRESS: xray.address,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  }),
  // Each invocation's own segment joins its trace, as Lambda's service segment does on AWS.
  connect: (xray, { lambda }) => {
    const stopListening = lambda.onInvocation((report) => xray.recordInvocation(report));
    return Promise.resolve({ stop: () => Promise.resolve(stopListening()) });
  },
});

export const otlpModule = serviceModule({
  key: 'otlp',
  start: (context) => createOtlpReceiver({ host: context.host, collector: context.traces, log: context.log }),
  // The OpenTelemetry SDK's OTLP exporter posts spans here, as it would to the ADOT collector on AWS. Both
  // variables, as exporters read either: the base (they add /v1/traces) or the traces URL itself.
  environment: (otlp) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.tracesEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  }),
});
