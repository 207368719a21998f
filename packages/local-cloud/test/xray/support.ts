// Sends X-Ray documents as the SDK does (one UDP datagram each), and waits for what the daemon reports.
import dgram from 'node:dgram';
import type { SegmentDocument } from '../../src/services/xray';

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

/** Resolves with the first value `read` gives, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitFor<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
