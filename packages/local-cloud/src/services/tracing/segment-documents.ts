// What the X-Ray SDKs send the daemon: one UDP datagram per document, a JSON header line then the segment or
// subsegment as JSON (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html).
//   {"format": "json", "version": 1}
//   {"trace_id": "1-...", "id": "...", "name": "...", "start_time": 1.7e9, "end_time": ..., ...}
// Times are epoch seconds with fractions. A subsegment sent on its own has "type": "subsegment" and the id
// of its parent; one sent inside its parent sits in the parent's "subsegments" array.
import { isRecord } from '../../common/records';

export interface SegmentDocument {
  trace_id?: string;
  id: string;
  name: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  type?: 'subsegment';
  parent_id?: string;
  origin?: string;
  namespace?: string;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  annotations?: Record<string, string | number | boolean>;
  http?: { request?: { method?: string; url?: string }; response?: { status?: number } };
  aws?: { operation?: string; table_name?: string };
  subsegments?: SegmentDocument[];
}

/** A segment or subsegment with its parent resolved and its trace id known. */
export interface TraceDocument extends SegmentDocument {
  trace_id: string;
}

export class SegmentParseError extends Error {
  override readonly name = 'SegmentParseError';
}

/** The document of one datagram, with its nested subsegments flattened out and linked to their parents. */
export function parseDatagram(datagram: string): TraceDocument[] {
  const newline = datagram.indexOf('\n');
  if (newline < 0) throw new SegmentParseError('no header line: expected {"format": "json", "version": 1}');
  let header: unknown;
  let document: unknown;
  try {
    header = JSON.parse(datagram.slice(0, newline));
    document = JSON.parse(datagram.slice(newline + 1));
  } catch {
    throw new SegmentParseError('the header or the document is not JSON');
  }
  if (!isRecord(header) || header.format !== 'json') {
    throw new SegmentParseError('the header is not {"format": "json", "version": 1}');
  }
  if (!isDocument(document) || typeof document.trace_id !== 'string') {
    throw new SegmentParseError('the document has no trace_id, id, name or start_time');
  }
  return flatten(document, document.trace_id);
}

function flatten(document: SegmentDocument, traceId: string, parentId?: string): TraceDocument[] {
  const { subsegments = [], ...own } = document;
  const self: TraceDocument = { ...own, trace_id: traceId };
  if (parentId !== undefined) self.parent_id = parentId;
  return [self, ...subsegments.filter(isDocument).flatMap((child) => flatten(child, traceId, document.id))];
}

function isDocument(value: unknown): value is SegmentDocument {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    typeof value.start_time === 'number'
  );
}
