// Kinesis Data Streams itself, apart from HTTP: streams, their shards and records, with the rules of the Kinesis
// developer guide and API reference. A record goes to the open shard whose hash key range holds the MD5 of its
// partition key (or its ExplicitHashKey); sequence numbers increase within a shard; records stay for the
// retention period (24 hours unless set) and are read through shard iterators that expire after 5 minutes. A
// provisioned shard takes 1,000 records and 1 MiB a second; beyond that a put is throttled
// (ProvisionedThroughputExceededException). UpdateShardCount closes every open shard and opens the new count
// with uniform hash key ranges, each child naming the parents whose ranges it takes over. Readers in this
// process (the `stream` event source) are told when records arrive: nothing polls.
import { existsSync, readFileSync } from 'node:fs';
import { SaveSoon, stateFileIn, writeStateFile } from '../../common/state-file';
import { invalidArgument, KinesisError, streamExists, streamNotFound, validation } from './kinesis-errors';
import {
  inRange,
  parseHashKey,
  parseSequenceNumber,
  partitionKeyHash,
  sequenceNumber,
  shardIdOf,
  uniformRanges,
} from './shard-hashing';

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

/** Shards an on-demand stream starts with, as AWS starts them. */
export const ON_DEMAND_SHARDS = 4;
export const DEFAULT_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 8760;
export const MAX_RECORD_BYTES = 1024 * 1024;
/** A shard iterator's life. */
export const ITERATOR_TTL_MS = 5 * 60_000;
/** Writes a provisioned shard takes each second. */
export const SHARD_RECORDS_PER_SECOND = 1000;
export const SHARD_BYTES_PER_SECOND = 1024 * 1024;
const MAX_GET_RECORDS = 10_000;
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
/** The account's shard quota (per Region) that CreateStream and UpdateShardCount check. */
const SHARD_LIMIT = 500;

export interface StoredRecord {
  sequenceNumber: string;
  /** Position in its shard (the sequence number's counter). */
  counter: number;
  partitionKey: string;
  /** Base64, as on the wire. */
  data: string;
  /** ApproximateArrivalTimestamp, ms since the epoch. */
  arrivalMs: number;
}

export interface Shard {
  shardId: string;
  index: number;
  parentShardId?: string;
  adjacentParentShardId?: string;
  startingHashKey: bigint;
  endingHashKey: bigint;
  /** Set when the shard is closed (UpdateShardCount): nothing more is written to it. */
  closed: boolean;
  records: StoredRecord[];
  nextCounter: number;
  /** Writes in the current second, for the shard's throughput limit. */
  second: number;
  secondRecords: number;
  secondBytes: number;
}

export interface Stream {
  name: string;
  arn: string;
  mode: StreamMode;
  retentionHours: number;
  createdAt: number;
  declared: boolean;
  /** Shards in the order they were created (open and closed). */
  shards: Shard[];
  encryption: 'NONE' | 'KMS';
  keyId?: string;
}

export interface PutInput {
  partitionKey: string;
  /** Base64. */
  data: string;
  explicitHashKey?: string;
}

export interface PutResult {
  shardId: string;
  sequenceNumber: string;
}

export type IteratorType =
  'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP';

export interface IteratorInput {
  type: IteratorType;
  sequenceNumber?: string;
  /** ms since the epoch. */
  timestamp?: number;
}

export interface ReadResult {
  records: StoredRecord[];
  /** Undefined once a closed shard is read to its end. */
  nextIterator?: string;
  millisBehindLatest: number;
  /** A closed shard read to its end: the shards that took over its hash key range. */
  childShards?: Shard[];
}

export interface StreamDefinition {
  name: string;
  mode: StreamMode;
  shardCount: number;
  retentionHours: number;
  encryption?: { type: 'NONE' | 'KMS'; keyId?: string };
}

export interface KinesisStreamsOptions {
  region: string;
  accountId: string;
  /** Directory of state.json; none: nothing persisted. */
  dataDir?: string;
  now?: () => number;
  log?: (line: string) => void;
}

interface IteratorState {
  /** Stream name and creation time: an iterator of a stream deleted and created again is refused. */
  n: string;
  c: number;
  s: string;
  /** The shard counter to read from. */
  p: number;
  /** Issued at. */
  t: number;
}

