// How Kinesis Data Streams places a record ("Amazon Kinesis Data Streams terminology and concepts"): the MD5 of
// its partition key, read as a 128-bit unsigned integer (or the ExplicitHashKey given instead), falls in the
// hash key range of exactly one open shard. A stream's shards split the range 0 to 2^128 - 1 evenly, the last
// one taking what is left, as CreateStream and UpdateShardCount's UNIFORM_SCALING lay them out.
import { createHash } from 'node:crypto';

export const MAX_HASH_KEY = (1n << 128n) - 1n;

export interface HashKeyRange {
  start: bigint;
  end: bigint;
}

/** MD5 of the partition key's UTF-8 bytes, as an unsigned 128-bit integer. */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** `count` ranges covering 0 to 2^128 - 1, each `floor(2^128 / count)` wide but the last. */
export function uniformRanges(count: number): HashKeyRange[] {
  const width = (1n << 128n) / BigInt(count);
  return Array.from({ length: count }, (_, index) => ({
    start: width * BigInt(index),
    end: index === count - 1 ? MAX_HASH_KEY : width * BigInt(index + 1) - 1n,
  }));
}

/** An ExplicitHashKey as Kinesis reads it: a decimal integer from 0 to 2^128 - 1, else undefined. */
export function parseHashKey(text: string): bigint | undefined {
  if (!/^\d{1,39}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX_HASH_KEY ? value : undefined;
}

export function inRange(hash: bigint, range: HashKeyRange): boolean {
  return hash >= range.start && hash <= range.end;
}

/**
 * A record's sequence number: 56 decimal digits, as Kinesis's are, made of `49`, the shard's index (6 digits)
 * and the shard's record counter (48 digits), so they increase within a shard and name the shard they are of.
 */
export function sequenceNumber(shardIndex: number, counter: bigint): string {
  return `49${String(shardIndex).padStart(6, '0')}${counter.toString().padStart(48, '0')}`;
}

/** The shard index and counter of a sequence number made by sequenceNumber(), else undefined. */
export function parseSequenceNumber(text: string): { shardIndex: number; counter: bigint } | undefined {
  const match = /^49(\d{6})(\d{48})$/.exec(text);
  if (!match) return undefined;
  return { shardIndex: Number(match[1]), counter: BigInt(match[2]!) };
}

/** `shardId-000000000004`. */
export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}
