/**
 * A clip's mattes are computed once: an export that finds them cached runs no inference (a refinement-only change
 * such as the spill strength re-exports without the model), an identical repeated frame reuses the matte the model
 * made for the first, and a cancelled export leaves no file while the mattes it cached stay exactly right.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlphaMatte } from '../../../core/imageTypes';
import { defaultStillSettings } from '../../../shared/settings';
import { createEngine } from '../../engine';
import { computeMatte, type TieredMatte } from '../computeMatte';
import type { FrameMatteStore } from '../frameMatteStore';
import { fixture, hasBundledModels, hasFixtures, missingFixturesReason, missingModelsReason } from '../../testing/fixtures';
import { decodeFrames } from '../../media/decodeFrames';
import { matteClip } from './matteClip';
import { FrameMattes } from './frameMattes';

const ready = hasFixtures && hasBundledModels;
if (!ready) console.warn(hasFixtures ? missingModelsReason : missingFixturesReason);

const clip = fixture('clips/lp_d19_plainwall.mp4');

/** An in-memory store, as the studio's cache is to the pipeline. */
function memoryStore(): FrameMatteStore & { frames: Map<number, TieredMatte> } {
  const frames = new Map<number, TieredMatte>();
  return { frames, get: async (index) => frames.get(index), set: async (index, tiered) => void frames.set(index, tiered) };
}

describe.skipIf(!ready)('clip mattes computed once (bundled model)', () => {
  const engine = createEngine();
  afterAll(() => engine.dispose());
  let modelRuns = 0;
  const originalGet = engine.sessions.get.bind(engine.sessions);
  engine.sessions.get = async (model) => {
    const session = await originalGet(model);
    if (!(session as { counted?: boolean }).counted) {
      const run = session.run.bind(session);
      session.run = (...args) => {
        modelRuns++;
        return run(...args);
      };
      Object.assign(session, { counted: true });
    }
    return session;
  };
  const exportWith = async (spill: number, store: FrameMatteStore, signal?: AbortSignal, onFrameAlpha?: (index: number, alpha: AlphaMatte) => void) => {
    const settings = defaultStillSettings();
    settings.refinement.spillStrength = spill;
    const outDir = await mkdtemp(join(tmpdir(), 'clip-reuse-'));
    const run = matteClip(engine, { input: clip, output: join(outDir, 'clip.mov'), format: 'prores-fast', settings, maxFrames: 3, mattes: store, signal, onFrameAlpha });
    return { run, outDir };
  };

  it('re-exporting after changing only the spill strength runs no inference', async () => {
    const store = memoryStore();
    modelRuns = 0;
    const first = await (await exportWith(0.2, store)).run;
    expect(first).toMatchObject({ frames: 3, tier: 1, reusedMattes: 0 });
    expect(modelRuns).toBe(3);
    expect(store.frames.size).toBe(3);
    modelRuns = 0;
    const second = await (await exportWith(0.9, store)).run;
    expect(second).toMatchObject({ frames: 3, tier: 1, model: first.model, reusedMattes: 3, alphaVerified: true });
    expect(modelRuns).toBe(0);
  });

  it('a cancel mid-clip leaves no file, and the mattes it cached equal fresh model runs', async () => {
    const store = memoryStore();
    const controller = new AbortController();
    const { run, outDir } = await exportWith(0.4, store, controller.signal, (index) => index === 1 && controller.abort());
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(outDir)).toEqual([]);
    expect(store.frames.size).toBeGreaterThanOrEqual(2);
    const candidates = await engine.models.pickTiers();
    let index = 0;
    for await (const frame of decodeFrames(clip, { maxFrames: store.frames.size })) {
      const image = { ...frame.image, data: frame.image.data.slice() };
      const fresh = await computeMatte(image, candidates, engine.sessions, {});
      const cached = store.frames.get(index++)!;
      expect(Buffer.from(cached.matte.data.buffer).equals(Buffer.from(fresh.matte.data.buffer))).toBe(true);
    }
  });

  it('a frame identical to the one the model last saw reuses its matte without a model run', async () => {
    const candidates = await engine.models.pickTiers();
    const mattes = new FrameMattes(engine, candidates, undefined, undefined);
    let first: Awaited<ReturnType<FrameMattes['matte']>> | undefined;
    for await (const frame of decodeFrames(clip, { maxFrames: 1 })) first = await mattes.matte({ index: 0, image: frame.image });
    modelRuns = 0;
    const repeat = await mattes.matte({ index: 1, image: { ...first!.image, data: first!.image.data.slice() } });
    expect(modelRuns).toBe(0);
    expect(mattes.reused).toBe(1);
    expect(repeat.tiered).toBe(first!.tiered);
    const changed = { ...first!.image, data: first!.image.data.map((value, position) => (position % 3 === 0 ? 255 - value : value)) };
    await mattes.matte({ index: 2, image: changed });
    expect(modelRuns).toBe(1);
  });
});
