// The framing of the messages between the emulator (sandbox.ts) and a sandbox (sandbox-runtime.js), which
// both sides load. Plain JavaScript, because the sandbox runs on bare Node, without tsx.
//
// A frame is a header line, then a body of raw UTF-8 text:
//   <header: a JSON array whose last element is the body's length in bytes>\n<body>
// The body is a payload or a log line exactly as it is. Node's IPC channel, used before, sent each message as
// one JSON document: a JSON payload travelled as a string inside JSON, escaped on one side and unescaped on
// the other, which was measurable CPU on every invocation. The header is short and never holds a newline
// (JSON.stringify escapes them), so the first newline ends it; the length says where the body ends, whatever
// it holds (newlines included).
'use strict';

const NEWLINE = 0x0a;

/** One frame as text: `fields` (strings, numbers, null), then the body. */
function encodeFrame(fields, body) {
  const header = JSON.stringify(fields.concat(Buffer.byteLength(body)));
  return `${header}\n${body}`;
}

/**
 * Reassembles frames from the chunks a pipe delivers, however they are cut: a chunk may hold several frames,
 * the end of one and the start of the next, or a slice of a large body (a 6 MB payload arrives in ~100 chunks,
 * kept aside and joined once, when the last one is in). A chunk is only borrowed: the reader may reuse its
 * memory for the next read (net.Socket's `onread` buffer), so what is kept past push() is a copy.
 */
class FrameDecoder {
  /** @param onFrame called with (fields, body) for each complete frame, in order. */
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.chunks = [];
    this.buffered = 0;
    /** The current frame's header fields, once its header line is complete. */
    this.fields = null;
    this.bodyLength = 0;
  }

  push(chunk) {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      this.decode();
    } finally {
      // Only the last chunk kept can still share the caller's memory: the others were copied by earlier calls
      // (or joined into a new Buffer).
      const last = this.chunks.length - 1;
      if (last >= 0 && this.chunks[last].buffer === chunk.buffer)
        this.chunks[last] = Buffer.from(this.chunks[last]);
    }
  }

  decode() {
    for (;;) {
      if (this.fields === null) {
        // Waiting for a header: what is buffered is at most a header's few bytes, plus what came with it.
        const data = this.joined();
        const end = data.indexOf(NEWLINE);
        if (end === -1) return;
        const fields = JSON.parse(data.toString('utf8', 0, end));
        this.bodyLength = fields.pop();
        this.fields = fields;
        this.keep(data.subarray(end + 1));
      }
      if (this.buffered < this.bodyLength) return;
      const data = this.joined();
      const body = data.toString('utf8', 0, this.bodyLength);
      const fields = this.fields;
      this.fields = null;
      this.keep(data.subarray(this.bodyLength));
      this.onFrame(fields, body);
      if (this.buffered === 0) return;
    }
  }

  /** Everything buffered, as one Buffer (copied only when it spans several chunks). */
  joined() {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0];
  }

  keep(rest) {
    this.chunks = rest.length === 0 ? [] : [rest];
    this.buffered = rest.length;
  }
}

module.exports = { encodeFrame, FrameDecoder };
