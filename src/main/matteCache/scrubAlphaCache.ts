/**
 * The scrub layers' mattes on disk: each frame's model matte already resized to the clip's proxy size, one byte per
 * pixel (a 640×360 proxy: 230 KB raw, a few tens of KB deflated, against the model's 4 MiB Float32 matte). Playback
 * reads thirty a second; from here a layer costs a small read and an inflate, across restarts too, instead of
 * inflating and resizing the full matte.
 */
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { z } from 'zod';
import { matteProvenanceSchema, type MatteProvenance } from '../../shared/contract/studioContract';
import { DiskEntryCache, frameEntry, unframeEntry, type CacheSubfolderOptions, type EntryCodec } from './diskEntryCache';
import { defaultCacheFolder } from './diskMatteCache';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/** First bytes of every file (format version 1). */
const magic = Buffer.from('MSSCRUB1', 'latin1');

/** A frame's matte at proxy size. */
export interface ScrubAlpha {
  width: number;
  height: number;
  /** `width × height` bytes, 0–255. */
  alpha: Uint8Array;
  provenance: MatteProvenance;
}

const headerSchema = z.object({ key: z.string(), width: z.number().int().positive(), height: z.number().int().positive(), provenance: matteProvenanceSchema });

const scrubAlphaCodec: EntryCodec<ScrubAlpha> = {
  extension: '.scrub',
  async encode(key, { width, height, alpha, provenance }) {
    return frameEntry(magic, { key, width, height, provenance }, await deflateAsync(alpha, { level: 1 }));
  },
  async decode(bytes, key) {
    const entry = unframeEntry(bytes, magic, key);
    const parsed = entry && headerSchema.safeParse(entry.header);
    if (!entry || !parsed?.success) return undefined;
    const { width, height, provenance } = parsed.data;
    const alpha = await inflateAsync(entry.payload);
    if (alpha.byteLength !== width * height) return undefined;
    return { width, height, alpha: new Uint8Array(alpha.buffer, alpha.byteOffset, alpha.byteLength), provenance };
  },
};

/** Proxy-size mattes on disk, by key, in the `scrub` subfolder; `maxBytes` defaults to 512 MiB. */
export class ScrubAlphaCache extends DiskEntryCache<ScrubAlpha> {
  constructor(options: CacheSubfolderOptions = {}) {
    super({ folder: join(options.folder ?? defaultCacheFolder(), 'scrub'), maxBytes: options.maxBytes ?? 512 * 1024 * 1024, codec: scrubAlphaCodec, onError: options.onError });
  }
}
