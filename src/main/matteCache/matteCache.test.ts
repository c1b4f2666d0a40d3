import { copyFile, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refinementSettingsSchema } from '../../shared/settings';
import { createEngine, type Engine } from '../engine';
import { fixture, hasBundledModels, hasFixtures, missingFixturesReason, missingModelsReason } from '../testing/fixtures';
import { DiskMatteCache } from './diskMatteCache';
import { ItemRegistry, type StudioItem } from '../handlers/itemRegistry';
import { MatteCache } from './matteCache';
import { PreviewRenderer } from '../handlers/previewRenderer';
import { SourceFrames } from '../handlers/sourceFrames';
import { countModelRuns, isSameMatte, type ModelRunCounter } from '../handlers/testing/countModelRuns';

const ready = hasFixtures && hasBundledModels;
if (!ready) console.warn(hasFixtures ? missingModelsReason : missingFixturesReason);

describe.skipIf(!ready)('MatteCache (bundled model, memory + disk)', () => {
  let engine: Engine;
  let runs: ModelRunCounter;
  let folder: string;
  let picture: string;
  let item: StudioItem;
  const lifetime = new AbortController();
  const sources = new SourceFrames(lifetime.signal);
  const caches: MatteCache[] = [];
  const newCache = () => {
    const cache = new MatteCache(engine, sources, { disk: new DiskMatteCache({ folder: join(folder, 'cache') }) });
    caches.push(cache);
    return cache;
  };
  // A cache writes to disk after answering; a write left running by one test must not land over the next test's
  // entries (CI once saw a previous test's matte replace the one this test had just stored).
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.flush()));
  });

  beforeAll(async () => {
    engine = createEngine();
    runs = countModelRuns(engine);
    folder = await mkdtemp(join(tmpdir(), 'matte-cache-test-'));
    picture = join(folder, 'portrait.png');
    await copyFile(fixture('portraits/st_people_0_longhair.png'), picture);
    item = await openOne(picture);
  });
  afterAll(async () => {
    lifetime.abort();
    await engine?.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  async function openOne(path: string): Promise<StudioItem> {
    const registry = new ItemRegistry();
    const { items } = await registry.open([path]);
    return registry.get(items[0]!.id);
  }

  it('runs the model once: memory hits, refinement-only preview changes and a new instance reading the disk run none', async () => {
    const cache = newCache();
    const first = await cache.get(item, 0, undefined);
    expect(runs.count).toBe(1);
    expect(first.tier).toBe(1);
    expect(await cache.get(item, 0, undefined)).toBe(first);
    const previews = new PreviewRenderer(sources, cache, engine.kernels);
    const settings = refinementSettingsSchema.parse({});
    await previews.render({ item, frameIndex: 0, settings: { ...settings, radiusPx: 40, spillStrength: 0.8, featherPx: 3 }, maxSide: 200 });
    await previews.render({ item, frameIndex: 0, settings: { ...settings, radiusPx: 10, spillStrength: 0, smoothPx: 2 }, maxSide: 200 });
    expect(runs.count).toBe(1);
    await cache.flush();

    const reopened = newCache();
    const fromDisk = await reopened.get(item, 0, undefined);
    expect(runs.count).toBe(1);
    expect(fromDisk).not.toBe(first);
    expect(isSameMatte(fromDisk.matte, first.matte)).toBe(true);
    expect([fromDisk.tier, fromDisk.model, fromDisk.ep]).toEqual([first.tier, first.model, first.ep]);

    // Naming the best model explicitly is the same key; the export pipeline's store sees the same entry.
    expect(await reopened.get(item, 0, first.model)).toBe(fromDisk);
    const store = newCache().frameStore(item, undefined);
    expect(isSameMatte((await store.get(0))!.matte, first.matte)).toBe(true);
    expect(await store.get(1)).toBeUndefined();
    expect(runs.count).toBe(1);
  });

  it('a fresh run of the model is bit-identical to the cached matte (rerun replaces it)', async () => {
    const cache = newCache();
    const cached = await cache.get(item, 0, undefined);
    const before = runs.count;
    const fresh = await cache.get(item, 0, undefined, { rerun: true });
    expect(runs.count).toBe(before + 1);
    expect(fresh).not.toBe(cached);
    expect(isSameMatte(fresh.matte, cached.matte)).toBe(true);
  });

  it('misses when the source changed (new modification time), so an edited file never serves stale mattes', async () => {
    const cache = newCache();
    await cache.get(item, 0, undefined);
    await cache.flush();
    const before = runs.count;
    const later = new Date(Date.now() + 5_000);
    await utimes(picture, later, later);
    const edited = await openOne(picture);
    expect(edited.stamp).not.toBe(item.stamp);
    expect(await newCache().peek(edited, 0, await cache.modelKey(undefined))).toBeUndefined();
    await newCache().get(edited, 0, undefined);
    expect(runs.count).toBe(before + 1);
    item = edited;
  });

  it('a damaged disk entry is ignored and the matte computed again', async () => {
    const cache = newCache();
    const good = await cache.get(item, 0, undefined);
    await cache.flush();
    const mattesFolder = join(folder, 'cache', 'mattes');
    for (const name of await readdir(mattesFolder)) await writeFile(join(mattesFolder, name), 'MSMATTE1 garbage');
    const before = runs.count;
    const recomputed = await newCache().get(item, 0, undefined);
    expect(runs.count).toBe(before + 1);
    expect(isSameMatte(recomputed.matte, good.matte)).toBe(true);
  });

  it('frameStore keeps what the pipeline computed, for the next cache instance', async () => {
    const cache = newCache();
    const tiered = await cache.get(item, 0, undefined);
    const store = cache.frameStore(item, undefined);
    const shifted = { ...tiered, matte: { ...tiered.matte, data: tiered.matte.data.map((value) => value * 0.5) } };
    await store.set(0, shifted);
    await cache.flush();
    expect(isSameMatte((await newCache().frameStore(item, undefined).get(0))!.matte, shifted.matte)).toBe(true);
    await store.set(0, tiered);
  });

  it('frameStore serves no matte for a file edited since it was opened, and files none under its old stamp', async () => {
    const edited = join(folder, 'edited.png');
    await copyFile(fixture('portraits/st_people_0_longhair.png'), edited);
    const opened = await openOne(edited);
    const cache = newCache();
    await cache.get(opened, 0, undefined);
    expect(await cache.frameStore(opened, undefined).get(0)).toBeDefined();
    // Another picture written over it (as an editor saving the file): the old matte must not come back for it.
    await copyFile(fixture('portraits/deb_grace_hopper.jpg'), edited);
    await utimes(edited, new Date(), new Date(Date.now() + 5000));
    const store = cache.frameStore(opened, undefined);
    expect(await store.get(0)).toBeUndefined();
    const computed = await cache.get(opened, 0, undefined);
    await store.set(0, { ...computed, matte: { ...computed.matte, data: computed.matte.data.map(() => 0.25) } });
    await cache.flush();
    expect(isSameMatte((await cache.get(opened, 0, undefined)).matte, computed.matte)).toBe(true);
  });
});
