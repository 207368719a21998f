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

/** Checks Content-MD5 and the checksum header (or aws-chunked trailer); returns the checksum to store. */
export function verifyIntegrity(
  body: Buffer,
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
    if (!claimed.equals(createHash('md5').update(body).digest())) {
      throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: contentMd5,
        CalculatedDigest: createHash('md5').update(body).digest('base64'),
      });
    }
  }
  const present = Object.entries(HEADERS).filter(([name]) => headers[name] !== undefined);
  if (present.length > 1) {
    throw new S3Error(
      'InvalidRequest',
      400,
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const [found] = present;
  if (!found) return undefined;
  const [name, algorithm] = found;
  const value = headers[name] ?? '';
  const computed = computeChecksum(algorithm, body);
  if (computed !== undefined && computed !== value) {
    throw new S3Error(
      'BadDigest',
      400,
      `The ${algorithm} you specified did not match the calculated checksum.`,
    );
  }
  return { algorithm, value };
}

/** Base64 of the checksum S3 computes; undefined for CRC64NVME, which local-cloud stores unverified. */
function computeChecksum(algorithm: ChecksumAlgorithm, body: Buffer): string | undefined {
  switch (algorithm) {
    case 'CRC32':
      return uint32Base64(crc32(body));
    case 'CRC32C':
      return uint32Base64(crc32c(body));
    case 'SHA1':
      return createHash('sha1').update(body).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(body).digest('base64');
    case 'CRC64NVME':
      return undefined;
  }
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

let crc32cTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli), which Node.js does not ship. */
function crc32c(body: Buffer): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  const table = crc32cTable;
  let crc = 0xffffffff;
  for (const byte of body) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
