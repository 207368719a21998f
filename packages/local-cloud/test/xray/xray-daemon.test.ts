// The daemon's UDP endpoint: documents in, a finished trace out as a tree, with the function's segment from
// the invocation report at its root.
import { eventually } from '@serverless-course/test-kit';
import {
  createXRayDaemon,
  formatTrace,
  parseDatagram,
  type FinishedTrace,
  type XRayDaemon,
} from '../../src/services/tracing';
import { FUNCTION_SEGMENT, invocationReport as report, sendDocuments, subsegment, TRACE_ID } from './support';

describe('the X-Ray daemon', () => {
  let daemon: XRayDaemon;
  const reported: FinishedTrace[] = [];
  const logged: string[] = [];

  beforeEach(async () => {
    reported.length = 0;
    logged.length = 0;
    daemon = await createXRayDaemon({
      quietMs: 20,
      giveUpMs: 200,
      onTrace: (trace) => reported.push(trace),
      log: (line) => logged.push(line),
    });
  });

  afterEach(async () => {
    await daemon.stop();
  });

  it('listens on a UDP address to give functions as AWS_XRAY_DAEMON_ADDRESS', () => {
    expect(daemon.address).toBe(`127.0.0.1:${daemon.port}`);
    expect(daemon.port).toBeGreaterThan(0);
  });

  it('prints a trace as a tree under the function segment, children in start order', async () => {
    const start = Date.now() / 1000;
    await sendDocuments(daemon.port, [
      subsegment(TRACE_ID, 'aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'DynamoDB', start + 0.01, 10, {
        namespace: 'aws',
        aws: { operation: 'PutItem', table_name: 'images' },
      }),
      subsegment(TRACE_ID, FUNCTION_SEGMENT, 'aaaaaaaaaaaaaaaa', 'POST images', start, 30, {
        annotations: { groupId: 'g1' },
      }),
      subsegment(TRACE_ID, 'aaaaaaaaaaaaaaaa', 'cccccccccccccccc', '127.0.0.1', start + 0.001, 4, {
        namespace: 'remote',
        http: { request: { method: 'HEAD', url: 'http://127.0.0.1/cat.jpg' }, response: { status: 200 } },
      }),
    ]);
    daemon.recordInvocation(report());

    await eventually(() => reported.length > 0, { description: 'a finished trace' });
    const [trace] = reported;

    expect(trace?.traceId).toBe(TRACE_ID);
    expect(formatTrace(trace!).slice(1)).toEqual([
      'svc-dev-createImage  AWS::Lambda::Function  40.0 ms',
      '└─ POST images  30.0 ms  groupId=g1',
      '   ├─ 127.0.0.1  4.0 ms  HEAD http://127.0.0.1/cat.jpg 200',
      '   └─ DynamoDB  10.0 ms  PutItem images',
    ]);
  });

  it('marks a failed invocation and failed subsegments', async () => {
    const start = Date.now() / 1000;
    await sendDocuments(daemon.port, [
      subsegment(TRACE_ID, FUNCTION_SEGMENT, 'aaaaaaaaaaaaaaaa', 'probe-image', start, 5, { error: true }),
    ]);
    daemon.recordInvocation(report({ status: 'error' }));

    await eventually(() => reported.length > 0, { description: 'a finished trace' });
    const [trace] = reported;

    const lines = formatTrace(trace!);
    expect(lines[1]).toMatch(/FAULT$/);
    expect(lines[2]).toMatch(/^└─ probe-image .*ERROR$/);
  });

  it('reports no trace for an invocation that sent no subsegment', async () => {
    daemon.recordInvocation(report());

    await daemon.stop();

    expect(daemon.traces()).toEqual([]);
  });

  it('prints subsegments whose function segment never came, once it gives up waiting', async () => {
    const start = Date.now() / 1000;
    await sendDocuments(daemon.port, [
      subsegment(TRACE_ID, FUNCTION_SEGMENT, 'aaaaaaaaaaaaaaaa', 'orphan', start, 1),
    ]);

    await eventually(() => reported.length > 0, { description: 'a finished trace' });
    const [trace] = reported;

    expect(formatTrace(trace!)[1]).toMatch(/^orphan {2}1\.0 ms$/);
  });

  it('keeps only the most recent finished traces, so a long run under load holds bounded memory', async () => {
    const seen: FinishedTrace[] = [];
    const bounded = await createXRayDaemon({
      quietMs: 20,
      giveUpMs: 50,
      keepTraces: 2,
      onTrace: (trace) => seen.push(trace),
    });
    const start = Date.now() / 1000;
    const traceIds = ['1', '2', '3'].map((n) => `1-65920080-0123456789abcdef0123456${n}`);
    try {
      for (const traceId of traceIds) {
        await sendDocuments(bounded.port, [
          subsegment(traceId, FUNCTION_SEGMENT, 'aaaaaaaaaaaaaaaa', 'orphan', start, 1),
        ]);
        // One at a time, so they finish in this order.
        await eventually(() => seen.some((trace) => trace.traceId === traceId), {
          description: `trace ${traceId} finished`,
        });
      }

      expect(bounded.traces().map((trace) => trace.traceId)).toEqual(traceIds.slice(1));
    } finally {
      await bounded.stop();
    }
  });

  it('ignores a datagram that is not an X-Ray document, and says so', async () => {
    await sendDocuments(daemon.port, [{ hello: 'world' }]);

    await eventually(() => logged.length > 0, { description: 'a log line' });

    expect(logged[0]).toMatch(/^ignored a datagram/);
  });
});

describe('parseDatagram', () => {
  it('flattens nested subsegments and links each to its parent', () => {
    const documents = parseDatagram(
      `{"format":"json","version":1}\n${JSON.stringify({
        trace_id: TRACE_ID,
        id: 'p',
        name: 'parent',
        start_time: 1,
        end_time: 2,
        subsegments: [{ id: 'c', name: 'child', start_time: 1, end_time: 1.5 }],
      })}`,
    );

    expect(documents.map((document) => [document.id, document.parent_id, document.trace_id])).toEqual([
      ['p', undefined, TRACE_ID],
      ['c', 'p', TRACE_ID],
    ]);
  });

  it.each([
    ['no header line', '{"trace_id":"1-2-3"}'],
    ['a header that is not X-Ray JSON', '{"format":"xml"}\n{}'],
    ['a document without its ids', '{"format":"json","version":1}\n{"name":"x"}'],
  ])('refuses %s', (_case, datagram) => {
    expect(() => parseDatagram(datagram)).toThrow();
  });
});
