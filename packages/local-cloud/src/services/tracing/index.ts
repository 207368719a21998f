// Tracing: the X-Ray daemon (UDP segment documents) and the OTLP/HTTP receiver (OpenTelemetry spans) feed one
// trace collector, which prints each trace as a tree.
export { createXRayDaemon, type XRayDaemon, type XRayDaemonOptions } from './xray-daemon';
export { createTraceCollector, type TraceCollector, type TraceCollectorOptions } from './trace-collector';
export {
  parseDatagram,
  SegmentParseError,
  type SegmentDocument,
  type TraceDocument,
} from './segment-documents';
export { buildTrace, formatTrace, type FinishedTrace, type TraceNode } from './trace-tree';
export {
  createOtlpReceiver,
  TRACES_PATH,
  type OtlpReceiver,
  type OtlpReceiverOptions,
} from './otlp-receiver';
export { OtlpFormatError, spansToDocuments, xrayTraceId, type ConvertedSpans } from './otlp-spans';
