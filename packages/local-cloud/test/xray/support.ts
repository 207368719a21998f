// Sends X-Ray documents as the SDK does (one UDP datagram each), and the invocation report they belong to.
import dgram from 'node:dgram';
import type { InvocationReport } from '../../src/lambda/lambda-service';
import type { SegmentDocument } from '../../src/services/tracing';

/** The trace of the invocation the tests' documents and spans belong to, and its function segment. */
export const TRACE_ID = '1-65920080-0123456789abcdef01234567';
export const FUNCTION_SEGMENT = '1111111111111111';

/** The report Lambda makes of that invocation, which adds the function's own segment to the trace. */
export function invocationReport(overrides: Partial<InvocationReport> = {}): InvocationReport {
  return {
    functionKey: 'createImage',
    functionName: 'svc-dev-createImage',
    requestId: 'r-1',
    status: 'success',
    durationMs: 40,
    billedDurationMs: 40,
    coldStart: false,
    memorySizeMb: 512,
    maxMemoryUsedMb: 80,
    trace: { traceId: TRACE_ID, segmentId: FUNCTION_SEGMENT },
    ...overrides,
  };
}

export async function sendDocuments(port: number, documents: object[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  try {
    for (const document of documents) {
      const datagram = `{"format": "json", "version": 1}\n${JSON.stringify(document)}`;
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
}

/** A closed subsegment sent on its own, as Lambda's SDK streams them. */
export function subsegment(
  traceId: string,
  parentId: string,
  id: string,
  name: string,
  startTime: number,
  durationMs: number,
  extra: Partial<SegmentDocument> = {},
): SegmentDocument {
  return {
    type: 'subsegment',
    trace_id: traceId,
    parent_id: parentId,
    id,
    name,
    start_time: startTime,
    end_time: startTime + durationMs / 1000,
    ...extra,
  };
}
