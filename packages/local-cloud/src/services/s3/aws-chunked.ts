// `Content-Encoding: aws-chunked`: how the AWS SDK uploads a stream whose length it knows but whose checksum
// it computes on the way (x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER, the checksum in a
// trailer), and how other SDKs sign each chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). Chunk and
// trailer signatures are checked as S3 checks them, chained from the request's own signature.
import { createHash, createHmac } from 'node:crypto';
import { S3Error } from './errors';

export const UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const SIGNED_CHUNKS = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const SIGNED_CHUNKS_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

export function isStreamingPayload(payloadHash: string): boolean {
  return [UNSIGNED_TRAILER, SIGNED_CHUNKS, SIGNED_CHUNKS_TRAILER].includes(payloadHash);
}

export interface ChunkSigning {
  signingKey: Uint8Array;
  amzDate: string;
  scope: string;
  /** The request's signature, which the first chunk's signature chains from. */
  seedSignature: string;
}

export interface DecodedChunks {
  data: Buffer;
  /** Lower-case names: `x-amz-checksum-crc32` and the like. */
  trailers: Record<string, string>;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

export function decodeAwsChunked(body: Buffer, signing?: ChunkSigning): DecodedChunks {
  const chunks: Buffer[] = [];
  let position = 0;
  let previousSignature = signing?.seedSignature ?? '';
  const readLine = (): string => {
    const end = body.indexOf('\r\n', position);
    if (end === -1) throw incomplete();
    const line = body.subarray(position, end).toString('latin1');
    position = end + 2;
    return line;
  };
  for (;;) {
    const [sizeText = '', ...extensions] = readLine().split(';');
    const size = Number.parseInt(sizeText, 16);
    if (!/^[0-9a-fA-F]+$/.test(sizeText) || Number.isNaN(size)) {
      throw new S3Error(
        'InvalidChunkSizeError',
        400,
        'Only the last chunk is allowed to have a size less than 8192 bytes',
      );
    }
    if (position + size > body.length) throw incomplete();
    const data = body.subarray(position, position + size);
    position += size;
    if (signing) {
      const claimed = extensions
        .find((part) => part.startsWith('chunk-signature='))
        ?.slice('chunk-signature='.length);
      const stringToSign = [
        'AWS4-HMAC-SHA256-PAYLOAD',
        signing.amzDate,
        signing.scope,
        previousSignature,
        EMPTY_SHA256,
        createHash('sha256').update(data).digest('hex'),
      ].join('\n');
      const expected = createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
      if (claimed !== expected) throw chunkSignatureMismatch();
      previousSignature = expected;
    }
    if (size === 0) break;
    chunks.push(data);
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') throw incomplete();
    position += 2;
  }
  const trailers: Record<string, string> = {};
  let trailerSignature: string | undefined;
  const trailerLines: string[] = [];
  while (position < body.length) {
    const line = readLine();
    if (line === '') break;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else {
      trailers[name] = value;
      trailerLines.push(`${name}:${value}\n`);
    }
  }
  if (signing && trailerSignature !== undefined) {
    const stringToSign = [
      'AWS4-HMAC-SHA256-TRAILER',
      signing.amzDate,
      signing.scope,
      previousSignature,
      createHash('sha256').update(trailerLines.join('')).digest('hex'),
    ].join('\n');
    const expected = createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
    if (trailerSignature !== expected) throw chunkSignatureMismatch();
  }
  return { data: Buffer.concat(chunks), trailers };
}

function incomplete(): S3Error {
  return new S3Error('IncompleteBody', 400, 'The request body terminated unexpectedly');
}

function chunkSignatureMismatch(): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );
}
