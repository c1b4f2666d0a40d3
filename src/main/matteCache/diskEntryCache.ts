/**
 * Values kept on disk by key, one file each, in one folder capped in bytes (the least recently used files go first;
 * recency lives in the files' mtimes, so it survives restarts). Writes go to a temporary name and are renamed into
 * place; a file that is damaged, truncated or written for another key is ignored (and removed), and its value is
 * simply computed again. What a file holds is the codec's business (`frameEntry`/`unframeEntry` give the common
 * framing). The matte cache (`diskMatteCache.ts`) and the scrub layers' small mattes (`scrubAlphaCache.ts`) use it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolder } from '../files/makeFolder';

/** Files looked at together while the folder's index is built. */
const indexBatchSize = 64;

/** How values become file bytes and back. */
export interface EntryCodec<Value> {
  /** The file name extension, with its dot; other files in the folder are left alone. */
  readonly extension: string;
  encode(key: string, value: Value): Promise<Buffer>;
  /** The value, or undefined when the bytes are damaged or were written for another key. May reject (= damaged). */
  decode(bytes: Buffer, key: string): Promise<Value | undefined>;
}

/** Where a cache built on {@link DiskEntryCache} lives, how large it may grow, and who hears its failures. */
export interface CacheSubfolderOptions {
  /** The user cache folder; each cache keeps its files in its own subfolder of it. @default `defaultCacheFolder()` */
  folder?: string;
  /** Most bytes of files kept; the least recently used go first. */
  maxBytes?: number;
  /** Hears write and eviction failures (a full disk is not the caller's error), for the log. */
  onError?: (error: unknown) => void;
}

/** Options of {@link DiskEntryCache}. */
export interface DiskEntryCacheOptions<Value> {
  folder: string;
  /** Most bytes of files kept. */
  maxBytes: number;
  codec: EntryCodec<Value>;
  /** Hears write and eviction failures (a full disk is not the caller's error), for the log. */
  onError?: (error: unknown) => void;
}

interface FileEntry {
  bytes: number;
  usedMs: number;
}

/** `magic | u32 header length | header JSON (with the key) | payload`. */
export function frameEntry(magic: Buffer, header: { key: string } & Record<string, unknown>, payload: Buffer | Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.byteLength);
  return Buffer.concat([magic, length, json, payload]);
}

/** The header (parsed JSON, to be checked by the caller) and payload of a framed entry, if it is one for `key`. */
export function unframeEntry(bytes: Buffer, magic: Buffer, key: string): { header: Record<string, unknown>; payload: Buffer } | undefined {
  if (bytes.byteLength < magic.byteLength + 4 || !bytes.subarray(0, magic.byteLength).equals(magic)) return undefined;
  const headerLength = bytes.readUInt32LE(magic.byteLength);
  const headerStart = magic.byteLength + 4;
  if (headerStart + headerLength > bytes.byteLength) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || (header as { key?: unknown }).key !== key) return undefined;
  return { header: header as Record<string, unknown>, payload: bytes.subarray(headerStart + headerLength) };
}

/** Values on disk, by key. Every method resolves; failures mean "not cached". */
export class DiskEntryCache<Value> {
  readonly folder: string;
  private readonly maxBytes: number;
  private index: Promise<Map<string, FileEntry>> | undefined;
  private totalBytes = 0;
  /** The write in flight per file, so two writes of one key land in the order they were asked for. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(private readonly options: DiskEntryCacheOptions<Value>) {
    this.folder = options.folder;
    this.maxBytes = options.maxBytes;
  }

  /** True when a file for the key exists (it may still turn out damaged when read). */
  async has(key: string): Promise<boolean> {
    return (await this.entries()).has(this.fileNameOf(key));
  }

