// Assembles traces from whatever reports their parts: the X-Ray daemon (segment documents over UDP), the OTLP
// receiver (OpenTelemetry spans over HTTP, converted to the same documents) and the runtime's invocation
// reports (the function's segment, which on AWS the Lambda service records). One collector behind both
// receivers means a trace is one tree whichever way its parts arrived. When a trace has its root and nothing
// has arrived for `quietMs`, it is finished: onTrace receives it as a tree.
//
// Only traces the function added to are reported: with every invocation carrying a trace header, a trace of
// the bare function segment would be noise for every function that does not trace.
import type { InvocationReport } from '../../lambda/lambda-service';
import type { TraceDocument } from './segment-documents';
import { buildTrace, type FinishedTrace } from './trace-tree';

export interface TraceCollectorOptions {
  /** Silence after which a trace with its root is finished. Default 100 ms. */
  quietMs?: number;
  /**
   * How long a trace may wait for its root, or an invocation for its first subsegment, before it is printed
   * without it or dropped. Default 10 s.
   */
  giveUpMs?: number;
  onTrace?: (trace: FinishedTrace) => void;
  /**
   * How many finished traces traces() keeps. Default 100: enough to inspect recent requests, bounded so a
   * long-running emulator under load does not hold every trace it ever printed.
   */
  keepTraces?: number;
}

export interface TraceCollector {
  /** Adds segments, subsegments or spans of one trace. */
  add(traceId: string, documents: TraceDocument[]): void;
  /** Adds the function's segment of an invocation that ran with a trace header. */
  recordInvocation(report: InvocationReport, endedAtMs?: number): void;
  /** The most recent finished traces (up to `keepTraces`), oldest first. */
  traces(): FinishedTrace[];
  /** Finishes the traces in progress (reported as they are); later additions are ignored. */
  stop(): void;
}

interface PendingTrace {
  /** What the function sent. */
  documents: TraceDocument[];
  /** The function's segment, from the invocation report. */
  root?: TraceDocument;
  lastActivity: number;
  timer?: NodeJS.Timeout;
}

/** How long an invocation's segment waits for a first subsegment (UDP or a span export may trail it a little). */
const FIRST_SUBSEGMENT_GRACE_MS = 1000;

export function createTraceCollector(options: TraceCollectorOptions = {}): TraceCollector {
  const quietMs = options.quietMs ?? 100;
  const giveUpMs = options.giveUpMs ?? 10_000;
  const keepTraces = options.keepTraces ?? 100;
  const pending = new Map<string, PendingTrace>();
  const finished: FinishedTrace[] = [];
  let stopped = false;

  const hasRoot = (trace: PendingTrace) =>
    trace.root !== undefined ||
    trace.documents.some((document) => document.type !== 'subsegment' && document.parent_id === undefined);

  const finish = (traceId: string, trace: PendingTrace) => {
    clearTimeout(trace.timer);
    pending.delete(traceId);
    if (trace.documents.length === 0) return;
    const built = buildTrace(traceId, trace.root ? [trace.root, ...trace.documents] : trace.documents);
    finished.push(built);
    if (finished.length > keepTraces) finished.splice(0, finished.length - keepTraces);
    options.onTrace?.(built);
  };

  /** How long from the last activity until the trace is decided. */
  const waitFor = (trace: PendingTrace) => {
    if (!hasRoot(trace)) return giveUpMs;
    return trace.documents.length === 0 ? FIRST_SUBSEGMENT_GRACE_MS : quietMs;
  };

  const check = (traceId: string) => {
    const trace = pending.get(traceId);
    if (!trace) return;
    const remaining = waitFor(trace) - (Date.now() - trace.lastActivity);
    if (remaining <= 0) finish(traceId, trace);
    else schedule(traceId, trace, remaining);
  };

  const schedule = (traceId: string, trace: PendingTrace, delayMs: number) => {
    clearTimeout(trace.timer);
    // Unreferenced: a trace waiting for documents never keeps the process alive.
    trace.timer = setTimeout(() => check(traceId), Math.max(1, delayMs)).unref();
  };

  const update = (traceId: string, documents: TraceDocument[], root?: TraceDocument) => {
    if (stopped) return;
    const trace = pending.get(traceId) ?? { documents: [], lastActivity: 0 };
    pending.set(traceId, trace);
    trace.documents.push(...documents);
    trace.root ??= root;
    trace.lastActivity = Date.now();
    schedule(traceId, trace, waitFor(trace));
  };

  return {
    add: (traceId, documents) => update(traceId, documents),
    recordInvocation: (report, endedAtMs = Date.now()) => {
      if (report.trace === undefined) return;
      const endTime = endedAtMs / 1000;
      const root: TraceDocument = {
        trace_id: report.trace.traceId,
        id: report.trace.segmentId,
        name: report.functionName,
        origin: 'AWS::Lambda::Function',
        start_time: endTime - report.durationMs / 1000,
        end_time: endTime,
      };
      if (report.status === 'error') root.fault = true;
      update(report.trace.traceId, [], root);
    },
    traces: () => [...finished],
    stop: () => {
      if (stopped) return;
      for (const [traceId, trace] of [...pending]) finish(traceId, trace);
      stopped = true;
    },
  };
}
