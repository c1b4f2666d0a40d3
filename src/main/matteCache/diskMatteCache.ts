/**
 * The on-disk half of the matte cache: one file per matte in the user cache folder, so a clip matted once is not
 * matted again after a restart. Files hold the model's Float32 matte losslessly (byte planes split, then deflated), so
 * a cached matte is bit-identical to a fresh one. Writes go to a temporary name and are renamed into place; a file
 * that is damaged, truncated or written for another key is ignored (and removed), and the matte is simply computed
 * again. The folder is capped in bytes: the least recently used files go first.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { z } from 'zod';
import type { TieredMatte } from '../pipeline/computeMatte';
import { readEnvironment } from '../environment';
import { withPlaneScratch } from './planeScratch';
import { makeFolder } from '../files/makeFolder';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/** First bytes of every cache file (format version 1). */
const magic = Buffer.from('MSMATTE1', 'latin1');

const headerSchema = z.object({
  key: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  model: z.string(),
  ep: z.string(),
  fallbackReasons: z.array(z.string()),
  providerNotes: z.array(z.string()).optional(),
  quality: z.literal('draft').optional(),
});

/** The user cache folder: `MATTE_STUDIO_CACHE_DIR`, else `~/.matte-studio/cache`. */
export function defaultCacheFolder(): string {
  return readEnvironment().cacheDir;
}

/** Options of {@link DiskMatteCache}. */
export interface DiskMatteCacheOptions {
  /** The cache folder; mattes go in its `mattes` subfolder. @default {@link defaultCacheFolder} */
  folder?: string;
  /** Most bytes of matte files kept; the least recently used go first. @default 2 GiB */
  maxBytes?: number;
  /** Hears write and eviction failures (a full disk is not the caller's error), for the log. */
  onError?: (error: unknown) => void;
}

interface FileEntry {
  bytes: number;
  usedMs: number;
}

/** Mattes on disk, by key. Every method resolves; failures mean "not cached". */
export class DiskMatteCache {
  readonly folder: string;
  private readonly maxBytes: number;
  private index: Promise<Map<string, FileEntry>> | undefined;
  private totalBytes = 0;
  /** The write in flight per file, so two writes of one key land in the order they were asked for. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(private readonly options: DiskMatteCacheOptions = {}) {
    this.folder = join(options.folder ?? defaultCacheFolder(), 'mattes');
    this.maxBytes = options.maxBytes ?? 2 * 1024 * 1024 * 1024;
  }

  /** True when a file for the key exists (it may still turn out damaged when read). */
  async has(key: string): Promise<boolean> {
    return (await this.entries()).has(fileNameOf(key));
  }

  /** The matte stored under `key`, or undefined when absent or damaged (a damaged file is removed). */
  async get(key: string): Promise<TieredMatte | undefined> {
    const name = fileNameOf(key);
    const path = join(this.folder, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      (await this.entries()).delete(name);
      return undefined;
    }
    const tiered = await decodeEntry(bytes, key);
    if (!tiered) {
      await this.remove(name);
      return undefined;
    }
    const entry = (await this.entries()).get(name);
    const now = Date.now();
    if (entry) entry.usedMs = now;
    // Recency lives in the file's mtime, so it survives restarts; a failed touch only makes eviction less exact.
    utimes(path, now / 1000, now / 1000).catch(() => {});
    return tiered;
  }

  /** Stores a matte under `key` (atomically), then evicts down to the size cap; the last call for a key wins. */
  set(key: string, tiered: TieredMatte): Promise<void> {
    const name = fileNameOf(key);
    const write = (this.writing.get(name) ?? Promise.resolve()).then(() => this.write(name, key, tiered));
    this.writing.set(name, write);
    void write.finally(() => {
      if (this.writing.get(name) === write) this.writing.delete(name);
    });
    return write;
  }

