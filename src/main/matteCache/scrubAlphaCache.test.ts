import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScrubAlphaCache, type ScrubAlpha } from './scrubAlphaCache';

const sample = (width: number, height: number): ScrubAlpha => ({
  width,
  height,
  alpha: Uint8Array.from({ length: width * height }, (_, index) => (index * 37) % 256),
  provenance: { tier: 1, model: 'isnet-fp16', ep: 'cpu', fallbackReasons: [], quality: 'draft' },
});

describe('ScrubAlphaCache', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'scrub-alpha-cache-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('round-trips a resized matte byte for byte with its provenance, across instances', async () => {
    const scrub = sample(33, 21);
    await new ScrubAlphaCache({ folder }).set('frame-3', scrub);
    const read = await new ScrubAlphaCache({ folder }).get('frame-3');
    expect(read).toMatchObject({ width: 33, height: 21, provenance: scrub.provenance });
    expect(Buffer.compare(Buffer.from(read!.alpha), Buffer.from(scrub.alpha))).toBe(0);
    expect(await new ScrubAlphaCache({ folder }).get('frame-4')).toBeUndefined();
  });

  it('ignores and removes a damaged file, and never serves one entry for another key', async () => {
    const cache = new ScrubAlphaCache({ folder });
    await cache.set('frame-1', sample(8, 8));
    const [name] = await readdir(join(folder, 'scrub'));
    const bytes = await readFile(join(folder, 'scrub', name!));
    // The entry for frame-1 copied under frame-2's file name: the key in its header gives it away.
    await new ScrubAlphaCache({ folder }).set('frame-2', sample(8, 8));
    const other = (await readdir(join(folder, 'scrub'))).find((candidate) => candidate !== name)!;
    await writeFile(join(folder, 'scrub', other), bytes);
    const fresh = new ScrubAlphaCache({ folder });
    expect(await fresh.get('frame-2')).toBeUndefined();
    await writeFile(join(folder, 'scrub', name!), bytes.subarray(0, bytes.length - 5));
    expect(await fresh.get('frame-1')).toBeUndefined();
    expect(await readdir(join(folder, 'scrub'))).toEqual([]);
  });
});
