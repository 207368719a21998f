// Where buckets and objects live: an in-memory index over files on disk (or over buffers, with inMemory).
//
// Durability: an object is one file, its metadata as one JSON line followed by its bytes. It is written to a
// temporary file, fsynced, renamed over the object's path and the directory fsynced before the request is
// acknowledged, so an acknowledged write survives `kill -9` (and power loss), and a reader sees either the old
// object or the new one, never a mix. Writes to one key are applied in arrival order.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DamagedStateError, moveAsideFix } from '../../common/damaged-state';
import type { PublicAccessBlock } from './bucket-policy';
import type { CorsRule } from './cors';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';

export interface ObjectMetadata {
  key: string;
  size: number;
  /** Hex MD5 of the bytes, without the quotes S3 puts around it in headers and XML. */
  etag: string;
  /** ISO 8601 with milliseconds. */
  lastModified: string;
  contentType: string;
  /** Content-Encoding, Cache-Control, Content-Disposition, Content-Language, Expires: stored as sent. */
  headers: Record<string, string>;
  /** `x-amz-meta-*` without the prefix, names in lower case. */
  userMetadata: Record<string, string>;
  /** The additional checksum the uploader sent (and S3 verified), returned with x-amz-checksum-mode. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface BucketRecord {
  name: string;
  /** ISO 8601 with milliseconds. */
  creationDate: string;
  /** From PutBucketCors, or the CloudFormation CorsConfiguration applied at start. */
  cors?: CorsRule[];
  /** The bucket policy as stored (PutBucketPolicy, or an AWS::S3::BucketPolicy applied at start). */
  policy?: string;
  /** The AWS::S3::BucketPolicy the policy came from; undefined when it was put through the API. */
  policyResource?: string;
  /**
   * Block Public Access: undefined is S3's default for a new bucket (all four on); null after
   * DeletePublicAccessBlock (none).
   */
  publicAccessBlock?: PublicAccessBlock | null;
}

export interface ByteRange {
  /** Inclusive. */
  start: number;
  /** Inclusive. */
  end: number;
}

export interface OpenObject {
  meta: ObjectMetadata;
  /** The bytes (a range of them, checked against meta.size by the caller); closes the file once read. */
  stream(range?: ByteRange): Readable;
  close(): Promise<void>;
}

interface Entry {
  meta: ObjectMetadata;
  /** In memory mode: the bytes. */
  body?: Buffer;
}

interface BucketState {
  record: BucketRecord;
  objects: Map<string, Entry>;
  /** Keys in S3's listing order (UTF-8 bytes), recomputed after a key is added or removed. */
  sorted?: string[];
}

export class ObjectStore {
  private readonly buckets = new Map<string, BucketState>();
  private readonly writes = new Map<string, Promise<unknown>>();
  private readonly createdDirs = new Set<string>();
  /** Files found damaged at open, each not served, with what is wrong and the fix (the service logs them). */
  readonly damaged: DamagedStateError[] = [];

  private constructor(
    /** Absent in memory mode. */
    private readonly dir: string | undefined,
  ) {}

  /** Opens (creating it if needed) the store under `dir`, or an empty one in memory without it. */
  static async open(dir: string | undefined): Promise<ObjectStore> {
    const store = new ObjectStore(dir);
    if (dir) await store.load(dir);
    return store;
  }

