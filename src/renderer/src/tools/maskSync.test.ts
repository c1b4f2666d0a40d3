import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../connection/connectStudio';
import { createTestDocument } from '../document/testDocument';
import { createJobStore } from '../jobs/jobStore';
import { createMaskSync, type MaskSync } from './maskSync';

type SetMaskEditInput = Parameters<StudioApi['setMaskEdit']>[0];

function fakeApi(calls: SetMaskEditInput[]): StudioApi {
  return { setMaskEdit: async (input: SetMaskEditInput) => (calls.push(input), { ok: true as const }) } as unknown as StudioApi;
}

describe('createMaskSync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a frame once after a burst of strokes, and clears it after undo', async () => {
    const { store, history } = createTestDocument(300, 200);
    const calls: SetMaskEditInput[] = [];
    const sync = createMaskSync(fakeApi(calls), store, createJobStore());
    for (const x of [20, 60]) {
      history.beginStroke('image', 0);
      history.strokeDab({ x, y: 20, sizePx: 10, mode: 'add' });
      history.endStroke();
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.itemId).toBe('image');
    expect(calls[0]!.edit?.tileSizePx).toBe(128);
    expect(calls[0]!.edit?.tiles.map((tile) => [tile.tileX, tile.tileY])).toEqual([[0, 0]]);
    history.undo();
    history.undo();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.at(-1)!.edit).toBeNull();
    sync.dispose();
  });

  it('flushes pending frames of an item at once', async () => {
    const { store, history } = createTestDocument();
    const calls: SetMaskEditInput[] = [];
    const sync = createMaskSync(fakeApi(calls), store, createJobStore());
    history.beginStroke('clip', 3);
    history.strokeDab({ x: 10, y: 10, sizePx: 6, mode: 'subtract' });
    history.endStroke();
    await sync.flush('clip');
    expect(calls.map((call) => [call.itemId, call.frameIndex])).toEqual([['clip', 3]]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    sync.dispose();
  });

  it('a flush from a listener that hears the stroke before the sync does still sends it, Refine Edge marks included', async () => {
    const { store, history } = createTestDocument(300, 200);
    const calls: SetMaskEditInput[] = [];
    let flushed: Promise<void> | undefined;
    const syncs: MaskSync[] = [];
    // Registered first, as the preview controller may be: it asks for a preview as soon as the marks change.
    store.subscribe((state, previous) => {
      if (state.refineEdgeRevisions !== previous.refineEdgeRevisions) flushed = syncs[0]!.flush('image');
    });
    syncs.push(createMaskSync(fakeApi(calls), store, createJobStore()));
    history.beginStroke('image', 0, 'refineEdge');
    history.strokeDab({ x: 20, y: 20, sizePx: 10, mode: 'add' });
    history.endStroke();
    await flushed;
    expect(calls).toHaveLength(1);
    const [tile] = calls[0]!.edit!.tiles;
    expect([tile!.add, tile!.remove, (tile!.refineEdge ?? '').length > 0]).toEqual(['', '', true]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    syncs[0]!.dispose();
  });
});
