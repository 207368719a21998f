export { createXRayDaemon, type XRayDaemon, type XRayDaemonOptions } from './xray-daemon';
export { createTraceCollector, type TraceCollector, type TraceCollectorOptions } from './trace-collector';
export {
  parseDatagram,
  SegmentParseError,
  type SegmentDocument,
  type TraceDocument,
} from './segment-documents';
export { buildTrace, formatTrace, type FinishedTrace, type TraceNode } from './trace-tree';
