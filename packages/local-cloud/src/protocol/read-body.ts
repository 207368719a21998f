// Reading a request's body, once for every service: at most a cap is kept, and the rest is drained rather
// than refused mid-stream, so an oversized request still gets its answer (413, or the service's own error)
// instead of a reset connection.
import type { IncomingMessage } from 'node:http';

export interface RequestBody {
  /** The bytes received, up to the cap. */
  bytes: Buffer;
  /** How many bytes the client sent in all, which may exceed the cap. */
  size: number;
}

/**
 * Reads a request body, keeping at most `capBytes` but draining the rest, so an oversized request still gets
 * its 413 answer instead of a reset connection.
 */
export function readBody(req: IncomingMessage, capBytes: number): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size + chunk.length <= capBytes) chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => resolve({ bytes: size <= capBytes ? Buffer.concat(chunks) : Buffer.alloc(0), size }));
    req.on('error', reject);
  });
}

/**
 * The body, or `tooLarge(size)` (the service's own error, thrown) when it exceeds `capBytes`. The connection is
 * drained either way, so the error can still be written on it.
 */
export async function readCappedBody(
  req: IncomingMessage,
  capBytes: number,
  tooLarge: (size: number) => Error,
): Promise<Buffer> {
  const { bytes, size } = await readBody(req, capBytes);
  if (size > capBytes) throw tooLarge(size);
  return bytes;
}
