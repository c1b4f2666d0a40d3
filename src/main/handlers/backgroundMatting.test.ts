import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MattingCoverage } from '../../shared/contract/studioContract';
import { isStudioError } from '../../shared/errors';
import { createEngine, type Engine } from '../engine';
import { hasFfmpeg, makeTempFolder, missingFfmpegReason } from '../media/testing/mediaTestKit';
import { runFfmpeg } from '../media/runFfmpeg';
import { fixture, hasBundledModels, hasFixtures, missingFixturesReason, missingModelsReason } from '../testing/fixtures';
import { BackgroundMatting } from './backgroundMatting';
import { DiskMatteCache } from '../matteCache/diskMatteCache';
import { ItemRegistry, type StudioItem } from './itemRegistry';
import { MatteCache } from '../matteCache/matteCache';
import { FrameImages } from './frameImages';
import { ScrubLayers } from './scrubLayers';
import { SourceFrames } from './sourceFrames';
import { countModelRuns, isSameMatte, type ModelRunCounter } from './testing/countModelRuns';
import { bodyOf, createStudioHarness } from './testing/studioHarness';

/**
 * A lossless clip of `distinct` different pictures, each shown `repeats` times: what a variable-frame-rate clip
 * decoded on a constant-rate timeline looks like. From the talking-head fixture (a real person, so the model's first
 * tier passes its quality check and each picture is one model run), else a moving test pattern.
 */
async function makeClip(path: string, distinct: number, repeats: number): Promise<string> {
  const source = hasFixtures ? ['-i', fixture('clips/lp_d19_plainwall.mp4')] : ['-f', 'lavfi', '-i', 'testsrc2=s=96x64:r=30'];
  const size = hasFixtures ? 'scale=96:96,' : '';
  await runFfmpeg([...source, '-an', '-vf', `${size}fps=${30 * repeats}`, '-frames:v', String(distinct * repeats), '-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv444p', '-y', path]);
  return path;
}

/** Resolves with the first coverage report that `accept` takes. */
function waitForCoverage(background: BackgroundMatting, itemId: string, accept: (coverage: MattingCoverage) => boolean): Promise<MattingCoverage> {
  return new Promise((resolve) => {
    const current = background.coverage(itemId);
    if (current && accept(current)) return resolve(current);
    const unsubscribe = background.subscribe((coverage) => {
      if (coverage.itemId === itemId && accept(coverage)) {
        unsubscribe();
        resolve(coverage);
      }
    });
  });
}

const isFinished = (coverage: MattingCoverage) => coverage.state === 'done' || coverage.state === 'failed' || coverage.state === 'cancelled';

const ready = hasFfmpeg && hasBundledModels && hasFixtures;
if (!ready) console.warn(!hasFfmpeg ? missingFfmpegReason : !hasBundledModels ? missingModelsReason : missingFixturesReason);

