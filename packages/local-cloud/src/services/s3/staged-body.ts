// An upload's body streamed to a file under the store's staging folder instead of held in memory, so a 1 GB
// PUT costs the emulator the same memory as a 1 KB one. The digests S3 checks (the payload hash the signature
// covers, Content-MD5, the checksum header) are computed on the way through; nothing is stored until they
// hold (the object store then moves the file into place).
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { StreamingChecksum, requestedChecksum, type BodyDigests } from './checksums';
import { entityTooLarge } from './errors';
import type { ChecksumAlgorithm } from './object-store';

export interface StagedBody extends BodyDigests {
  file: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256Hex: string;
  /** Removes the file, unless the store took it. */
  discard(): Promise<void>;
}

export async function stageBody(
  /** The request, or a browser form's file part. */
  body: AsyncIterable<Buffer>,
  file: string,
  headers: Record<string, string | undefined>,
  maxBytes: number,
): Promise<StagedBody> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const algorithm = requestedChecksum(headers);
  const checksum = algorithm ? new StreamingChecksum(algorithm) : undefined;
  const handle = await open(file, 'w');
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) continue; // drained, so the answer can still be written on this connection
      md5.update(chunk);
      sha256.update(chunk);
      checksum?.update(chunk);
      await handle.write(chunk);
    }
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
  if (size > maxBytes) {
    await rm(file, { force: true });
    throw entityTooLarge(size, maxBytes);
  }
  const md5Digest = md5.digest();
  const checksumDigest = checksum?.digest();
  return {
    file,
    size,
    sha256Hex: sha256.digest('hex'),
    md5: () => md5Digest,
    checksum: (requested: ChecksumAlgorithm) => (requested === algorithm ? checksumDigest : undefined),
    discard: () => rm(file, { force: true }),
  };
}