export function streamArn(region: string, accountId: string, name: string): string {
  return `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
}

export class KinesisStreams {
  private readonly streams = new Map<string, Stream>();
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly listeners = new Set<(stream: Stream) => void>();
  private readonly saving = new SaveSoon(() => this.save());

  constructor(
    private readonly options: KinesisStreamsOptions,
    declared: StreamDefinition[],
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    for (const definition of declared) this.addStream(definition, true);
    this.load();
  }

  get region(): string {
    return this.options.region;
  }

  get accountId(): string {
    return this.options.accountId;
  }

  createStream(definition: StreamDefinition): Stream {
    if (this.streams.has(definition.name)) throw streamExists(definition.name, this.accountId);
    const stream = this.addStream(definition, false);
    this.scheduleSave();
    return stream;
  }

  deleteStream(stream: Stream): void {
    this.streams.delete(stream.name);
    this.changed(stream);
  }

  /** The stream a request names by StreamName or StreamARN (either, as the API allows). */
  getStream(name: string | undefined, arn?: string): Stream {
    const byArn = arn === undefined ? undefined : this.findByArn(arn);
    if (arn !== undefined && !byArn) throw streamNotFound(arn.split('/').pop() ?? arn, this.accountId);
    if (byArn && name !== undefined && byArn.name !== name) {
      throw invalidArgument('StreamARN and StreamName name different streams.');
    }
    if (byArn) return byArn;
    if (name === undefined) throw invalidArgument('Either StreamName or StreamARN should be provided.');
    const stream = this.streams.get(name);
    if (!stream) throw streamNotFound(name, this.accountId);
    return stream;
  }

  findByArn(arn: string): Stream | undefined {
    const name = /^arn:aws[a-z-]*:kinesis:[^:]*:\d{12}:stream\/([^/]+)$/.exec(arn)?.[1];
    const stream = name === undefined ? undefined : this.streams.get(name);
    return stream?.arn === arn ? stream : undefined;
  }

  listStreams(): Stream[] {
    return [...this.streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  openShards(stream: Stream): Shard[] {
    return stream.shards.filter((shard) => !shard.closed);
  }

  getShard(stream: Stream, shardId: string): Shard {
    const shard = stream.shards.find((candidate) => candidate.shardId === shardId);
    if (!shard) {
      throw new KinesisError(
        'ResourceNotFoundException',
        `Shard ${shardId} in stream ${stream.name} under account ${this.accountId} does not exist`,
      );
    }
    return shard;
  }

  /** Calls `listener` when records arrive in a stream, or streams are created or deleted; returns the unsubscribe. */
  onChange(listener: (stream: Stream) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Places one record (PutRecord, and each entry of PutRecords): throws when refused or throttled. */
  put(stream: Stream, input: PutInput, notify = true): PutResult {
    checkPartitionKey(input.partitionKey, 'partitionKey');
    const bytes = Buffer.from(input.data, 'base64');
    if (bytes.length > MAX_RECORD_BYTES) {
      throw validation(
        'data',
        '<binary>',
        `Member must have length less than or equal to ${MAX_RECORD_BYTES}`,
      );
    }
    let hash: bigint;
    if (input.explicitHashKey !== undefined) {
      const explicit = parseHashKey(input.explicitHashKey);
      if (explicit === undefined) {
        throw invalidArgument(
          `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${input.explicitHashKey}`,
        );
      }
      hash = explicit;
    } else {
      hash = partitionKeyHash(input.partitionKey);
    }
    const shard = this.openShards(stream).find((candidate) =>
      inRange(hash, { start: candidate.startingHashKey, end: candidate.endingHashKey }),
    )!;
    const now = this.now();
    this.trim(stream, shard, now);
    const size = bytes.length + Buffer.byteLength(input.partitionKey);
    if (stream.mode === 'PROVISIONED') this.throttle(stream, shard, size, now);
    const counter = shard.nextCounter;
    shard.nextCounter += 1;
    const record: StoredRecord = {
      sequenceNumber: sequenceNumber(shard.index, BigInt(counter)),
      counter,
      partitionKey: input.partitionKey,
      data: bytes.toString('base64'),
      arrivalMs: now,
    };
    shard.records.push(record);
    if (notify) this.changed(stream);
    return { shardId: shard.shardId, sequenceNumber: record.sequenceNumber };
  }

  /** Tells readers and schedules the save after a batch of puts made with notify false. */
  changed(stream: Stream): void {
    this.listeners.forEach((listener) => listener(stream));
    this.scheduleSave();
  }

  shardIterator(stream: Stream, shard: Shard, input: IteratorInput): string {
    return this.iterator(stream, shard, this.positionOf(stream, shard, input), this.now());
  }

  /** Where an iterator of this type starts: the counter of the first record it reads. */
  positionOf(stream: Stream, shard: Shard, input: IteratorInput): number {
    this.trim(stream, shard, this.now());
    let position: number;
    switch (input.type) {
      case 'TRIM_HORIZON':
        position = shard.records[0]?.counter ?? shard.nextCounter;
        break;
      case 'LATEST':
        position = shard.nextCounter;
        break;
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        const text = input.sequenceNumber;
        if (text === undefined) {
          throw invalidArgument(
            `The StartingSequenceNumber must be specified for ShardIteratorType ${input.type}.`,
          );
        }
        const parsed = parseSequenceNumber(text);
        if (!parsed || parsed.shardIndex !== shard.index || parsed.counter > BigInt(shard.nextCounter)) {
          throw invalidArgument(
            `StartingSequenceNumber ${text} used in GetShardIterator on shard ${shard.shardId} in stream ${stream.name} under account ${this.accountId} is invalid.`,
          );
        }
        position = Number(parsed.counter) + (input.type === 'AFTER_SEQUENCE_NUMBER' ? 1 : 0);
        // A trimmed record: the oldest one kept.
        position = Math.max(position, shard.records[0]?.counter ?? position);
        break;
      }
      case 'AT_TIMESTAMP': {
        if (input.timestamp === undefined) {
          throw invalidArgument('The timestamp must be specified for ShardIteratorType AT_TIMESTAMP.');
        }
        const at = input.timestamp;
        position = shard.records.find((record) => record.arrivalMs >= at)?.counter ?? shard.nextCounter;
        break;
      }
    }
    return position;
  }

  /** Up to `limit` records from `position` on (at the oldest kept, when older ones were trimmed). */
  recordsFrom(stream: Stream, shard: Shard, position: number, limit: number): StoredRecord[] {
    this.trim(stream, shard, this.now());
    const index = firstAtOrAfter(shard.records, position);
    return shard.records.slice(index, index + limit);
  }

  /** The stream now known by this name and creation time, if it still exists. */
  isLive(stream: Stream): boolean {
    return this.streams.get(stream.name) === stream;
  }

  /** GetRecords: what the iterator points at, up to `limit` records and 10 MiB. */
  read(iterator: string, limit = MAX_GET_RECORDS): ReadResult {
    const state = decodeIterator(iterator);
    const stream = this.streams.get(state.n);
    if (!stream || stream.createdAt !== state.c) throw streamNotFound(state.n, this.accountId);
    const shard = this.getShard(stream, state.s);
    const now = this.now();
    if (now - state.t > ITERATOR_TTL_MS) {
      throw new KinesisError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(state.t).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_TTL_MS} milliseconds.`,
      );
    }
    this.trim(stream, shard, now);
    const records: StoredRecord[] = [];
    let bytes = 0;
    let index = firstAtOrAfter(shard.records, state.p);
    for (; index < shard.records.length && records.length < limit; index += 1) {
      const record = shard.records[index]!;
      const size = Math.ceil((record.data.length * 3) / 4) + Buffer.byteLength(record.partitionKey);
      if (records.length > 0 && bytes + size > MAX_GET_RECORDS_BYTES) break;
      bytes += size;
      records.push(record);
    }
    const next =
      records.length > 0
        ? records[records.length - 1]!.counter + 1
        : Math.max(state.p, shard.records[0]?.counter ?? state.p);
    const behind = index < shard.records.length ? now - shard.records[index]!.arrivalMs : 0;
    if (shard.closed && next >= shard.nextCounter) {
      return {
        records,
        millisBehindLatest: behind,
        childShards: stream.shards.filter(
          (child) => child.parentShardId === shard.shardId || child.adjacentParentShardId === shard.shardId,
        ),
      };
    }
    return { records, nextIterator: this.iterator(stream, shard, next, now), millisBehindLatest: behind };
  }

  /** UpdateShardCount with UNIFORM_SCALING: the open shards close, `target` new ones open. */
  updateShardCount(stream: Stream, target: number): { current: number } {
    const open = this.openShards(stream);
    if (stream.mode === 'ON_DEMAND') {
      throw new KinesisError(
        'ValidationException',
        `UpdateShardCount is not supported for stream ${stream.name} under account ${this.accountId} in On-Demand mode.`,
      );
    }
    if (target > open.length * 2 || target * 2 < open.length) {
      throw invalidArgument(
        `UpdateShardCount failed for stream ${stream.name} under account ${this.accountId}: the target shard count ${target} must be between half (${Math.ceil(open.length / 2)}) and double (${open.length * 2}) the current count ${open.length}.`,
      );
    }
    this.checkShardLimit(target - open.length);
    if (target === open.length) return { current: open.length };
    for (const shard of open) shard.closed = true;
    let index = stream.shards.length;
    for (const range of uniformRanges(target)) {
      const parents = open.filter(
        (shard) => shard.startingHashKey <= range.end && shard.endingHashKey >= range.start,
      );
      stream.shards.push({
        ...emptyShard(index, range.start, range.end),
        parentShardId: parents[0]?.shardId,
        ...(parents[1] ? { adjacentParentShardId: parents[1].shardId } : {}),
      });
      index += 1;
    }
    this.changed(stream);
    return { current: open.length };
  }

  /** IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod: 24 to 8,760 hours, in the named direction. */
  setRetention(stream: Stream, hours: number, direction: 'increase' | 'decrease'): void {
    checkRetention(hours);
    if (direction === 'increase' ? hours < stream.retentionHours : hours > stream.retentionHours) {
      throw invalidArgument(
        `Requested retention period (${hours} hours) for stream ${stream.name} can not be ${direction === 'increase' ? 'shorter' : 'longer'} than existing retention period (${stream.retentionHours} hours). Use ${direction === 'increase' ? 'DecreaseStreamRetentionPeriod' : 'IncreaseStreamRetentionPeriod'} API.`,
      );
    }
    stream.retentionHours = hours;
    this.scheduleSave();
  }

  /** Writes pending state now (at stop). */
  flush(): void {
    this.saving.flush();
  }

  private addStream(definition: StreamDefinition, declared: boolean): Stream {
    checkStreamName(definition.name);
    checkRetention(definition.retentionHours);
    const count = definition.mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : definition.shardCount;
    if (!Number.isInteger(count) || count < 1) {
      throw validation('shardCount', count, 'Member must have value greater than or equal to 1');
    }
    if (declared === false) this.checkShardLimit(count);
    const stream: Stream = {
      name: definition.name,
      arn: streamArn(this.region, this.accountId, definition.name),
      mode: definition.mode,
      retentionHours: definition.retentionHours,
      createdAt: this.now(),
      declared,
      shards: uniformRanges(count).map((range, index) => emptyShard(index, range.start, range.end)),
      encryption: definition.encryption?.type ?? 'NONE',
      ...(definition.encryption?.keyId ? { keyId: definition.encryption.keyId } : {}),
    };
    this.streams.set(stream.name, stream);
    this.listeners.forEach((listener) => listener(stream));
    return stream;
  }

  private checkShardLimit(adding: number): void {
    const open = [...this.streams.values()].reduce((sum, stream) => sum + this.openShards(stream).length, 0);
    if (open + adding > SHARD_LIMIT) {
      throw new KinesisError(
        'LimitExceededException',
        `This request would exceed the shard limit for the account ${this.accountId} in ${this.region}. Current shard count for the account: ${open}. Limit: ${SHARD_LIMIT}.`,
      );
    }
  }

  private throttle(stream: Stream, shard: Shard, size: number, now: number): void {
    const second = Math.floor(now / 1000);
    if (shard.second !== second) {
      shard.second = second;
      shard.secondRecords = 0;
      shard.secondBytes = 0;
    }
    if (
      shard.secondRecords + 1 > SHARD_RECORDS_PER_SECOND ||
      shard.secondBytes + size > SHARD_BYTES_PER_SECOND
    ) {
      throw new KinesisError(
        'ProvisionedThroughputExceededException',
        `Rate exceeded for shard ${shard.shardId} in stream ${stream.name} under account ${this.accountId}.`,
      );
    }
    shard.secondRecords += 1;
    shard.secondBytes += size;
  }

  /** Drops records older than the retention period. */
  private trim(stream: Stream, shard: Shard, now: number): void {
    const oldest = now - stream.retentionHours * 3_600_000;
    let drop = 0;
    while (drop < shard.records.length && shard.records[drop]!.arrivalMs <= oldest) drop += 1;
    if (drop > 0) {
      shard.records.splice(0, drop);
      this.scheduleSave();
    }
  }

  private iterator(stream: Stream, shard: Shard, position: number, now: number): string {
    const state: IteratorState = {
      n: stream.name,
      c: stream.createdAt,
      s: shard.shardId,
      p: position,
      t: now,
    };
    return Buffer.from(JSON.stringify(state)).toString('base64');
  }

  private stateFile(): string | undefined {
    return stateFileIn(this.options.dataDir);
  }

  private scheduleSave(): void {
    if (this.stateFile()) this.saving.request();
  }

  /** Streams made through the API, and every stream's shards and records, survive a restart. */
  private save(): void {
    const file = this.stateFile();
    if (!file) return;
    const state = {
      streams: [...this.streams.values()].map((stream) => ({
        ...stream,
        shards: stream.shards.map((shard) => ({
          ...shard,
          startingHashKey: shard.startingHashKey.toString(),
          endingHashKey: shard.endingHashKey.toString(),
        })),
      })),
    };
    writeStateFile(file, state);
  }

  private load(): void {
    const file = this.stateFile();
    if (!file || !existsSync(file)) return;
    type SavedShard = Omit<Shard, 'startingHashKey' | 'endingHashKey'> & {
      startingHashKey: string;
      endingHashKey: string;
    };
    let state: { streams?: (Omit<Stream, 'shards'> & { shards: SavedShard[] })[] };
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
    } catch {
      this.log(
        `Kinesis: ${file} is not valid JSON; starting without the streams and records it held. Delete it to silence this.`,
      );
      return;
    }
    for (const saved of state.streams ?? []) {
      const current = this.streams.get(saved.name);
      // A declared stream no longer in serverless.yml is gone, with its records.
      if (!current && saved.declared) continue;
      // A declared stream whose shard count changed in serverless.yml starts again, as a replacement would.
      if (
        current &&
        (current.mode !== saved.mode ||
          (saved.shards.every((shard) => !shard.closed) && current.shards.length !== saved.shards.length))
      ) {
        continue;
      }
      this.streams.set(saved.name, {
        ...saved,
        declared: current?.declared ?? false,
        shards: saved.shards.map((shard) => ({
          ...shard,
          startingHashKey: BigInt(shard.startingHashKey),
          endingHashKey: BigInt(shard.endingHashKey),
        })),
      });
    }
  }
}

