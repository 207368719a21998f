// The request body, byte for byte (no decompression, no charset decoding: the function receives what the
// client sent), up to API Gateway's payload quota. A larger body is read to its end and discarded, so the
// client gets the 413 instead of a reset connection.
import type { IncomingMessage } from 'node:http';

const EMPTY = Buffer.alloc(0);

export type RequestBody =
  | { kind: 'complete'; bytes: Buffer }
  | { kind: 'too-large' }
  /** The client went away before sending all of it: nobody is left to answer. */
  | { kind: 'aborted' };

export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) {
    return Promise.resolve({ kind: 'complete', bytes: EMPTY });
  }
  return new Promise((resolve) => {
    let tooLarge = declared !== undefined && Number(declared) > limitBytes;
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      length += chunk.length;
      if (length > limitBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) resolve({ kind: 'too-large' });
      else
        resolve({
          kind: 'complete',
          bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        });
    });
    // After 'end' this changes nothing: a promise settles once.
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => resolve({ kind: 'aborted' }));
  });
}
