import { getEventListeners, setMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { refinementSettingsSchema } from '../../shared/settings';
import { ByteLru } from '../matteCache/byteLru';
import { fitMaskEdit, maskEditFromTiles, MaskEditStore } from './maskEdits';
import { scaleSettings } from './previewRenderer';
import { RefinePool } from '../kernels/refinePool';

describe('ByteLru', () => {
  it('evicts least recently used entries beyond the budget, keeps an oversized newest entry, and reports evictions', () => {
    const evicted: string[] = [];
    const lru = new ByteLru<string, number>(10, (key) => evicted.push(key));
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    lru.get('a');
    lru.set('c', 3, 4);
    expect([lru.has('a'), lru.has('b'), lru.has('c'), lru.bytes]).toEqual([true, false, true, 8]);
    lru.set('huge', 4, 50);
    expect([lru.size, lru.bytes, evicted]).toEqual([1, 50, ['b', 'a', 'c']]);
  });
});

describe('mask edits from tiles', () => {
  it('places tiles (the last column narrower), treats empty strings as zero planes, and resamples by nearest', () => {
    const edit = maskEditFromTiles({ width: 5, height: 3, tileSizePx: 4, tiles: [{ tileX: 1, tileY: 0, add: Buffer.from([7, 8, 9]).toString('base64'), remove: '' }] });
    expect([...edit.add]).toEqual([0, 0, 0, 0, 7, 0, 0, 0, 0, 8, 0, 0, 0, 0, 9]);
    expect(edit.remove.every((value) => value === 0)).toBe(true);
    const doubled = fitMaskEdit(edit, 10, 6);
    expect([doubled.add[8], doubled.add[9], doubled.add[7], doubled.add[59]]).toEqual([7, 7, 0, 9]);
  });

  it('reads Refine Edge marks, keeps a mark-only frame, and gives the marks at any size as the solver takes them', () => {
    const marks = Buffer.from([255, 0, 100, 0, 200, 0]).toString('base64');
    const edit = maskEditFromTiles({ width: 3, height: 2, tileSizePx: 4, tiles: [{ tileX: 0, tileY: 0, add: '', remove: '', refineEdge: marks }] });
    expect([...edit.refineEdge]).toEqual([255, 0, 100, 0, 200, 0]);
    expect([...fitMaskEdit(edit, 6, 4).refineEdge.subarray(0, 6)]).toEqual([255, 255, 0, 0, 100, 100]);
    const store = new MaskEditStore();
    store.set('item', 0, edit);
    // 100 is below half strength: not a mark the solver uses.
    expect(store.refineEdgeMask('item', 0, 3, 2)).toEqual({ width: 3, height: 2, channels: 1, data: Uint8Array.from([1, 0, 0, 0, 1, 0]) });
    expect([...store.refineEdgeMask('item', 0, 6, 4)!.data.subarray(0, 6)]).toEqual([1, 1, 0, 0, 0, 0]);
    expect(store.refineEdgeMask('item', 1, 3, 2)).toBeUndefined();
    expect(() => maskEditFromTiles({ width: 3, height: 2, tileSizePx: 4, tiles: [{ tileX: 0, tileY: 0, add: '', remove: '', refineEdge: 'AAAA' }] })).toThrow(/hand edit/);
  });

  it('refuses tiles outside the picture or of the wrong size', () => {
    const tile = { tileX: 2, tileY: 0, add: '', remove: '' };
    expect(() => maskEditFromTiles({ width: 5, height: 3, tileSizePx: 4, tiles: [tile] })).toThrow(/hand edit/);
    expect(() => maskEditFromTiles({ width: 5, height: 3, tileSizePx: 4, tiles: [{ ...tile, tileX: 0, add: 'AAAA' }] })).toThrow(/hand edit/);
  });
});

describe('preview settings', () => {
  it('scales pixel settings to the preview size and keeps a colour window of at least 1 px', () => {
    const settings = refinementSettingsSchema.parse({ radiusPx: 90, featherPx: 4, shiftEdgePx: -2, smoothPx: 6, contrast: 50 });
    expect(scaleSettings(settings, 0.5)).toMatchObject({ radiusPx: 45, featherPx: 2, shiftEdgePx: -1, smoothPx: 3, contrast: 50 });
    expect(scaleSettings({ ...settings, radiusPx: 1 }, 0.1).radiusPx).toBe(1);
    expect(scaleSettings({ ...settings, radiusPx: 0 }, 0.5).radiusPx).toBe(0);
  });
});

describe('RefinePool', () => {
  const job = () => ({
    image: { width: 8, height: 8, channels: 3, data: new Uint8Array(8 * 8 * 3).fill(200) },
    matte: { width: 4, height: 4, channels: 1, data: new Float32Array(16).fill(1) },
    settings: refinementSettingsSchema.parse({ radiusPx: 2 }),
    output: 'preview' as const,
  });

  it('runs jobs in-process, with the reason reported once, when the worker entry does not exist', async () => {
    const reasons: string[] = [];
    const pool = new RefinePool({ workerEntry: new URL('file:///nonexistent/refineWorker.js'), onFallback: (reason) => reasons.push(reason) });
    const [first, second] = await Promise.all([pool.run(job()), pool.run(job())]);
    expect([pool.mode, reasons.length, first.pixels.length, second.heatmap?.length]).toEqual(['in-process', 1, 8 * 8 * 4, 64]);
    expect(reasons[0]).toMatch(/does not exist/);
    await pool.dispose();
  });

  it('rejects a queued job cancelled before it starts at once, and still runs the one before it', async () => {
    const pool = new RefinePool({ workerEntry: null });
    const controller = new AbortController();
    const first = pool.run(job());
    const second = pool.run(job(), controller.signal);
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await first).width).toBe(8);
    await pool.dispose();
  });

  it('leaves no abort listener behind on a signal shared by many jobs (a batch has one for all its items)', async () => {
    const pool = new RefinePool({ workerEntry: null });
    const controller = new AbortController();
    setMaxListeners(12, controller.signal); // twelve jobs queue at once here on purpose: no leak warning for those
    await Promise.all(Array.from({ length: 12 }, () => pool.run(job(), controller.signal)));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await pool.dispose();
  });
});