  private async write(name: string, key: string, tiered: TieredMatte): Promise<void> {
    const temporary = join(this.folder, `${name}.${randomUUID()}.tmp`);
    try {
      const entries = await this.entries();
      const bytes = await encodeEntry(key, tiered);
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
    await this.remove(fileNameOf(key));
  }

  /** Bytes of matte files the cache knows of. */
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
      for (const name of names) {
        const path = join(this.folder, name);
        if (name.endsWith('.tmp')) {
          // Left by a process that stopped mid-write.
          await rm(path, { force: true }).catch(() => {});
          continue;
        }
        if (!name.endsWith('.matte')) continue;
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) continue;
        entries.set(name, { bytes: info.size, usedMs: info.mtimeMs });
        this.totalBytes += info.size;
      }
      return entries;
    })();
    return this.index;
  }
}

/** The file name of a key: its SHA-256 (keys hold paths, which must not shape file names). */
function fileNameOf(key: string): string {
  return `${createHash('sha256').update(key).digest('hex')}.matte`;
}

/** `magic | u32 header length | header JSON | deflate(byte planes of the Float32 samples)`. */
async function encodeEntry(key: string, tiered: TieredMatte): Promise<Buffer> {
  const { matte } = tiered;
  const header = Buffer.from(JSON.stringify({ key, width: matte.width, height: matte.height, tier: tiered.tier, model: tiered.model, ep: tiered.ep, fallbackReasons: tiered.fallbackReasons, providerNotes: tiered.providerNotes, quality: tiered.quality }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  const samples = new Uint8Array(matte.data.buffer, matte.data.byteOffset, matte.data.byteLength);
  const payload = await withPlaneScratch(samples.byteLength, (planes) => deflateAsync(splitPlanes(samples, planes), { level: 1 }));
  return Buffer.concat([magic, length, header, payload]);
}

async function decodeEntry(bytes: Buffer, key: string): Promise<TieredMatte | undefined> {
  try {
    if (bytes.byteLength < magic.byteLength + 4 || !bytes.subarray(0, magic.byteLength).equals(magic)) return undefined;
    const headerLength = bytes.readUInt32LE(magic.byteLength);
    const headerStart = magic.byteLength + 4;
    if (headerStart + headerLength > bytes.byteLength) return undefined;
    const parsed = headerSchema.safeParse(JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString('utf8')));
    if (!parsed.success || parsed.data.key !== key) return undefined;
    const header = parsed.data;
    // zlib's Adler-32 trailer catches damaged payloads; the length check catches a short one.
    const planes = await inflateAsync(bytes.subarray(headerStart + headerLength));
    if (planes.byteLength !== header.width * header.height * 4) return undefined;
    const data = new Float32Array(header.width * header.height);
    joinPlanes(planes, new Uint8Array(data.buffer));
    return {
      matte: { width: header.width, height: header.height, channels: 1, data },
      tier: header.tier,
      model: header.model,
      ep: header.ep as TieredMatte['ep'],
      fallbackReasons: header.fallbackReasons,
      ...(header.providerNotes ? { providerNotes: header.providerNotes } : {}),
      ...(header.quality ? { quality: header.quality } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Byte `b` of every 4-byte sample goes to plane `b`: exponents and high mantissa bytes of neighbouring samples repeat,
 * so the planes deflate far better than interleaved floats. Lossless; the sample bytes keep the platform's order.
 */
function splitPlanes(samples: Uint8Array, planes: Uint8Array): Uint8Array {
  const count = samples.length / 4;
  for (let index = 0; index < count; index++) {
    planes[index] = samples[index * 4]!;
    planes[count + index] = samples[index * 4 + 1]!;
    planes[2 * count + index] = samples[index * 4 + 2]!;
    planes[3 * count + index] = samples[index * 4 + 3]!;
  }
  return planes;
}

function joinPlanes(planes: Uint8Array, samples: Uint8Array): void {
  const count = samples.length / 4;
  for (let index = 0; index < count; index++) {
    samples[index * 4] = planes[index]!;
    samples[index * 4 + 1] = planes[count + index]!;
    samples[index * 4 + 2] = planes[2 * count + index]!;
    samples[index * 4 + 3] = planes[3 * count + index]!;
  }
}