function emptyShard(index: number, start: bigint, end: bigint): Shard {
  return {
    shardId: shardIdOf(index),
    index,
    startingHashKey: start,
    endingHashKey: end,
    closed: false,
    records: [],
    nextCounter: 0,
    second: 0,
    secondRecords: 0,
    secondBytes: 0,
  };
}

/** The index of the first record at or after `counter` (records are in counter order). */
function firstAtOrAfter(records: StoredRecord[], counter: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (records[middle]!.counter < counter) low = middle + 1;
    else high = middle;
  }
  return low;
}

function decodeIterator(iterator: string): IteratorState {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(iterator, 'base64').toString('utf8'));
  } catch {
    state = undefined;
  }
  const valid =
    typeof state === 'object' &&
    state !== null &&
    typeof (state as IteratorState).n === 'string' &&
    typeof (state as IteratorState).s === 'string' &&
    typeof (state as IteratorState).p === 'number' &&
    typeof (state as IteratorState).t === 'number';
  if (!valid) throw invalidArgument(`Invalid ShardIterator.`);
  return state as IteratorState;
}

function checkRetention(hours: number): void {
  if (!Number.isInteger(hours) || hours < DEFAULT_RETENTION_HOURS || hours > MAX_RETENTION_HOURS) {
    throw invalidArgument(
      `Minimum allowed retention period is ${DEFAULT_RETENTION_HOURS} hours and maximum is ${MAX_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is out of range.`,
    );
  }
}

