// The OTLP/HTTP receiver: spans posted as JSON, as @opentelemetry/exporter-trace-otlp-http posts them, become
// the same tree as X-Ray documents, under the function's segment from the invocation report. Bodies that are
// not OTLP JSON are refused with a short JSON error.
import { gzipSync } from 'node:zlib';
import { eventually } from '@serverless-course/test-kit';
import { createOtlpReceiver, xrayTraceId, type OtlpReceiver } from '../../src/services/tracing';
import {
  createTraceCollector,
  formatTrace,
  type FinishedTrace,
  type TraceCollector,
} from '../../src/services/tracing';
import { FUNCTION_SEGMENT, invocationReport as report, TRACE_ID } from './support';

const OTEL_TRACE_ID = '659200800123456789abcdef01234567';

/** An OTLP/JSON span: ids in hex, times in nanoseconds as strings, attributes as typed values. */
function span(
  spanId: string,
  parentSpanId: string,
  name: string,
  startMs: number,
  durationMs: number,
  extra: { kind?: number; attributes?: object[]; status?: object } = {},
): object {
  const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
  return {
    traceId: OTEL_TRACE_ID,
    spanId,
    parentSpanId,
    name,
    kind: extra.kind ?? 1,
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: nanos(startMs + durationMs),
    attributes: extra.attributes ?? [],
    status: extra.status ?? { code: 0 },
  };
}

const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

function request(spans: object[]): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: [text('service.name', 'svc-dev-createImage')] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  };
}

let collector: TraceCollector;
let receiver: OtlpReceiver;
const reported: FinishedTrace[] = [];
const logged: string[] = [];

beforeEach(async () => {
  reported.length = 0;
  logged.length = 0;
  collector = createTraceCollector({ quietMs: 20, giveUpMs: 200, onTrace: (trace) => reported.push(trace) });
  receiver = await createOtlpReceiver({ collector, maxBodyBytes: 4096, log: (line) => logged.push(line) });
});

afterEach(async () => {
  collector.stop();
  await receiver.stop();
});

function post(body: string | Buffer, headers: Record<string, string> = {}, path = '/v1/traces') {
  return fetch(`${receiver.endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('the OTLP/HTTP receiver', () => {
  it('listens on loopback and names the endpoint and the traces URL the exporter reads', () => {
    expect(receiver.endpoint).toBe(`http://127.0.0.1:${receiver.port}`);
    expect(receiver.tracesEndpoint).toBe(`${receiver.endpoint}/v1/traces`);
  });

  it('turns posted spans into the X-Ray tree under the function segment', async () => {
    const start = Date.now();
    const response = await post(
      JSON.stringify(
        request([
          span('aaaaaaaaaaaaaaaa', FUNCTION_SEGMENT, 'POST images', start, 30, {
            attributes: [text('groupId', 'g1')],
          }),
          span('cccccccccccccccc', 'aaaaaaaaaaaaaaaa', 'HEAD', start + 1, 4, {
            kind: 3,
            attributes: [
              text('http.request.method', 'HEAD'),
              text('url.full', 'http://127.0.0.1:4321/cat.jpg'),
              text('server.address', '127.0.0.1'),
              int('http.response.status_code', 200),
            ],
          }),
          span('bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', 'DynamoDB.PutItem', start + 10, 10, {
            kind: 3,
            attributes: [
              text('rpc.system', 'aws-api'),
              text('rpc.service', 'DynamoDB'),
              text('rpc.method', 'PutItem'),
              {
                key: 'aws.dynamodb.table_names',
                value: { arrayValue: { values: [{ stringValue: 'images' }] } },
              },
            ],
          }),
        ]),
      ),
    );
    collector.recordInvocation(report());

    await eventually(() => reported.length > 0, { description: 'a finished trace' });
    const [trace] = reported;

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(trace?.traceId).toBe(TRACE_ID);
    expect(formatTrace(trace!).slice(1)).toEqual([
      'svc-dev-createImage  AWS::Lambda::Function  40.0 ms',
      '└─ POST images  30.0 ms  groupId=g1',
      '   ├─ 127.0.0.1  4.0 ms  HEAD http://127.0.0.1:4321/cat.jpg 200',
      '   └─ DynamoDB  10.0 ms  PutItem images',
    ]);
  });

  it('marks a span with ERROR status as a fault', async () => {
    await post(
      JSON.stringify(
        request([
          span('aaaaaaaaaaaaaaaa', FUNCTION_SEGMENT, 'probe-image', Date.now(), 5, {
            status: { code: 2, message: 'refused' },
          }),
        ]),
      ),
    );
    collector.recordInvocation(report());

    await eventually(() => reported.length > 0, { description: 'a finished trace' });
    const [trace] = reported;

    expect(formatTrace(trace!)[2]).toMatch(/^└─ probe-image {2}5\.0 ms {2}FAULT$/);
  });

  it('accepts a gzipped body, as the exporter sends with OTEL_EXPORTER_OTLP_COMPRESSION=gzip', async () => {
    const body = gzipSync(JSON.stringify(request([span('aaaaaaaaaaaaaaaa', '', 'root', Date.now(), 1)])));

    const response = await post(body, { 'content-encoding': 'gzip' });
    await eventually(() => reported.length > 0, { description: 'a finished trace' });
    const [trace] = reported;

    expect(response.status).toBe(200);
    expect(formatTrace(trace!)[1]).toBe('root  1.0 ms');
  });

  it('answers partial success for spans without valid ids, and keeps the others', async () => {
    const good = span('aaaaaaaaaaaaaaaa', '', 'root', Date.now(), 1);
    const response = await post(JSON.stringify(request([good, { ...good, spanId: 'not-hex' }])));

    expect(response.status).toBe(200);
    const { partialSuccess } = (await response.json()) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(partialSuccess.rejectedSpans).toBe(1);
    expect(partialSuccess.errorMessage).toContain('16-hex spanId');
    await eventually(() => reported.length > 0, { description: 'a finished trace' });
  });

  it.each([
    ['malformed JSON', () => post('{"resourceSpans": ['), 400, /not JSON/],
    ['JSON that is not an export request', () => post('{"spans": []}'), 400, /resourceSpans/],
    [
      'a body over the limit',
      () => post(JSON.stringify({ padding: 'x'.repeat(5000) })),
      413,
      /over 4096 bytes/,
    ],
    [
      'a gzipped body that inflates past the limit',
      () => post(gzipSync(' '.repeat(100_000)), { 'content-encoding': 'gzip' }),
      413,
      /over 4096 bytes/,
    ],
    [
      'protobuf',
      () => post(Buffer.from([0x0a, 0x00]), { 'content-type': 'application/x-protobuf' }),
      415,
      /JSON only.*http\/json/,
    ],
    ['another path', () => post('{}', {}, '/v1/metrics'), 404, /POST \/v1\/traces/],
    ['GET', () => fetch(`${receiver.tracesEndpoint}`), 405, /use POST/],
  ])('refuses %s with a short JSON error', async (_case, send, status, message) => {
    const response = await send();

    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { error: string };
    expect(body.error).toMatch(message);
    expect(body.error).not.toMatch(/\n\s+at /);
    expect(reported).toEqual([]);
  });

  it('still answers after a refusal', async () => {
    await post('not json');

    const response = await post(JSON.stringify(request([])));

    expect(response.status).toBe(200);
  });
});

describe('xrayTraceId', () => {
  it('writes the 128-bit OpenTelemetry trace id in X-Ray form', () => {
    expect(xrayTraceId(OTEL_TRACE_ID)).toBe(TRACE_ID);
  });
});
