// The X-Ray daemon's UDP endpoint. Functions get AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:<port>, the X-Ray SDK
// sends each closed subsegment there, and Lambda's own part of a trace (the function's segment, which on AWS
// the Lambda service records) comes from the runtime's invocation report. When a trace has its root and no
// document has arrived for `quietMs`, it is finished: onTrace receives it as a tree.
//
// Only traces the function added to are reported: with every invocation carrying a trace header, a trace of
// the bare function segment would be noise for every function that does not use the X-Ray SDK.
import dgram from 'node:dgram';
import type { InvocationReport } from '../../lambda/lambda-service';
import { parseDatagram, SegmentParseError, type TraceDocument } from './segment-documents';
import { buildTrace, type FinishedTrace } from './trace-tree';

export interface XRayDaemonOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (AWS's daemon listens on 2000). */
  port?: number;
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
  /** Datagrams that are not X-Ray documents. */
  log?: (line: string) => void;
}

export interface XRayDaemon {
  /** `127.0.0.1:<port>`: the value of AWS_XRAY_DAEMON_ADDRESS. */
  address: string;
  port: number;
  /** Adds the function's segment of an invocation that ran with a trace header. */
  recordInvocation(report: InvocationReport, endedAtMs?: number): void;
  /** The most recent finished traces (up to `keepTraces`), oldest first. */
  traces(): FinishedTrace[];
  /** Finishes the traces in progress (reported as they are), then closes the socket. */
  stop(): Promise<void>;
}

interface PendingTrace {
  /** What the SDK sent. */
  documents: TraceDocument[];
  /** The function's segment, from the invocation report. */
  root?: TraceDocument;
  lastActivity: number;
  timer?: NodeJS.Timeout;
}

/** How long an invocation's segment waits for a first subsegment (UDP may trail the result a little). */
const FIRST_SUBSEGMENT_GRACE_MS = 1000;

export async function createXRayDaemon(options: XRayDaemonOptions = {}): Promise<XRayDaemon> {
  const host = options.host ?? '127.0.0.1';
  const quietMs = options.quietMs ?? 100;
  const giveUpMs = options.giveUpMs ?? 10_000;
  const log = options.log ?? (() => {});
  const pending = new Map<string, PendingTrace>();
  const keepTraces = options.keepTraces ?? 100;
  const finished: FinishedTrace[] = [];
  let stopped = false;

  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (error) => log(`the UDP socket failed: ${error.message}`));
  const { port } = socket.address();

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

  const add = (traceId: string, update: { documents?: TraceDocument[]; root?: TraceDocument }) => {
    if (stopped) return;
    const trace = pending.get(traceId) ?? { documents: [], lastActivity: 0 };
    pending.set(traceId, trace);
    trace.documents.push(...(update.documents ?? []));
    trace.root ??= update.root;
    trace.lastActivity = Date.now();
    schedule(traceId, trace, waitFor(trace));
  };

  socket.on('message', (message) => {
    let documents: TraceDocument[];
    try {
      documents = parseDatagram(message.toString('utf8'));
    } catch (error) {
      if (error instanceof SegmentParseError) log(`ignored a datagram: ${error.message}`);
      return;
    }
    const [first] = documents;
    if (first) add(first.trace_id, { documents });
  });

  return {
    address: `${host}:${port}`,
    port,
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
      add(report.trace.traceId, { root });
    },
    traces: () => [...finished],
    stop: async () => {
      if (stopped) return;
      for (const [traceId, trace] of [...pending]) finish(traceId, trace);
      stopped = true;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
