// OpenTelemetry spans, as an OTLP exporter posts them in JSON (an ExportTraceServiceRequest,
// https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding), turned into the documents the trace tree
// is built from. The conversion follows what X-Ray makes of spans that ADOT exports: an AWS SDK span is a
// subsegment named after the service with its operation and table, an HTTP client span is a remote
// subsegment named after the host, ERROR status is a fault, and the span's own attributes show as annotations.
//
// The trace id becomes X-Ray's form (`1-<8 hex>-<24 hex>`, the same 128 bits): Lambda's trace header names
// the trace that way, and the function's span is a child of the segment that header names, so spans and the
// invocation's segment from the runtime meet in one tree.
import type { TraceDocument } from './segment-documents';
import { isRecord } from '../../common/records';

/** OTLP/JSON: ids are hex, 64-bit integers may be strings, enums are numbers. */
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
}

type Scalar = string | number | boolean;
type AttributeValue = Scalar | Scalar[];

/** A request that is not an ExportTraceServiceRequest at all: the whole body is refused. */
export class OtlpFormatError extends Error {
  override readonly name = 'OtlpFormatError';
}

export interface ConvertedSpans {
  documents: TraceDocument[];
  /** Spans left out because they lack valid ids, a name or a start time. */
  rejected: number;
}

const SPAN_KIND_CLIENT = 3;
const STATUS_CODE_ERROR = 2;
const TRACE_ID = /^[0-9a-f]{32}$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;
const NANOS = /^\d{1,20}$/;

/**
 * Semantic-convention attributes: shown through the name, operation and URL they describe, not repeated as
 * annotations. What is left is what the code set itself (groupId=g1).
 */
const CONVENTION_PREFIXES = [
  'aws.',
  'client.',
  'cloud.',
  'code.',
  'db.',
  'error.',
  'exception.',
  'faas.',
  'http.',
  'messaging.',
  'net.',
  'network.',
  'otel.',
  'rpc.',
  'server.',
  'thread.',
  'url.',
  'user_agent.',
];

/** `1-65920080-0123456789abcdef01234567` for the OpenTelemetry trace id 659200800123456789abcdef01234567. */
export function xrayTraceId(otelTraceId: string): string {
  const hex = otelTraceId.toLowerCase();
  return `1-${hex.slice(0, 8)}-${hex.slice(8)}`;
}

/** The spans of a parsed JSON body. Throws OtlpFormatError when it is not an ExportTraceServiceRequest. */
export function spansToDocuments(body: unknown): ConvertedSpans {
  if (!isRecord(body) || !Array.isArray(body.resourceSpans)) {
    throw new OtlpFormatError('expected an ExportTraceServiceRequest: {"resourceSpans": [...]}');
  }
  const documents: TraceDocument[] = [];
  let rejected = 0;
  for (const resourceSpans of body.resourceSpans) {
    const scopeSpans: unknown[] = isRecord(resourceSpans) ? arrayOf(resourceSpans.scopeSpans) : [];
    for (const scope of scopeSpans) {
      for (const span of isRecord(scope) ? arrayOf(scope.spans) : []) {
        const document = isRecord(span) ? toDocument(span) : undefined;
        if (document) documents.push(document);
        else rejected += 1;
      }
    }
  }
  return { documents, rejected };
}

