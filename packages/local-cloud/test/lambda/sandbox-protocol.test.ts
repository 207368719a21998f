// The framing of messages between the emulator and its sandboxes (src/lambda/sandbox-protocol.js): frames cut
// anywhere by the pipe, large and unicode bodies, and, through a real sandbox, log lines arriving whole and in
// order before the result; and the scheduling policy sandboxes run under on Linux.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createLambdaService, type LocalLambdaService } from '../../src/lambda/create-lambda-service';
import type { FunctionLogLine } from '../../src/lambda/create-lambda-service';
import { SYNC_PAYLOAD_LIMIT_BYTES } from '../../src/lambda/lambda-service';
import { encodeFrame, FrameDecoder, type FrameField } from '../../src/lambda/sandbox-protocol';
import { RUNTIME_SERVICE, serviceDefinition } from './support/lambda-fixtures';

type Frame = [FrameField[], string];

function decodeAll(chunks: Buffer[]): Frame[] {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((fields, body) => frames.push([fields, body]));
  for (const chunk of chunks) decoder.push(chunk);
  return frames;
}

/** `bytes` cut into pieces of `size` bytes. */
function cut(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    pieces.push(bytes.subarray(offset, offset + size));
  return pieces;
}

const FRAMES: Frame[] = [
  [['invoke', 'c6af9ac6-7b61-11e6-9a41-93e812345678', 1_700_000_000_000, null], '{"a":1}'],
  [['log'], 'a line\nthat goes on\n'],
  [['log'], ''],
  [['log'], 'unicode: é € 😀 中文 \u0000 \t'],
  [['done', 'id with ü and "quotes"', 1, 51_234, 0], '{"errorMessage":"ünïcødé"}'],
  [['ready'], ''],
];
const STREAM = Buffer.from(FRAMES.map(([fields, body]) => encodeFrame(fields, body)).join(''));