describe.skipIf(!ready)('background matting of clips (bundled model)', () => {
  let engine: Engine;
  let runs: ModelRunCounter;
  let temp: { path: string; remove: () => Promise<void> };
  const lifetime = new AbortController();
  const sources = new SourceFrames(lifetime.signal);
  const cacheFolder = () => join(temp.path, 'cache');
  const newCache = () => new MatteCache(engine, sources, { disk: new DiskMatteCache({ folder: cacheFolder() }) });

  beforeAll(async () => {
    engine = createEngine();
    runs = countModelRuns(engine);
    temp = await makeTempFolder('background-matting-');
  });
  afterAll(async () => {
    lifetime.abort();
    await engine?.dispose();
    await temp?.remove();
  });

  async function openClip(path: string): Promise<StudioItem> {
    const registry = new ItemRegistry();
    const { items } = await registry.open([path]);
    return registry.get(items[0]!.id);
  }

  it('mattes every frame in draft then at full quality, reusing the matte of identical consecutive frames, bit-identical to mattes made on demand', async () => {
    const item = await openClip(await makeClip(join(temp.path, 'repeats.mp4'), 2, 3));
    expect(item.info.frameCount).toBe(6);
    const cache = newCache();
    const background = new BackgroundMatting(cache, lifetime.signal);
    const before = runs.count;
    background.start(item, undefined);
    const finished = await waitForCoverage(background, item.info.id, isFinished);
    expect(finished).toMatchObject({ state: 'done', frameCount: 6, mattedFrames: 6, ranges: [[0, 6]], fullFrames: 6, fullRanges: [[0, 6]] });
    // The bundled tier-1 model takes a smaller input, so each distinct picture runs twice: draft, then full.
    expect(await cache.hasDraft(undefined)).toBe(true);
    expect(background.stats(item.info.id)).toMatchObject({ computedFrames: 4, reusedFrames: 8 });
    expect(runs.count - before).toBe(4);
    await cache.flush();

    // Another instance (a restart) finds every frame on disk; a frame decoded on its own and matted now agrees.
    const reopened = newCache();
    const modelKey = await reopened.modelKey(undefined);
    const stored = await Promise.all(Array.from({ length: 6 }, (_, frameIndex) => reopened.peek(item, frameIndex, modelKey)));
    expect(stored.every(Boolean)).toBe(true);
    expect(isSameMatte(stored[3]!.matte, stored[5]!.matte)).toBe(true);
    expect(isSameMatte(stored[2]!.matte, stored[3]!.matte)).toBe(false);
    const fresh = await new MatteCache(engine, new SourceFrames(lifetime.signal)).get(item, 4, undefined);
    expect(isSameMatte(fresh.matte, stored[4]!.matte)).toBe(true);
    expect(stored[4]!.quality).toBeUndefined();
    // The draft mattes are kept apart, smaller, and marked as draft.
    const draft = await reopened.peek(item, 4, modelKey, 'draft');
    expect(draft?.quality).toBe('draft');
    expect(draft!.matte.width * draft!.matte.height).toBeLessThan(fresh.matte.width * fresh.matte.height);

    // Scrubbing shows the draft where only the draft exists, and the full matte once it exists.
    const scrubCache = new MatteCache(engine, sources);
    const scrub = new ScrubLayers(new FrameImages(lifetime.signal), scrubCache);
    expect(await scrub.render(item, 4)).toBeUndefined();
    await scrubCache.store(item, 4, modelKey, draft!, 'draft');
    expect((await scrub.render(item, 4))?.provenance.quality).toBe('draft');
    await scrubCache.store(item, 4, modelKey, stored[4]!);
    expect((await scrub.render(item, 4))?.provenance.quality).toBe('full');

    // Starting it again with everything cached runs no model.
    const again = new BackgroundMatting(reopened, lifetime.signal);
    const runsBefore = runs.count;
    again.start(item, undefined);
    expect(await waitForCoverage(again, item.info.id, isFinished)).toMatchObject({ state: 'done', mattedFrames: 6 });
    expect(runs.count).toBe(runsBefore);
  });

  it('cancelled mid-clip keeps the frames matted so far valid, and a new pass mattes only the rest', async () => {
    const item = await openClip(await makeClip(join(temp.path, 'distinct.mp4'), 4, 1));
    const cache = newCache();
    const background = new BackgroundMatting(cache, lifetime.signal);
    background.start(item, undefined);
    await waitForCoverage(background, item.info.id, (coverage) => coverage.mattedFrames >= 1);
    expect(background.cancel(item.info.id)).toBe(true);
    const cancelled = await waitForCoverage(background, item.info.id, isFinished);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.mattedFrames).toBeLessThan(4);
    await cache.flush();

    const reopened = newCache();
    const modelKey = await reopened.modelKey(undefined);
    const keptFull: number[] = [];
    const keptAny: number[] = [];
    for (let frameIndex = 0; frameIndex < 4; frameIndex++) {
      if (await reopened.peek(item, frameIndex, modelKey, 'full')) keptFull.push(frameIndex);
      if ((await reopened.peek(item, frameIndex, modelKey, 'full')) || (await reopened.peek(item, frameIndex, modelKey, 'draft'))) keptAny.push(frameIndex);
    }
    for (const [start, end] of cancelled.ranges) for (let frameIndex = start; frameIndex < end; frameIndex++) expect(keptAny).toContain(frameIndex);
    for (const [start, end] of cancelled.fullRanges) for (let frameIndex = start; frameIndex < end; frameIndex++) expect(keptFull).toContain(frameIndex);
    const draftKept = (await reopened.peek(item, 0, modelKey, 'draft'))!;
    expect(draftKept.quality).toBe('draft');

    const resumed = new BackgroundMatting(reopened, lifetime.signal);
    const before = runs.count;
    resumed.start(item, undefined);
    expect(await waitForCoverage(resumed, item.info.id, isFinished)).toMatchObject({ state: 'done', mattedFrames: 4, ranges: [[0, 4]], fullFrames: 4 });
    // Only what was missing ran: the draft sweep for frames with no matte at all, the full sweep for frames without a full one.
    expect(runs.count - before).toBe(4 - keptAny.length + (4 - keptFull.length));
    const fresh = await new MatteCache(engine, new SourceFrames(lifetime.signal)).get(item, 0, undefined);
    expect(isSameMatte(fresh.matte, (await reopened.peek(item, 0, modelKey))!.matte)).toBe(true);
  });

  it('holds back while a user request runs', async () => {
    const item = await openClip(join(temp.path, 'distinct.mp4'));
    const cache = new MatteCache(engine, sources);
    const background = new BackgroundMatting(cache, lifetime.signal);
    let release: () => void = () => {};
    const userRequest = cache.activity.run(() => new Promise<void>((resolve) => (release = resolve)));
    background.start(item, undefined);
    await waitForCoverage(background, item.info.id, (coverage) => coverage.state === 'running');
    // Frames cached in memory by earlier tests do not exist in this memory-only cache: nothing can be matted yet.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(background.coverage(item.info.id)?.mattedFrames).toBe(0);
    release();
    await userRequest;
    await waitForCoverage(background, item.info.id, (coverage) => coverage.mattedFrames >= 1);
    background.cancel(item.info.id);
    await waitForCoverage(background, item.info.id, isFinished);
  });
});