export function checkStreamName(name: string, member = 'streamName'): void {
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) {
    throw validation(
      member,
      name,
      name.length < 1 || name.length > 128
        ? 'Member must have length between 1 and 128'
        : 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+',
    );
  }
}

export function checkPartitionKey(key: string, member: string): void {
  if (key.length < 1) throw validation(member, key, 'Member must have length greater than or equal to 1');
  if (key.length > 256) throw validation(member, key, 'Member must have length less than or equal to 256');
}

/** The ShardId, HashKeyRange and SequenceNumberRange of a shard, as DescribeStream and ListShards give them. */
export function shardDescription(shard: Shard): Record<string, unknown> {
  return {
    ShardId: shard.shardId,
    ...(shard.parentShardId ? { ParentShardId: shard.parentShardId } : {}),
    ...(shard.adjacentParentShardId ? { AdjacentParentShardId: shard.adjacentParentShardId } : {}),
    HashKeyRange: {
      StartingHashKey: shard.startingHashKey.toString(),
      EndingHashKey: shard.endingHashKey.toString(),
    },
    SequenceNumberRange: {
      StartingSequenceNumber: sequenceNumber(shard.index, 0n),
      ...(shard.closed
        ? { EndingSequenceNumber: sequenceNumber(shard.index, BigInt(shard.nextCounter)) }
        : {}),
    },
  };
}