  get location(): string | undefined {
    return this.dir;
  }

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()]
      .map((bucket) => bucket.record)
      .sort((a, b) => compareKeys(a.name, b.name));
  }

  getBucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name)?.record;
  }

  async createBucket(record: BucketRecord): Promise<void> {
    if (this.buckets.has(record.name)) return;
    this.buckets.set(record.name, { record, objects: new Map() });
    if (!this.dir) return;
    const bucketDir = this.bucketDir(record.name);
    await mkdir(path.join(bucketDir, 'objects'), { recursive: true });
    await this.writeAtomically(path.join(bucketDir, 'bucket.json'), [Buffer.from(JSON.stringify(record))]);
  }

  async updateBucket(record: BucketRecord): Promise<void> {
    const state = this.buckets.get(record.name);
    if (!state) return;
    state.record = record;
    if (!this.dir) return;
    await this.writeAtomically(path.join(this.bucketDir(record.name), 'bucket.json'), [
      Buffer.from(JSON.stringify(record)),
    ]);
  }

  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name);
    if (!this.dir) return;
    await rm(this.bucketDir(name), { recursive: true, force: true });
    await syncDirectory(path.join(this.dir, 'buckets'));
    for (const dir of this.createdDirs)
      if (dir.startsWith(this.bucketDir(name))) this.createdDirs.delete(dir);
  }

  objectCount(bucket: string): number {
    return this.buckets.get(bucket)?.objects.size ?? 0;
  }

  getObject(bucket: string, key: string): ObjectMetadata | undefined {
    return this.buckets.get(bucket)?.objects.get(key)?.meta;
  }

  /** Every object of the bucket in S3's order (by the UTF-8 bytes of the key). */
  listObjects(bucket: string): ObjectMetadata[] {
    const state = this.buckets.get(bucket);
    if (!state) return [];
    state.sorted ??= [...state.objects.keys()].sort(compareKeys);
    return state.sorted.flatMap((key) => {
      const entry = state.objects.get(key);
      return entry ? [entry.meta] : [];
    });
  }

  /**
   * Opens the object for reading: its metadata as stored with exactly these bytes (a concurrent overwrite
   * may have replaced the index entry since), then either `stream()` (which closes when read) or `close()`.
   * Undefined when the object is gone.
   */
  async openObject(bucket: string, key: string): Promise<OpenObject | undefined> {
    const entry = this.buckets.get(bucket)?.objects.get(key);
    if (!entry) return undefined;
    const { body } = entry;
    if (body) {
      return {
        meta: entry.meta,
        stream: (range) => Readable.from([range ? body.subarray(range.start, range.end + 1) : body]),
        close: () => Promise.resolve(),
      };
    }
    let handle: FileHandle;
    try {
      handle = await open(this.objectFile(bucket, key), 'r');
    } catch {
      return undefined;
    }
    const { meta, dataOffset } = await readHeader(handle).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    return {
      meta,
      stream: (range) => {
        if (meta.size === 0) {
          void handle.close();
          return Readable.from([]);
        }
        return handle.createReadStream({
          start: dataOffset + (range?.start ?? 0),
          end: dataOffset + (range ? range.end : meta.size - 1),
          autoClose: true,
        });
      },
      close: () => handle.close(),
    };
  }

  /** Stores the object durably; resolves once it would survive a crash. */
  putObject(bucket: string, meta: ObjectMetadata, body: Buffer): Promise<void> {
    return this.serialize(bucket, meta.key, async () => {
      const state = this.buckets.get(bucket);
      if (!state) return;
      if (this.dir) {
        const header = Buffer.from(`${JSON.stringify(meta)}\n`);
        const file = this.objectFile(bucket, meta.key);
        await this.ensureDir(path.dirname(file));
        await this.writeAtomically(file, [header, body]);
        state.objects.set(meta.key, { meta });
      } else {
        state.objects.set(meta.key, { meta, body });
      }
      state.sorted = undefined;
    });
  }

  /**
   * Where an upload may be streamed before putObjectFromParts() takes it: a new file in the staging folder,
   * which a restart clears. Undefined in memory.
   */
  stagingFile(): string | undefined {
    return this.dir ? path.join(this.dir, '.tmp', randomUUID()) : undefined;
  }

  /**
   * As putObject, for a body in pieces: files streamed to disk (from stagingFile()) and bytes, joined in
   * order (an upload's parts). The files given are removed once copied.
   */
  putObjectFromParts(
    bucket: string,
    meta: ObjectMetadata,
    parts: readonly (string | Buffer)[],
  ): Promise<void> {
    const files = parts.filter((part): part is string => typeof part === 'string');
    const removeFiles = () => Promise.all(files.map((file) => rm(file, { force: true })));
    return this.serialize(bucket, meta.key, async () => {
      const state = this.buckets.get(bucket);
      if (!state || !this.dir) {
        await removeFiles();
        return;
      }
      const target = this.objectFile(bucket, meta.key);
      await this.ensureDir(path.dirname(target));
      // The header goes first in an object's file: written to a new file, then the body copied after it.
      const temporary = path.join(this.dir, '.tmp', randomUUID());
      const handle = await open(temporary, 'w');
      try {
        await handle.write(Buffer.from(`${JSON.stringify(meta)}\n`));
        for (const part of parts) {
          if (typeof part !== 'string') await handle.write(part);
          else for await (const chunk of createReadStream(part)) await handle.write(chunk as Buffer);
        }
        await handle.sync();
      } finally {
        await handle.close();
        await removeFiles();
      }
      await rename(temporary, target);
      await syncDirectory(path.dirname(target));
      state.objects.set(meta.key, { meta });
      state.sorted = undefined;
    });
  }

  /** Resolves true when an object was removed. */
  deleteObject(bucket: string, key: string): Promise<boolean> {
    return this.serialize(bucket, key, async () => {
      const state = this.buckets.get(bucket);
      if (!state?.objects.has(key)) return false;
      if (this.dir) {
        const file = this.objectFile(bucket, key);
        await unlink(file).catch(() => undefined);
        await syncDirectory(path.dirname(file));
      }
      state.objects.delete(key);
      state.sorted = undefined;
      return true;
    });
  }

  /** Waits for writes in flight. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }

  private serialize<T>(bucket: string, key: string, write: () => Promise<T>): Promise<T> {
    const id = `${bucket}/${key}`;
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous.then(write, write);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.writes.set(id, settled);
    void settled.then(() => {
      if (this.writes.get(id) === settled) this.writes.delete(id);
    });
    return next;
  }

  private bucketDir(name: string): string {
    return path.join(this.dir ?? '', 'buckets', name);
  }

  /** Keys may hold any character and 1,024 bytes: files are named by the key's SHA-256. */
  private objectFile(bucket: string, key: string): string {
    const hash = createHash('sha256').update(key).digest('hex');
    return path.join(this.bucketDir(bucket), 'objects', hash.slice(0, 2), hash);
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.createdDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    await syncDirectory(path.dirname(dir));
    this.createdDirs.add(dir);
  }

  private async writeAtomically(file: string, chunks: Buffer[]): Promise<void> {
    const temporary = path.join(this.dir ?? '', '.tmp', randomUUID());
    const handle = await open(temporary, 'w');
    try {
      await handle.writev(chunks);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    await syncDirectory(path.dirname(file));
  }

  private async load(dir: string): Promise<void> {
    mkdirSync(path.join(dir, 'buckets'), { recursive: true });
    // Leftovers of writes a crash interrupted: never acknowledged, so never visible.
    await rm(path.join(dir, '.tmp'), { recursive: true, force: true });
    await mkdir(path.join(dir, '.tmp'), { recursive: true });
    for (const name of await readdir(path.join(dir, 'buckets'))) {
      const bucketDir = path.join(dir, 'buckets', name);
      let record: BucketRecord;
      const recordFile = path.join(bucketDir, 'bucket.json');
      try {
        record = JSON.parse(await readFile(recordFile, 'utf8')) as BucketRecord;
        if (typeof record.name !== 'string') throw new Error('no name');
      } catch {
        this.damaged.push(
          new DamagedStateError(
            recordFile,
            `is not a bucket record local-cloud can read, so bucket "${name}" and its objects are not served`,
            `restore it, or move the bucket's folder aside (mv "${bucketDir}" "${bucketDir}.damaged") and start again: a bucket the service declares is made again, empty`,
          ),
        );
        continue;
      }
      const state: BucketState = { record, objects: new Map() };
      this.buckets.set(name, state);
      const objectsDir = path.join(bucketDir, 'objects');
      const shards = await readdir(objectsDir).catch(() => [] as string[]);
      await Promise.all(
        shards.map(async (shard) => {
          const shardDir = path.join(objectsDir, shard);
          this.createdDirs.add(shardDir);
          for (const file of await readdir(shardDir)) {
            const objectFile = path.join(shardDir, file);
            const handle = await open(objectFile, 'r');
            const damaged = (problem: string) =>
              new DamagedStateError(
                objectFile,
                problem,
                moveAsideFix(objectFile, `the object is gone from bucket "${name}"; upload it again`),
              );
            try {
              const { meta, dataOffset } = await readHeader(handle).catch(() => {
                throw damaged('is not an object file local-cloud can read, so it is not served');
              });
              const { size } = await handle.stat();
              if (size !== dataOffset + meta.size) {
                throw damaged(
                  `holds ${Math.max(0, size - dataOffset)} bytes of object "${meta.key}", whose size is ${meta.size}, so it is not served`,
                );
              }
              state.objects.set(meta.key, { meta });
            } catch (error) {
              if (!(error instanceof DamagedStateError)) throw error;
              this.damaged.push(error);
            } finally {
              await handle.close();
            }
          }
        }),
      );
    }
  }
}

async function readHeader(handle: FileHandle): Promise<{ meta: ObjectMetadata; dataOffset: number }> {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const buffer = Buffer.alloc(16 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) throw new Error('object file without a header');
    const chunk = buffer.subarray(0, bytesRead);
    const newline = chunk.indexOf(10);
    if (newline !== -1) {
      chunks.push(chunk.subarray(0, newline));
      const headerText = Buffer.concat(chunks).toString('utf8');
      return { meta: JSON.parse(headerText) as ObjectMetadata, dataOffset: position + newline + 1 };
    }
    chunks.push(chunk);
    position += bytesRead;
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename itself is still atomic there.
  } finally {
    await handle?.close();
  }
}

/** S3 lists keys in the order of their UTF-8 bytes (JavaScript compares UTF-16 code units). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