function toDocument(span: Record<string, unknown>): TraceDocument | undefined {
  const { traceId, spanId, parentSpanId, name } = span;
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId) || /^0+$/.test(traceId)) return undefined;
  if (typeof spanId !== 'string' || !SPAN_ID.test(spanId)) return undefined;
  if (typeof name !== 'string') return undefined;
  const start = secondsOf(span.startTimeUnixNano);
  if (start === undefined) return undefined;
  const end = secondsOf(span.endTimeUnixNano);

  const document: TraceDocument = {
    trace_id: xrayTraceId(traceId),
    id: spanId.toLowerCase(),
    name,
    start_time: start,
  };
  if (end !== undefined && end > 0) document.end_time = end;
  else document.in_progress = true;
  if (typeof parentSpanId === 'string' && SPAN_ID.test(parentSpanId)) {
    document.type = 'subsegment';
    document.parent_id = parentSpanId.toLowerCase();
  }

  const attributes = attributesOf(span.attributes);
  describeAwsCall(document, attributes);
  if (document.namespace === undefined && span.kind === SPAN_KIND_CLIENT)
    describeHttpCall(document, attributes);

  const status = isRecord(span.status) ? span.status.code : undefined;
  if (status === STATUS_CODE_ERROR) {
    const httpStatus = document.http?.response?.status;
    if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500) document.error = true;
    else document.fault = true;
  }

  const annotations = Object.entries(attributes).filter(
    (entry): entry is [string, Scalar] =>
      !Array.isArray(entry[1]) && !CONVENTION_PREFIXES.some((prefix) => entry[0].startsWith(prefix)),
  );
  if (annotations.length > 0) document.annotations = Object.fromEntries(annotations);
  return document;
}

/** The AWS SDK instrumentation's span: `DynamoDB.PutItem` with rpc.* and aws.* attributes. */
function describeAwsCall(document: TraceDocument, attributes: Record<string, AttributeValue>): void {
  if (attributes['rpc.system'] !== 'aws-api') return;
  const service = attributes['rpc.service'];
  const operation = attributes['rpc.method'];
  const tables = attributes['aws.dynamodb.table_names'];
  if (typeof service === 'string') document.name = service;
  document.namespace = 'aws';
  document.aws = {};
  if (typeof operation === 'string') document.aws.operation = operation;
  if (tables !== undefined) document.aws.table_name = [tables].flat().join(',');
}

/** The HTTP instrumentation's client span, in the stable conventions or the older ones. */
function describeHttpCall(document: TraceDocument, attributes: Record<string, AttributeValue>): void {
  const method = attributes['http.request.method'] ?? attributes['http.method'];
  if (typeof method !== 'string') return;
  const url = attributes['url.full'] ?? attributes['http.url'];
  const status = attributes['http.response.status_code'] ?? attributes['http.status_code'];
  const host = attributes['server.address'] ?? attributes['net.peer.name'] ?? hostOf(url);
  if (typeof host === 'string') document.name = host;
  document.namespace = 'remote';
  document.http = { request: { method } };
  if (typeof url === 'string') document.http.request = { method, url };
  if (typeof status === 'number') document.http.response = { status };
}

function hostOf(url: AttributeValue | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function attributesOf(value: unknown): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const entry of arrayOf(value)) {
    if (!isRecord(entry) || typeof entry.key !== 'string' || !isRecord(entry.value)) continue;
    const converted = valueOf(entry.value);
    if (converted !== undefined) attributes[entry.key] = converted;
  }
  return attributes;
}

function valueOf(value: OtlpAnyValue): AttributeValue | undefined {
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (typeof value.doubleValue === 'number') return value.doubleValue;
  if (typeof value.intValue === 'number') return value.intValue;
  if (typeof value.intValue === 'string' && /^-?\d+$/.test(value.intValue)) return Number(value.intValue);
  if (isRecord(value.arrayValue)) {
    return arrayOf(value.arrayValue.values).flatMap((item) => {
      const scalar = isRecord(item) ? valueOf(item) : undefined;
      return scalar === undefined || Array.isArray(scalar) ? [] : [scalar];
    });
  }
  return undefined;
}

/** Epoch seconds with fractions (whole microseconds), from nanoseconds as a decimal string or a number. */
function secondsOf(nanos: unknown): number | undefined {
  // A number this large has lost its last digits already: fine to the microsecond a tree shows.
  if (typeof nanos === 'number')
    return Number.isFinite(nanos) && nanos >= 0 ? Math.round(nanos / 1000) / 1e6 : undefined;
  if (typeof nanos !== 'string' || !NANOS.test(nanos)) return undefined;
  return Number(BigInt(nanos) / 1000n) / 1e6;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
