// Kinesis Data Streams' placement and reading rules, on the store itself with a clock of the test's own: the
// MD5 of the partition key as a 128-bit number picks the shard whose hash key range holds it, sequence numbers
// increase within a shard, iterators start where their type says and expire after 5 minutes, records leave
// after the retention period, a provisioned shard takes 1,000 records a second, and UpdateShardCount closes
// the parents and opens children by hash key range.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  KinesisStreams,
  ON_DEMAND_SHARDS,
  type Stream,
  type StreamDefinition,
} from '../../src/services/kinesis/kinesis-streams';
import {
  MAX_HASH_KEY,
  parseSequenceNumber,
  partitionKeyHash,
  uniformRanges,
} from '../../src/services/kinesis/shard-hashing';
import { KinesisError } from '../../src/services/kinesis/kinesis-errors';

/** The Kinesis error code `run` throws. */
function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof KinesisError) return error.code;
    throw error;
  }
  return undefined;
}

const data = (text: string) => Buffer.from(text).toString('base64');
const definition = (
  name: string,
  shardCount: number,
  extra: Partial<StreamDefinition> = {},
): StreamDefinition => ({
  name,
  mode: 'PROVISIONED',
  shardCount,
  retentionHours: 24,
  ...extra,
});

function store(now: { ms: number }) {
  return new KinesisStreams({ region: 'eu-west-1', accountId: '123456789012', now: () => now.ms }, []);
}

