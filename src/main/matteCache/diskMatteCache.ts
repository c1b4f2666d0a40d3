/**
 * The on-disk half of the matte cache: one file per matte in the user cache folder, so a clip matted once is not
 * matted again after a restart. Files hold the model's Float32 matte losslessly (byte planes split, then deflated), so
 * a cached matte is bit-identical to a fresh one. Storage (atomic writes, damaged files ignored, the size cap) is
 * `diskEntryCache.ts`'s.
 */
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { z } from 'zod';
import type { TieredMatte } from '../pipeline/computeMatte';
import { readEnvironment } from '../environment';
import { withPlaneScratch } from './planeScratch';
import { DiskEntryCache, frameEntry, unframeEntry, type CacheSubfolderOptions, type EntryCodec } from './diskEntryCache';

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

/** Options of {@link DiskMatteCache}: mattes go in the `mattes` subfolder; `maxBytes` defaults to 2 GiB. */
export type DiskMatteCacheOptions = CacheSubfolderOptions;

/** Mattes on disk, by key. Every method resolves; failures mean "not cached". */
export class DiskMatteCache extends DiskEntryCache<TieredMatte> {
  constructor(options: DiskMatteCacheOptions = {}) {
    super({ folder: join(options.folder ?? defaultCacheFolder(), 'mattes'), maxBytes: options.maxBytes ?? 2 * 1024 * 1024 * 1024, codec: matteCodec, onError: options.onError });
  }
}

/** A file: `frameEntry` with the matte's size and provenance in the header, then deflate(byte planes of the Float32 samples). */
const matteCodec: EntryCodec<TieredMatte> = {
  extension: '.matte',
  async encode(key, tiered) {
    const { matte } = tiered;
    const header = { key, width: matte.width, height: matte.height, tier: tiered.tier, model: tiered.model, ep: tiered.ep, fallbackReasons: tiered.fallbackReasons, providerNotes: tiered.providerNotes, quality: tiered.quality };
    const samples = new Uint8Array(matte.data.buffer, matte.data.byteOffset, matte.data.byteLength);
    const payload = await withPlaneScratch(samples.byteLength, (planes) => deflateAsync(splitPlanes(samples, planes), { level: 1 }));
    return frameEntry(magic, header, payload);
  },
  async decode(bytes, key) {
    const entry = unframeEntry(bytes, magic, key);
    const parsed = entry && headerSchema.safeParse(entry.header);
    if (!entry || !parsed?.success) return undefined;
    const header = parsed.data;
    // zlib's Adler-32 trailer catches damaged payloads; the length check catches a short one.
    const planes = await inflateAsync(entry.payload);
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
  },
};

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
