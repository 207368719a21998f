// An OTLP/HTTP trace receiver on loopback: what the ADOT collector (or X-Ray's OTLP endpoint) is to a function
// on AWS. Functions get OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:<port>, their OpenTelemetry SDK posts
// spans to <endpoint>/v1/traces, and the trace collector assembles them with the invocation's segment into
// the same tree the X-Ray daemon's documents make.
//
// JSON only (the encoding of @opentelemetry/exporter-trace-otlp-http): protobuf would need a decoder for
// the OTLP schema, which no package here provides, so it gets a 415 that says to export JSON.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { TraceCollector } from './trace-collector';
import { OtlpFormatError, spansToDocuments } from './otlp-spans';

export interface OtlpReceiverOptions {
  collector: TraceCollector;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (the OpenTelemetry collector listens on 4318). */
  port?: number;
  /** Largest body accepted, after decompression. Default 4 MiB: a Lambda batch is far smaller. */
  maxBodyBytes?: number;
  /** Refused requests and spans, one line each. */
  log?: (line: string) => void;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  /** `<endpoint>/v1/traces`: the value of OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  tracesEndpoint: string;
  port: number;
  stop(): Promise<void>;
}

export const TRACES_PATH = '/v1/traces';

/** A refusal: the status and the short message the exporter logs. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function createOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const log = options.log ?? (() => {});

  const receive = async (request: http.IncomingMessage): Promise<object> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== TRACES_PATH) {
      throw new Refusal(
        404,
        `no such path ${path}: send traces to POST ${TRACES_PATH} (metrics and logs are not collected)`,
      );
    }
    if (request.method !== 'POST') throw new Refusal(405, `${request.method ?? ''} ${TRACES_PATH}: use POST`);
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new Refusal(
        415,
        `${mediaType || 'no content type'} is not accepted: local-cloud reads OTLP as JSON only. Export with application/json (@opentelemetry/exporter-trace-otlp-http, or OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json)`,
      );
    }
    const text = await bodyOf(request, maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Refusal(400, 'the body is not JSON: send an ExportTraceServiceRequest encoded as JSON');
    }
    let converted: ReturnType<typeof spansToDocuments>;
    try {
      converted = spansToDocuments(body);
    } catch (error) {
      if (error instanceof OtlpFormatError) throw new Refusal(400, error.message);
      throw error;
    }
    const byTrace = Map.groupBy(converted.documents, (document) => document.trace_id);
    for (const [traceId, documents] of byTrace) options.collector.add(traceId, documents);
    if (converted.rejected === 0) return {};
    const errorMessage = `${converted.rejected} span(s) without a 32-hex traceId, 16-hex spanId, name or startTimeUnixNano`;
    log(`refused ${errorMessage}`);
    // OTLP's partial success: the request was fine, some of its spans were not.
    return { partialSuccess: { rejectedSpans: converted.rejected, errorMessage } };
  };

  const server = http.createServer((request, response) => {
    receive(request).then(
      (answer) => send(response, 200, answer),
      (error: unknown) => {
        const refusal =
          error instanceof Refusal ? error : new Refusal(500, 'the receiver failed; see the local-cloud log');
        if (!(error instanceof Refusal)) log(`failed on a request: ${String(error)}`);
        else log(`refused a request (${refusal.status}): ${refusal.message}`);
        // Whatever of a refused body is still coming is read and dropped, then the connection closes.
        request.resume();
        response.setHeader('connection', 'close');
        send(response, refusal.status, { error: refusal.message });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  const endpoint = `http://${host}:${port}`;

  return {
    endpoint,
    tracesEndpoint: `${endpoint}${TRACES_PATH}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The body as text, gunzipped when the exporter compressed it; a 413 past `maxBytes` either way. */
async function bodyOf(request: http.IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => new Refusal(413, `the body is over ${maxBytes} bytes: export smaller batches`);
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new Refusal(415, `content-encoding ${encoding} is not accepted: send gzip or no compression`);
  }
  // Events, not `for await`: leaving that loop early destroys the socket, and the 413 would never arrive.
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped (once over, always over), so the 413 can be sent.
      if (size > maxBytes) {
        chunks.length = 0;
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
  if (encoding === 'identity') return raw.toString('utf8');
  try {
    return gunzipSync(raw, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (error) {
    // By code, not instanceof: the error comes from Node's own realm, which a test sandbox does not share.
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new Refusal(400, 'the body is not valid gzip');
  }
}

function send(response: http.ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