describe.skipIf(!hasFfmpeg)('background matting over the contract and the scrub route (classical tier)', () => {
  it('streams coverage to watchers, serves scrub layers of matted frames only, and cancels', async () => {
    const temp = await makeTempFolder('background-contract-');
    const harness = createStudioHarness({ models: false, backgroundMatting: true, matteCacheFolder: join(temp.path, 'cache') });
    try {
      const path = await makeClip(join(temp.path, 'clip.mp4'), 4, 2);
      const events: MattingCoverage[] = [];
      harness.api.on('onMattingProgress', (event) => events.push(event));
      const watching = new AbortController();
      const watch = harness.api.watchMatting({}, { signal: watching.signal }).catch((error: unknown) => {
        if (!isStudioError(error, 'CANCELLED')) throw error;
      });
      const { items } = await harness.api.openPaths({ paths: [path] });
      const itemId = items[0]!.id;
      await expect.poll(() => events.at(-1)?.state, { timeout: 60_000 }).toBe('done');
      // The classical tier has no draft size: one sweep, every frame at full quality.
      expect(events.at(-1)).toMatchObject({ itemId, frameCount: 8, mattedFrames: 8, ranges: [[0, 8]], fullFrames: 8 });
      expect(events.some((event) => event.state === 'running')).toBe(true);
      expect(await harness.api.getMattingCoverage({ itemId })).toMatchObject({ state: 'done', mattedFrames: 8 });

      const scrub = await harness.media(`/media/scrub/${itemId}/3`);
      expect(scrub.status).toBe(200);
      const { width, height } = items[0]!;
      expect(scrub.headers).toMatchObject({ 'X-Width': String(width), 'X-Height': String(height), 'X-Channels': '1' });
      // The proxy frame's JPEG, then its matte at that size.
      const body = await bodyOf(scrub);
      const jpegBytes = Number(scrub.headers['X-Jpeg-Bytes']);
      expect(body.length).toBe(jpegBytes + width * height);
      expect(await sharp(body.subarray(0, jpegBytes)).metadata()).toMatchObject({ format: 'jpeg', width, height });
      expect(Buffer.compare(body.subarray(0, jpegBytes), await bodyOf(await harness.media(`/media/frame/${itemId}/3`)))).toBe(0);
      expect(new Set(body.subarray(jpegBytes)).size).toBeGreaterThan(1);
      expect((await harness.media(`/media/scrub/${itemId}/8`)).status).toBe(404);

      // Another clip: cancelled before it gets anywhere, its frames have no scrub layer and its coverage says so.
      const other = await makeClip(join(temp.path, 'other.mp4'), 30, 1);
      const opened = await harness.api.openPaths({ paths: [other] });
      const otherId = opened.items[0]!.id;
      await harness.api.cancelBackgroundMatting({ itemId: otherId });
      const coverage = await harness.api.getMattingCoverage({ itemId: otherId });
      expect(coverage?.state).toBe('cancelled');
      if (coverage && coverage.mattedFrames < coverage.frameCount) {
        const missing = coverage.ranges.length === 0 ? 0 : coverage.ranges[0]![0] > 0 ? 0 : coverage.ranges[0]![1];
        expect((await harness.media(`/media/scrub/${otherId}/${missing}`)).status).toBe(404);
      }
      // Looking at a frame of the cancelled clip mattes that frame, and does not restart the pass the user stopped.
      await harness.api.matteItem({ jobId: 'look-at-frame-5', itemId: otherId, frameIndex: 5 });
      expect((await harness.api.getMattingCoverage({ itemId: otherId }))?.state).toBe('cancelled');
      // Resume does restart it.
      await harness.api.startBackgroundMatting({ itemId: otherId });
      expect((await harness.api.getMattingCoverage({ itemId: otherId }))?.state).not.toBe('cancelled');
      await harness.api.cancelBackgroundMatting({ itemId: otherId });
      watching.abort();
      await watch;
      expect(harness.serverErrors).toEqual([]);
    } finally {
      await harness.dispose();
      await temp.remove();
    }
  });

  it('resizes each matte for playback as the pass stores it, and serves those after a restart without the full mattes', async () => {
    const temp = await makeTempFolder('background-scrub-');
    const cacheFolder = join(temp.path, 'cache');
    const path = await makeClip(join(temp.path, 'clip.mp4'), 4, 2);
    const first = createStudioHarness({ models: false, backgroundMatting: true, matteCacheFolder: cacheFolder });
    let layerBefore: Buffer;
    let itemId: string;
    try {
      itemId = (await first.api.openPaths({ paths: [path] })).items[0]!.id;
      await expect.poll(async () => (await first.api.getMattingCoverage({ itemId }))?.state, { timeout: 60_000 }).toBe('done');
      // One small matte per frame, written by the pass itself (no scrub layer was asked for).
      await expect.poll(async () => (await readdir(join(cacheFolder, 'scrub'))).filter((name) => name.endsWith('.scrub')).length).toBe(8);
      layerBefore = await bodyOf(await first.media(`/media/scrub/${itemId}/5`));
      await first.studio.mattes.flush();
    } finally {
      await first.dispose();
    }
    // Mattes cached without small ones (made before they existed, or the small ones evicted): the next pass makes them.
    await rm(join(cacheFolder, 'scrub'), { recursive: true });
    const again = createStudioHarness({ models: false, backgroundMatting: true, matteCacheFolder: cacheFolder });
    try {
      await again.api.openPaths({ paths: [path] });
      await expect.poll(async () => (await readdir(join(cacheFolder, 'scrub')).catch(() => [])).filter((name) => name.endsWith('.scrub')).length, { timeout: 60_000 }).toBe(8);
      await expect.poll(async () => (await again.api.getMattingCoverage({ itemId }))?.state, { timeout: 60_000 }).toBe('done');
    } finally {
      await again.dispose();
    }
    // Without the full mattes, a restarted studio can still play the clip matted: from the small ones alone.
    await rm(join(cacheFolder, 'mattes'), { recursive: true });
    const second = createStudioHarness({ models: false, backgroundMatting: false, matteCacheFolder: cacheFolder });
    try {
      expect((await second.api.openPaths({ paths: [path] })).items[0]!.id).toBe(itemId);
      const layer = await second.media(`/media/scrub/${itemId}/5`);
      expect(layer.status).toBe(200);
      expect(Buffer.compare(await bodyOf(layer), layerBefore)).toBe(0);
      expect(second.serverErrors).toEqual([]);
    } finally {
      await second.dispose();
      await temp.remove();
    }
  });
});
