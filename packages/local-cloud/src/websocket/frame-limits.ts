// API Gateway's limits on what a client sends, enforced per frame as AWS enforces them: a frame over 32 KB or
// a message over 128 KB closes the connection with 1009, and a binary frame (unsupported) with 1003. `ws` only
// knows message sizes, so the frame headers are read here, from the same bytes, before `ws` parses them: a
// too-large frame is refused when its header arrives, not after its payload has been buffered.

export const FRAME_LIMIT_BYTES = 32 * 1024;
export const MESSAGE_LIMIT_BYTES = 128 * 1024;

export interface FrameViolation {
  code: 1003 | 1009;
  reason: string;
}

/** The close API Gateway sends for an oversized frame or message (code and reason as AWS sends them). */
export const MESSAGE_TOO_BIG: FrameViolation = { code: 1009, reason: 'Message too big' };
/** AWS documents the code only; the reason is local-cloud's. */
export const BINARY_NOT_SUPPORTED: FrameViolation = {
  code: 1003,
  reason: 'Binary frames are not supported',
};

const OPCODE_CONTINUATION = 0x0;
const OPCODE_BINARY = 0x2;
const FIRST_CONTROL_OPCODE = 0x8;

/** Follows the client-to-server frames of one connection (RFC 6455 section 5.2) and reports the first violation. */
export class InboundFrameWatcher {
  private readonly header = Buffer.alloc(14);
  private headerLength = 0;
  /** Header bytes needed: 2 until the length byte has been read. */
  private headerNeeded = 2;
  private payloadLeft = 0;
  private messageBytes = 0;

  constructor(
    private readonly frameLimit = FRAME_LIMIT_BYTES,
    private readonly messageLimit = MESSAGE_LIMIT_BYTES,
  ) {}

  push(chunk: Buffer): FrameViolation | undefined {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.payloadLeft > 0) {
        const skipped = Math.min(this.payloadLeft, chunk.length - offset);
        this.payloadLeft -= skipped;
        offset += skipped;
        continue;
      }
      const taken = Math.min(this.headerNeeded - this.headerLength, chunk.length - offset);
      chunk.copy(this.header, this.headerLength, offset, offset + taken);
      this.headerLength += taken;
      offset += taken;
      if (this.headerLength < this.headerNeeded) return undefined;
      if (this.headerLength === 2) {
        const lengthByte = (this.header[1] as number) & 0x7f;
        const masked = ((this.header[1] as number) & 0x80) !== 0;
        this.headerNeeded = 2 + (lengthByte === 126 ? 2 : lengthByte === 127 ? 8 : 0) + (masked ? 4 : 0);
        if (this.headerLength < this.headerNeeded) continue;
      }
      const violation = this.frameComplete();
      if (violation) return violation;
    }
    return undefined;
  }

  private frameComplete(): FrameViolation | undefined {
    const opcode = (this.header[0] as number) & 0x0f;
    const lengthByte = (this.header[1] as number) & 0x7f;
    const length =
      lengthByte === 126
        ? this.header.readUInt16BE(2)
        : lengthByte === 127
          ? Number(this.header.readBigUInt64BE(2))
          : lengthByte;
    this.headerLength = 0;
    this.headerNeeded = 2;
    this.payloadLeft = length;
    if (opcode >= FIRST_CONTROL_OPCODE) return undefined;
    if (opcode === OPCODE_BINARY) return BINARY_NOT_SUPPORTED;
    if (opcode !== OPCODE_CONTINUATION) this.messageBytes = 0;
    if (length > this.frameLimit) return MESSAGE_TOO_BIG;
    this.messageBytes += length;
    return this.messageBytes > this.messageLimit ? MESSAGE_TOO_BIG : undefined;
  }
}
