import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TieredMatte } from '../pipeline/computeMatte';
import { DiskMatteCache } from './diskMatteCache';

/** A matte with awkward values: 0, 1, subnormals, values just below 1, a ramp, noise. */
function sampleMatte(width: number, height: number, seed: number): TieredMatte {
  const data = new Float32Array(width * height);
  let state = seed;
  for (let index = 0; index < data.length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[index] = index % 7 === 0 ? 0 : index % 11 === 0 ? 1 : index % 13 === 0 ? 1e-40 : index % 17 === 0 ? 0.99999994 : state / 2 ** 32;
  }
  return { matte: { width, height, channels: 1, data }, tier: 1, model: 'isnet-fp16', ep: 'cpu', fallbackReasons: ['a reason'], providerNotes: ['cuda could not start (no driver); running on cpu'] };
}

describe('DiskMatteCache', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'disk-matte-cache-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('round-trips a matte bit for bit, across instances, and compresses it', async () => {
    const tiered = sampleMatte(97, 61, 1);
    await new DiskMatteCache({ folder }).set('key-a', tiered);
    const reopened = new DiskMatteCache({ folder });
    expect(await reopened.has('key-a')).toBe(true);
    const read = await reopened.get('key-a');
    expect(read).toBeDefined();
    expect(Buffer.from(read!.matte.data.buffer).equals(Buffer.from(tiered.matte.data.buffer))).toBe(true);
    expect({ ...read!, matte: undefined }).toEqual({ ...tiered, matte: undefined });
    expect([read!.matte.width, read!.matte.height, read!.matte.channels]).toEqual([97, 61, 1]);
    expect(await reopened.get('key-b')).toBeUndefined();
    // A smooth matte (the usual case) shrinks well below its 4 bytes per pixel.
    const smooth = new Float32Array(256 * 256).map((_, index) => ((index % 256) > 128 ? 1 : (index % 256) / 128));
    await reopened.set('smooth', { ...tiered, matte: { width: 256, height: 256, channels: 1, data: smooth } });
    const files = await readdir(join(folder, 'mattes'));
    const sizes = await Promise.all(files.map(async (name) => (await stat(join(folder, 'mattes', name))).size));
    expect(Math.min(...sizes)).toBeLessThan(smooth.byteLength / 4);
  });

  it('two writes of one key land in the order they were asked for, even when the first takes longer', async () => {
    const cache = new DiskMatteCache({ folder });
    // The first matte is large and noisy (slow to deflate); the second small; the second must still be what stays.
    const slow = cache.set('key', sampleMatte(1500, 1500, 3));
    const fast = cache.set('key', sampleMatte(8, 8, 4));
    await Promise.all([slow, fast]);
    const read = await new DiskMatteCache({ folder }).get('key');
    expect([read?.matte.width, read?.matte.height]).toEqual([8, 8]);
    expect(await readdir(join(folder, 'mattes'))).toHaveLength(1);
  });

  it('writes many mattes at once and in turn, each bit for bit (the split planes are reused between writes, never shared)', async () => {
    const cache = new DiskMatteCache({ folder });
    // Side by side: six writes in flight, so buffers are taken while others are still being deflated.
    const atOnce = Array.from({ length: 6 }, (_, index) => sampleMatte(300, 200, 10 + index));
    await Promise.all(atOnce.map((tiered, index) => cache.set(`at-once-${index}`, tiered)));
    // In turn, large then smaller: a reused buffer still holds the larger matte's planes beyond the smaller one's.
    const inTurn = [sampleMatte(400, 300, 20), sampleMatte(50, 40, 21), sampleMatte(300, 200, 22)];
    for (const [index, tiered] of inTurn.entries()) await cache.set(`in-turn-${index}`, tiered);
    const reopened = new DiskMatteCache({ folder });
    for (const [prefix, written] of [['at-once', atOnce], ['in-turn', inTurn]] as const) {
      for (const [index, tiered] of written.entries()) {
        const read = await reopened.get(`${prefix}-${index}`);
        expect(read && Buffer.from(read.matte.data.buffer).equals(Buffer.from(tiered.matte.data.buffer)), `${prefix}-${index}`).toBe(true);
      }
    }
  });

  it('ignores and removes damaged, truncated and foreign entries', async () => {
    const cache = new DiskMatteCache({ folder });
    await cache.set('key', sampleMatte(32, 32, 2));
    const [name] = await readdir(join(folder, 'mattes'));
    const path = join(folder, 'mattes', name!);
    const bytes = await readFile(path);

    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 20]! ^= 0xff;
    await writeFile(path, flipped);
    expect(await new DiskMatteCache({ folder }).get('key')).toBeUndefined();
    expect(await readdir(join(folder, 'mattes'))).toEqual([]);

    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    expect(await new DiskMatteCache({ folder }).get('key')).toBeUndefined();

    // The right bytes under the wrong name (another key) are not served either.
    await writeFile(path, bytes);
    const other = new DiskMatteCache({ folder });
    await other.set('other', sampleMatte(8, 8, 3));
    const otherName = (await readdir(join(folder, 'mattes'))).find((entry) => entry !== name)!;
    await writeFile(join(folder, 'mattes', otherName), bytes);
    expect(await new DiskMatteCache({ folder }).get('other')).toBeUndefined();
    expect(await new DiskMatteCache({ folder }).get('key')).toBeDefined();
  });

  it('removes temporary files left by a process that stopped mid-write', async () => {
    const cache = new DiskMatteCache({ folder });
    await cache.set('key', sampleMatte(8, 8, 4));
    await writeFile(join(folder, 'mattes', 'abc.matte.1234.tmp'), 'partial');
    await new DiskMatteCache({ folder }).has('key');
    expect((await readdir(join(folder, 'mattes'))).some((entry) => entry.endsWith('.tmp'))).toBe(false);
  });

  it('keeps under its size cap by evicting the least recently used entries', async () => {
    const probe = new DiskMatteCache({ folder: join(folder, 'probe') });
    await probe.set('probe', sampleMatte(64, 64, 5));
    const entryBytes = await probe.size();
    const cache = new DiskMatteCache({ folder, maxBytes: entryBytes * 3.5 });
    for (const [index, key] of ['a', 'b', 'c'].entries()) await cache.set(key, sampleMatte(64, 64, 10 + index));
    // All three last used a minute ago; reading "a" makes it the most recent, then a fourth entry overflows the cap.
    const old = new Date(Date.now() - 60_000);
    const reopened = new DiskMatteCache({ folder, maxBytes: entryBytes * 3.5 });
    for (const name of await readdir(join(folder, 'mattes'))) await utimes(join(folder, 'mattes', name), old, old);
    expect(await reopened.get('a')).toBeDefined();
    await reopened.set('d', sampleMatte(64, 64, 20));
    expect(await reopened.size()).toBeLessThanOrEqual(entryBytes * 3.5);
    expect(await reopened.has('a')).toBe(true);
    expect(await reopened.has('d')).toBe(true);
    expect((await reopened.has('b')) && (await reopened.has('c'))).toBe(false);
    expect((await readdir(join(folder, 'mattes'))).length).toBeLessThan(4);
  });
});