describe('the sandbox protocol', () => {
  it('gives back frames sent back to back in one chunk, fields and bodies intact, in order', () => {
    expect(decodeAll([STREAM])).toEqual(FRAMES);
  });

  it('gives back the same frames whatever the pipe cuts them into: one byte at a time', () => {
    expect(decodeAll(cut(STREAM, 1))).toEqual(FRAMES);
  });

  it('gives back the same frames for every place a stream can be cut in two', () => {
    for (let at = 1; at < STREAM.length; at += 1) {
      expect(decodeAll([STREAM.subarray(0, at), STREAM.subarray(at)])).toEqual(FRAMES);
    }
  });

  it('copies what it keeps, so the reader may reuse its buffer for the next read (as onread does)', () => {
    const frames: Frame[] = [];
    const decoder = new FrameDecoder((fields, body) => frames.push([fields, body]));
    const reused = Buffer.alloc(5);
    for (let offset = 0; offset < STREAM.length; offset += reused.length) {
      const length = STREAM.copy(reused, 0, offset, offset + reused.length);
      decoder.push(reused.subarray(0, length));
      reused.fill(0x21); // what the next read would overwrite
    }

    expect(frames).toEqual(FRAMES);
  });

  it('measures bodies in bytes, so multi-byte characters split between chunks survive', () => {
    const body = '€😀'.repeat(1000);
    const frame = Buffer.from(encodeFrame(['log'], body));

    expect(JSON.parse(frame.toString('utf8', 0, frame.indexOf(0x0a)))).toEqual([
      'log',
      Buffer.byteLength(body),
    ]);
    expect(decodeAll(cut(frame, 7))).toEqual([[['log'], body]]);
  });

  it('carries a 6 MB body, arriving in pipe-sized chunks, in one piece', () => {
    const body = JSON.stringify({ data: 'ab€'.repeat(2 * 1024 * 1024) });
    const stream = Buffer.from(encodeFrame(['done', 'r', 0, 1, 0], body) + encodeFrame(['log'], 'after'));

    expect(Buffer.byteLength(body)).toBeGreaterThan(SYNC_PAYLOAD_LIMIT_BYTES);
    for (const size of [65_536, 1000]) {
      const frames = decodeAll(cut(stream, size));
      expect(frames).toHaveLength(2);
      expect(frames[0]?.[1] === body).toBe(true);
      expect(frames[1]).toEqual([['log'], 'after']);
    }
  });

  it('keeps chunks of a large body aside and joins them once (not once per chunk)', () => {
    const body = 'x'.repeat(6 * 1024 * 1024);
    const chunks = cut(Buffer.from(encodeFrame(['log'], body)), 1024);
    const concat = jest.spyOn(Buffer, 'concat');
    try {
      expect(decodeAll(chunks)[0]?.[1]).toHaveLength(body.length);
      // Joined when the header line is complete, then when the body is.
      expect(concat.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      concat.mockRestore();
    }
  });

  it('sends a string the emulator cannot represent (a lone surrogate) as U+FFFD, as any UTF-8 output would', () => {
    expect(decodeAll([Buffer.from(encodeFrame(['log'], 'a\ud800b'))])).toEqual([[['log'], 'a\ufffdb']]);
  });
});

describe('a sandbox', () => {
  let lambda: LocalLambdaService;
  const logLines: FunctionLogLine[] = [];
  const pids: number[] = [];

  beforeAll(async () => {
    lambda = await createLambdaService(
      serviceDefinition(RUNTIME_SERVICE, { echoLines: { handler: 'src/echo-lines.handler' } }),
      { onLog: (line) => logLines.push(line) },
    );
    lambda.onSandboxEvent((event) => {
      if (event.type === 'started' && event.pid !== undefined) pids.push(event.pid);
    });
  });

  afterAll(() => lambda.stop());

  it('delivers every log line whole and in order, all before the result, and the result byte for byte', async () => {
    const lines = ['first', 'a message\nover two lines', 'ünïcødé € 😀', 'big '.repeat(256 * 1024), 'last'];
    const reply = { text: 'réponse 😀', big: 'y'.repeat(3 * 1024 * 1024) };
    let linesWhenAnswered = -1;

    const result = await lambda
      .invoke({ functionName: 'echoLines', payload: JSON.stringify({ lines, raw: 'raw 1\nraw 2\n', reply }) })
      .then((answer) => {
        linesWhenAnswered = logLines.filter((line) => line.requestId === answer.report.requestId).length;
        return answer;
      });

    const mine = logLines
      .filter((line) => line.requestId === result.report.requestId)
      .map((line) => line.text);
    expect(linesWhenAnswered).toBe(lines.length + 2);
    expect(mine.slice(0, lines.length).map((text) => text.split('\t').slice(3).join('\t'))).toEqual(lines);
    expect(mine.slice(lines.length)).toEqual(['raw 1', 'raw 2']);
    expect(result.payload).toBe(JSON.stringify(reply));
    const logged = result.logs.split('\n');
    expect(logged.indexOf('raw 2')).toBeLessThan(logged.indexOf(`END RequestId: ${result.report.requestId}`));
  });

  it('receives a request of almost 6 MB with multi-byte characters intact', async () => {
    const text = 'é€😀'.repeat(600 * 1024);
    const event = JSON.stringify({ reply: text });
    const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

    expect(Buffer.byteLength(event)).toBeGreaterThan(5 * 1024 * 1024);
    expect(Buffer.byteLength(event)).toBeLessThan(SYNC_PAYLOAD_LIMIT_BYTES);
    const result = await lambda.invoke({ functionName: 'echoLines', payload: event });
    expect(sha256(JSON.parse(result.payload) as string)).toBe(sha256(text));
  });

  // Linux with util-linux's chrt: see sandboxLauncher() in sandbox.ts for why.
  const chrtUsable =
    process.platform === 'linux' &&
    spawnSync('chrt', ['--batch', '0', process.execPath, '--version'], { stdio: 'ignore' }).status === 0;
  it('runs under SCHED_BATCH when chrt can start node (its wake-ups then do not preempt the emulator), else as usual', async () => {
    await lambda.invoke({ functionName: 'echoLines', payload: '{}' });

    expect(pids.length).toBeGreaterThan(0);
    if (process.platform !== 'linux') return; // /proc, and so the policy, is Linux's
    const sched = readFileSync(`/proc/${pids[0]}/sched`, 'utf8');
    expect(/^policy\s*:\s*(\d+)$/m.exec(sched)?.[1]).toBe(chrtUsable ? '3' : '0'); // SCHED_BATCH : SCHED_OTHER
    // chrt replaced itself with node (exec), rather than staying as a parent. The executable, not `comm`: Node.js
    // 24 names its main thread "MainThread", which is what comm shows.
    expect(readlinkSync(`/proc/${pids[0]}/exe`)).toBe(realpathSync(process.execPath));
  });
});