  /** The matte stored under `key`, or undefined when absent or damaged (a damaged file is removed). */
  async get(key: string): Promise<Value | undefined> {
    const name = this.fileNameOf(key);
    const path = join(this.folder, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      (await this.entries()).delete(name);
      return undefined;
    }
    const value = await this.options.codec.decode(bytes, key).catch(() => undefined);
    if (value === undefined) {
      await this.remove(name);
      return undefined;
    }
    const now = Date.now();
    // A hit does not wait for the folder's index (the first one of a session would wait for the whole folder to be
    // listed, about 0.1 s for a full cache on the 2-core VM): its recency is noted once the index is there.
    void this.entries().then((entries) => {
      const entry = entries.get(name);
      if (entry) entry.usedMs = now;
    });
    // Recency lives in the file's mtime, so it survives restarts; a failed touch only makes eviction less exact.
    utimes(path, now / 1000, now / 1000).catch(() => {});
    return value;
  }

  /** Stores a value under `key` (atomically), then evicts down to the size cap; the last call for a key wins. */
  set(key: string, value: Value): Promise<void> {
    const name = this.fileNameOf(key);
    const write = (this.writing.get(name) ?? Promise.resolve()).then(() => this.write(name, key, value));
    this.writing.set(name, write);
    void write.finally(() => {
      if (this.writing.get(name) === write) this.writing.delete(name);
    });
    return write;
  }

  private async write(name: string, key: string, value: Value): Promise<void> {
    const temporary = join(this.folder, `${name}.${randomUUID()}.tmp`);
    try {
      const entries = await this.entries();
      const bytes = await this.options.codec.encode(key, value);
      await makeFolder(this.folder);
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(bytes);
      } finally {
        await file.close();
      }
      await rename(temporary, join(this.folder, name));
      this.totalBytes += bytes.byteLength - (entries.get(name)?.bytes ?? 0);
      entries.set(name, { bytes: bytes.byteLength, usedMs: Date.now() });
      await this.evict(entries);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => {});
      this.options.onError?.(error);
    }
  }

  /** Removes the entry of `key`. */
  async delete(key: string): Promise<void> {
    await this.remove(this.fileNameOf(key));
  }

  /** Bytes of files the cache knows of. */
  async size(): Promise<number> {
    await this.entries();
    return this.totalBytes;
  }

  private async remove(name: string): Promise<void> {
    const entries = await this.entries();
    const entry = entries.get(name);
    entries.delete(name);
    if (entry) this.totalBytes -= entry.bytes;
    await rm(join(this.folder, name), { force: true }).catch((error: unknown) => this.options.onError?.(error));
  }

  private async evict(entries: Map<string, FileEntry>): Promise<void> {
    if (this.totalBytes <= this.maxBytes) return;
    // Down to 90% of the cap, so a full cache does not evict on every single write.
    const target = this.maxBytes * 0.9;
    const oldestFirst = [...entries].sort((a, b) => a[1].usedMs - b[1].usedMs);
    for (const [name] of oldestFirst) {
      if (this.totalBytes <= target || entries.size <= 1) break;
      await this.remove(name);
    }
  }

  /** The folder's files, read once (another process may add or remove files meanwhile; both are tolerated). */
  private entries(): Promise<Map<string, FileEntry>> {
    this.index ??= (async () => {
      const entries = new Map<string, FileEntry>();
      const names = await readdir(this.folder).catch(() => [] as string[]);
      const look = async (name: string) => {
        const path = join(this.folder, name);
        if (name.endsWith('.tmp')) {
          // Left by a process that stopped mid-write.
          await rm(path, { force: true }).catch(() => {});
          return;
        }
        if (!name.endsWith(this.options.codec.extension)) return;
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) return;
        entries.set(name, { bytes: info.size, usedMs: info.mtimeMs });
        this.totalBytes += info.size;
      };
      // Several files at a time: one after another, a full cache (thousands of files) took about 0.12 s to list.
      for (let start = 0; start < names.length; start += indexBatchSize) await Promise.all(names.slice(start, start + indexBatchSize).map(look));
      return entries;
    })();
    return this.index;
  }

  /** The file name of a key: its SHA-256 (keys hold paths, which must not shape file names). */
  private fileNameOf(key: string): string {
    return `${createHash('sha256').update(key).digest('hex')}${this.options.codec.extension}`;
  }
}