describe('hash key ranges', () => {
  it('reads the MD5 of the partition key as an unsigned 128-bit integer', () => {
    const hex = createHash('md5').update('customer-7', 'utf8').digest('hex');
    expect(partitionKeyHash('customer-7')).toBe(BigInt(`0x${hex}`));
    expect(partitionKeyHash('ünïcode')).toBe(
      BigInt(`0x${createHash('md5').update('ünïcode').digest('hex')}`),
    );
  });

  it('splits 0 to 2^128 - 1 evenly, as AWS lays out 3 and 4 shards', () => {
    expect(uniformRanges(3).map((range) => [range.start.toString(), range.end.toString()])).toEqual([
      ['0', '113427455640312821154458202477256070484'],
      ['113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
      ['226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
    ]);
    const four = uniformRanges(4);
    expect(four[1]!.start).toBe(1n << 126n);
    expect(four[3]!.end).toBe(MAX_HASH_KEY);
  });
});

describe('a stream', () => {
  let now: { ms: number };
  let streams: KinesisStreams;
  let stream: Stream;

  beforeEach(() => {
    now = { ms: Date.UTC(2026, 11, 8, 12, 0, 0) };
    streams = store(now);
    stream = streams.createStream(definition('clicks-unit', 4));
  });

  it('puts a record in the shard whose range holds its hash, and ExplicitHashKey overrides the key', () => {
    for (const key of ['a', 'b', 'customer-7', 'order-99']) {
      const hash = partitionKeyHash(key);
      const expected = stream.shards.find(
        (shard) => hash >= shard.startingHashKey && hash <= shard.endingHashKey,
      )!;
      expect(streams.put(stream, { partitionKey: key, data: data(key) }).shardId).toBe(expected.shardId);
    }
    const explicit = streams.put(stream, {
      partitionKey: 'a',
      data: data('x'),
      explicitHashKey: MAX_HASH_KEY.toString(),
    });
    expect(explicit.shardId).toBe('shardId-000000000003');
    expect(() =>
      streams.put(stream, {
        partitionKey: 'a',
        data: data('x'),
        explicitHashKey: (MAX_HASH_KEY + 1n).toString(),
      }),
    ).toThrow(/Invalid ExplicitHashKey/);
  });

  it('numbers records of a shard in increasing order, 56 digits long', () => {
    const sequences = Array.from(
      { length: 5 },
      (_, i) => streams.put(stream, { partitionKey: 'same', data: data(String(i)) }).sequenceNumber,
    );
    expect(sequences.every((sequence) => /^\d{56}$/.test(sequence))).toBe(true);
    const numbers = sequences.map((sequence) => BigInt(sequence));
    expect([...numbers].sort((a, b) => (a < b ? -1 : 1))).toEqual(numbers);
    expect(new Set(sequences).size).toBe(5);
    expect(parseSequenceNumber(sequences[0]!)).toBeDefined();
  });

  it('starts iterators at TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP', () => {
    const first = streams.put(stream, { partitionKey: 'k', data: data('one') });
    now.ms += 1000;
    const second = streams.put(stream, { partitionKey: 'k', data: data('two') });
    const shard = streams.getShard(stream, first.shardId);
    const read = (type: Parameters<KinesisStreams['shardIterator']>[2]) =>
      streams
        .read(streams.shardIterator(stream, shard, type))
        .records.map((record) => Buffer.from(record.data, 'base64').toString());

    expect(read({ type: 'TRIM_HORIZON' })).toEqual(['one', 'two']);
    expect(read({ type: 'LATEST' })).toEqual([]);
    expect(read({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: second.sequenceNumber })).toEqual(['two']);
    expect(read({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: first.sequenceNumber })).toEqual(['two']);
    expect(read({ type: 'AT_TIMESTAMP', timestamp: now.ms })).toEqual(['two']);
    const otherShard = stream.shards.find((candidate) => candidate.shardId !== first.shardId)!;
    expect(() =>
      streams.shardIterator(stream, otherShard, {
        type: 'AT_SEQUENCE_NUMBER',
        sequenceNumber: first.sequenceNumber,
      }),
    ).toThrow(/is invalid/);
  });

  it('gives a next iterator that continues, MillisBehindLatest, and expires iterators after 5 minutes', () => {
    const put = streams.put(stream, { partitionKey: 'k', data: data('one') });
    streams.put(stream, { partitionKey: 'k', data: data('two') });
    const shard = streams.getShard(stream, put.shardId);
    const iterator = streams.shardIterator(stream, shard, { type: 'TRIM_HORIZON' });
    now.ms += 2000;
    const page = streams.read(iterator, 1);
    expect(page.records).toHaveLength(1);
    expect(page.millisBehindLatest).toBe(2000);
    const rest = streams.read(page.nextIterator!);
    expect(rest.records.map((record) => record.data)).toEqual([data('two')]);
    expect(rest.millisBehindLatest).toBe(0);
    const waiting = streams.read(rest.nextIterator!);
    expect(waiting.records).toEqual([]);
    now.ms += 5 * 60_000 + 1;
    expect(codeOf(() => streams.read(waiting.nextIterator!))).toBe('ExpiredIteratorException');
  });

  it('drops records older than the retention period', () => {
    const put = streams.put(stream, { partitionKey: 'k', data: data('old') });
    now.ms += 24 * 3_600_000 + 1;
    streams.put(stream, { partitionKey: 'k', data: data('new') });
    const shard = streams.getShard(stream, put.shardId);
    const { records } = streams.read(streams.shardIterator(stream, shard, { type: 'TRIM_HORIZON' }));
    expect(records.map((record) => record.data)).toEqual([data('new')]);
  });

  it('throttles a provisioned shard past 1,000 records a second, and not an on-demand stream', () => {
    for (let i = 0; i < 1000; i += 1) streams.put(stream, { partitionKey: 'hot', data: data('x') }, false);
    expect(codeOf(() => streams.put(stream, { partitionKey: 'hot', data: data('x') }))).toBe(
      'ProvisionedThroughputExceededException',
    );
    now.ms += 1000;
    expect(() => streams.put(stream, { partitionKey: 'hot', data: data('x') })).not.toThrow();

    const onDemand = streams.createStream(definition('on-demand-unit', 0, { mode: 'ON_DEMAND' }));
    expect(onDemand.shards).toHaveLength(ON_DEMAND_SHARDS);
    for (let i = 0; i < 1001; i += 1) streams.put(onDemand, { partitionKey: 'hot', data: data('x') }, false);
  });

  it('closes the parents and opens children by hash range on UpdateShardCount', () => {
    const small = streams.createStream(definition('resharded-unit', 2));
    const before = streams.put(small, { partitionKey: 'k', data: data('before') });
    streams.updateShardCount(small, 4);
    expect(
      small.shards.map((shard) => [
        shard.shardId,
        shard.closed,
        shard.parentShardId,
        shard.adjacentParentShardId,
      ]),
    ).toEqual([
      ['shardId-000000000000', true, undefined, undefined],
      ['shardId-000000000001', true, undefined, undefined],
      ['shardId-000000000002', false, 'shardId-000000000000', undefined],
      ['shardId-000000000003', false, 'shardId-000000000000', undefined],
      ['shardId-000000000004', false, 'shardId-000000000001', undefined],
      ['shardId-000000000005', false, 'shardId-000000000001', undefined],
    ]);
    const after = streams.put(small, { partitionKey: 'k', data: data('after') });
    expect(Number(after.shardId.slice(-1))).toBeGreaterThanOrEqual(2);
    const parent = streams.getShard(small, before.shardId);
    const end = streams.read(streams.shardIterator(small, parent, { type: 'TRIM_HORIZON' }));
    expect(end.records.map((record) => record.data)).toEqual([data('before')]);
    expect(end.nextIterator).toBeUndefined();
    expect(end.childShards!.map((child) => child.parentShardId)).toEqual([parent.shardId, parent.shardId]);
    expect(() => streams.updateShardCount(small, 9)).toThrow(/between half \(2\) and double \(8\)/);
    streams.updateShardCount(small, 3);
    expect(streams.openShards(small).map((shard) => shard.adjacentParentShardId)).toEqual([
      'shardId-000000000003',
      'shardId-000000000004',
      'shardId-000000000005',
    ]);
  });

  it('refuses a stream name twice, and names a missing stream as Kinesis does', () => {
    expect(() => streams.createStream(definition('clicks-unit', 1))).toThrow(
      'Stream clicks-unit under account 123456789012 already exists.',
    );
    expect(() => streams.getStream('nope')).toThrow('Stream nope under account 123456789012 not found.');
  });
});

describe('persistence', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-kinesis-state-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps streams made through the API and every record across a restart', () => {
    const options = { region: 'eu-west-1', accountId: '123456789012', dataDir: dir };
    const declared = [definition('declared-persisted', 1)];
    const first = new KinesisStreams(options, declared);
    const made = first.createStream(definition('made-persisted', 2));
    first.updateShardCount(made, 4);
    const put = first.put(first.getStream('declared-persisted'), { partitionKey: 'k', data: data('kept') });
    first.flush();

    const second = new KinesisStreams(options, declared);
    const again = second.getStream('made-persisted');
    expect(again.shards).toHaveLength(6);
    expect(second.openShards(again)).toHaveLength(4);
    const stream = second.getStream('declared-persisted');
    const shard = second.getShard(stream, put.shardId);
    const read = second.read(second.shardIterator(stream, shard, { type: 'TRIM_HORIZON' }));
    expect(read.records.map((record) => record.sequenceNumber)).toEqual([put.sequenceNumber]);
    expect(
      second.put(stream, { partitionKey: 'k', data: data('next') }).sequenceNumber > put.sequenceNumber,
    ).toBe(true);

    // A declared stream no longer declared is gone, with its records.
    expect(() => new KinesisStreams(options, []).getStream('declared-persisted')).toThrow(/not found/);
  });
});
