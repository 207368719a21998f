// Types of sandbox-protocol.js, which is plain JavaScript because the sandbox runtime loads it too.

export type FrameField = string | number | null;

/** One frame as text: the header (the fields and the body's byte length, as JSON), a newline, the body. */
export function encodeFrame(fields: FrameField[], body: string): string;

/** Reassembles frames from a stream's chunks, however they are cut. */
export class FrameDecoder {
  constructor(onFrame: (fields: FrameField[], body: string) => void);
  push(chunk: Buffer): void;
}
