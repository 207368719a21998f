// The X-Ray daemon's UDP endpoint, for functions that still use the X-Ray SDK (in maintenance mode since
// 2026-02-25, but real projects run it). Functions get AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:<port>, the SDK sends
// each closed subsegment there, and the trace collector assembles them with the function's segment from the
// runtime's invocation report (see trace-collector.ts).
import dgram from 'node:dgram';
import type { InvocationReport } from '../../lambda/lambda-service';
import { parseDatagram, SegmentParseError, type TraceDocument } from './segment-documents';
import { createTraceCollector, type TraceCollector, type TraceCollectorOptions } from './trace-collector';
import type { FinishedTrace } from './trace-tree';

export interface XRayDaemonOptions extends TraceCollectorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (AWS's daemon listens on 2000). */
  port?: number;
  /**
   * Where the documents go. Default: a collector of its own, made from the other options. The platform
   * passes the one the OTLP receiver also feeds, so X-Ray subsegments and OpenTelemetry spans of one trace
   * make one tree.
   */
  collector?: TraceCollector;
  /** Datagrams that are not X-Ray documents. */
  log?: (line: string) => void;
}

export interface XRayDaemon {
  /** `127.0.0.1:<port>`: the value of AWS_XRAY_DAEMON_ADDRESS. */
  address: string;
  port: number;
  /** Adds the function's segment of an invocation that ran with a trace header. */
  recordInvocation(report: InvocationReport, endedAtMs?: number): void;
  /** The most recent finished traces, oldest first. */
  traces(): FinishedTrace[];
  /** Finishes the traces in progress (reported as they are), then closes the socket. */
  stop(): Promise<void>;
}

export async function createXRayDaemon(options: XRayDaemonOptions = {}): Promise<XRayDaemon> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const collector = options.collector ?? createTraceCollector(options);
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

  socket.on('message', (message) => {
    let documents: TraceDocument[];
    try {
      documents = parseDatagram(message.toString('utf8'));
    } catch (error) {
      if (error instanceof SegmentParseError) log(`ignored a datagram: ${error.message}`);
      return;
    }
    const [first] = documents;
    if (first) collector.add(first.trace_id, documents);
  });

  return {
    address: `${host}:${port}`,
    port,
    recordInvocation: (report, endedAtMs) => collector.recordInvocation(report, endedAtMs),
    traces: () => collector.traces(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      collector.stop();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
