// The integrity checks S3 makes on an upload before storing it: Content-MD5 and the additional checksum
// headers (x-amz-checksum-crc32, -crc32c, -sha1, -sha256; -crc64nvme is stored as sent). A mismatch is
// BadDigest and nothing is stored. Checksums in a presigned URL's query string are ignored, as S3 ignores
// them (the SDK puts the CRC32 of an empty body there when it presigns a PutObject).
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error } from './errors';
import type { ChecksumAlgorithm, ObjectMetadata } from './object-store';

const HEADERS: Record<string, ChecksumAlgorithm> = {
  'x-amz-checksum-crc32': 'CRC32',
  'x-amz-checksum-crc32c': 'CRC32C',
  'x-amz-checksum-sha1': 'SHA1',
  'x-amz-checksum-sha256': 'SHA256',
  'x-amz-checksum-crc64nvme': 'CRC64NVME',
};

export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/**
 * What integrity checks need of a body: its MD5, and its checksum under an algorithm (base64; undefined for
 * CRC64NVME, which local-cloud stores unverified). From a Buffer, or accumulated while the body streamed to disk.
 */
export interface BodyDigests {
  md5(): Buffer;
  checksum(algorithm: ChecksumAlgorithm): string | undefined;
}

export function bufferDigests(body: Buffer): BodyDigests {
  return {
    md5: () => createHash('md5').update(body).digest(),
    checksum: (algorithm) => {
      const digest = new StreamingChecksum(algorithm);
      digest.update(body);
      return digest.digest();
    },
  };
}

/** The algorithm an upload's checksum header names, if any (only one is allowed). */
export function requestedChecksum(
  headers: Record<string, string | undefined>,
): ChecksumAlgorithm | undefined {
  const present = Object.entries(HEADERS).filter(([name]) => headers[name] !== undefined);
  if (present.length > 1) {
    throw new S3Error(
      'InvalidRequest',
      400,
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  return present[0]?.[1];
}

/** Checks Content-MD5 and the checksum header (or aws-chunked trailer); returns the checksum to store. */
export function verifyIntegrity(
  digests: BodyDigests,
  headers: Record<string, string | undefined>,
): ObjectMetadata['checksum'] | undefined {
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined) {
    const claimed = Buffer.from(contentMd5, 'base64');
    if (claimed.length !== 16 || claimed.toString('base64') !== contentMd5.trim()) {
      throw new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', {
        'Content-MD5': contentMd5,
      });
    }
    const md5 = digests.md5();
    if (!claimed.equals(md5)) {
      throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: contentMd5,
        CalculatedDigest: md5.toString('base64'),
      });
    }
  }
  const algorithm = requestedChecksum(headers);
  if (!algorithm) return undefined;
  const value = headers[checksumHeaderName(algorithm)] ?? '';
  const computed = digests.checksum(algorithm);
  if (computed !== undefined && computed !== value) {
    throw new S3Error(
      'BadDigest',
      400,
      `The ${algorithm} you specified did not match the calculated checksum.`,
    );
  }
  return { algorithm, value };
}

/** One of S3's checksums, fed chunk by chunk; digest() gives it in base64 (undefined for CRC64NVME). */
export class StreamingChecksum {
  private readonly hash;
  private crc = 0;
  private crcC = 0xffffffff;

  constructor(private readonly algorithm: ChecksumAlgorithm) {
    this.hash =
      algorithm === 'SHA1' ? createHash('sha1') : algorithm === 'SHA256' ? createHash('sha256') : undefined;
  }

  update(chunk: Buffer): void {
    if (this.hash) this.hash.update(chunk);
    else if (this.algorithm === 'CRC32') this.crc = crc32(chunk, this.crc);
    else if (this.algorithm === 'CRC32C') this.crcC = crc32cUpdate(this.crcC, chunk);
  }

  digest(): string | undefined {
    if (this.hash) return this.hash.digest('base64');
    if (this.algorithm === 'CRC32') return uint32Base64(this.crc);
    if (this.algorithm === 'CRC32C') return uint32Base64((this.crcC ^ 0xffffffff) >>> 0);
    return undefined;
  }
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

let crc32cTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli), which Node.js does not ship: the running state, before its final inversion. */
function crc32cUpdate(state: number, chunk: Buffer): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  const table = crc32cTable;
  let crc = state;
  for (const byte of chunk) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return crc >>> 0;
}
