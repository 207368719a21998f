// DynamoDB Local keeps a service's tables in one SQLite file. Cut short (a crash mid-write, a full disk), it
// makes DynamoDB Local answer every request with a bare "unknown error"; emptied, it starts with no data and
// says nothing. Both are checked before Java starts, from the file's own header (its page size and page
// count), and said with the file and the fix.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { DamagedStateError, moveAsideFix } from '../../common/damaged-state';

const MAGIC = 'SQLite format 3\0';
const FRESH_START = 'the tables are made again, empty';

/** Throws DamagedStateError for a damaged database; returns a warning for an empty one, else undefined. */
export function checkDatabaseFile(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const { size } = statSync(file);
  if (size === 0) {
    return `${file} is empty, so the tables start with no items. If they held data, the file was cut short (a crash, a full disk): stop local-cloud and restore it from a copy`;
  }
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < header.length || header.subarray(0, 16).toString('latin1') !== MAGIC) {
    throw new DamagedStateError(
      file,
      'is not a DynamoDB Local database (no SQLite header)',
      moveAsideFix(file, FRESH_START),
    );
  }
  const pageSizeField = header.readUInt16BE(16);
  const pageSize = pageSizeField === 1 ? 65_536 : pageSizeField;
  const pages = header.readUInt32BE(28);
  // SQLite trusts the page count only when written by a version that kept it up to date.
  const countIsCurrent = header.readUInt32BE(92) === header.readUInt32BE(24);
  const expected = pages * pageSize;
  if (countIsCurrent && pages > 0 && size < expected) {
    throw new DamagedStateError(
      file,
      `is cut short: it holds ${size} bytes of the ${expected} its header records (a crash mid-write, or a full disk), so DynamoDB Local could only answer "unknown error"`,
      moveAsideFix(file, FRESH_START),
    );
  }
  return undefined;
}
