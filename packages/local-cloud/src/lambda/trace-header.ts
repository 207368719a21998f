// The X-Ray trace header Lambda gives each invocation in _X_AMZN_TRACE_ID: `Root=<trace id>;Parent=<id of the
// function's segment>;Sampled=1`. The X-Ray SDK reads it to attach the handler's subsegments to that segment.
import { randomBytes } from 'node:crypto';

export interface TraceHeader {
  /** `1-<epoch seconds, 8 hex digits>-<96 random bits, 24 hex digits>`, as X-Ray formats a trace id. */
  traceId: string;
  /** The function segment's id, 16 hex digits: the parent of every subsegment the handler sends. */
  segmentId: string;
  /** The value of _X_AMZN_TRACE_ID. */
  header: string;
}

export function newTraceHeader(nowMs: number = Date.now()): TraceHeader {
  const epoch = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  const traceId = `1-${epoch}-${randomBytes(12).toString('hex')}`;
  const segmentId = randomBytes(8).toString('hex');
  return { traceId, segmentId, header: `Root=${traceId};Parent=${segmentId};Sampled=1` };
}
