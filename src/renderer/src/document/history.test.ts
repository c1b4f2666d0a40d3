import { describe, expect, it } from 'vitest';
import type { BrushDab } from '../../../core/matting/paintBrushDab';
import { maskEditKey, setActiveItem, setFrameIndex } from './documentStore';
import { createTestDocument, seedMaskEdit, snapshotPlanes } from './testDocument';
import type { MaskChange } from './historyEntries';

/** Index of the first differing byte of two frames' planes, or -1 when they are identical. */
function firstDifference(first: { add: Uint8Array; remove: Uint8Array }, second: { add: Uint8Array; remove: Uint8Array }): number {
  if (first.add.length !== second.add.length) return 0;
  for (let index = 0; index < first.add.length; index++) {
    if (first.add[index] !== second.add[index] || first.remove[index] !== second.remove[index]) return index;
  }
  return -1;
}

const dab = (x: number, y: number, mode: BrushDab['mode'] = 'add', sizePx = 30): BrushDab => ({ x, y, sizePx, mode, hardness: 0.5 });

describe('brush strokes in history', () => {
  it('three strokes take three undos to restore the original planes byte for byte, and redo re-applies them exactly', () => {
    const { store, history } = createTestDocument();
    seedMaskEdit(store, 'image', 0, 7);
    const original = snapshotPlanes(store, 'image', 0);
    const afterEach: Array<ReturnType<typeof snapshotPlanes>> = [];
    for (const [index, mode] of (['add', 'subtract', 'add'] as const).entries()) {
      history.beginStroke('image', 0);
      for (let step = 0; step < 5; step++) history.strokeDab(dab(40 + index * 60 + step * 10, 60 + step * 20, mode));
      history.endStroke();
      afterEach.push(snapshotPlanes(store, 'image', 0));
    }
    expect(firstDifference(afterEach[2]!, original)).not.toBe(-1);
    expect(history.inspect().undo).toHaveLength(3);

    expect(history.undo()).toBe(true);
    expect(firstDifference(snapshotPlanes(store, 'image', 0), afterEach[1]!)).toBe(-1);
    expect(history.undo()).toBe(true);
    expect(history.undo()).toBe(true);
    expect(firstDifference(snapshotPlanes(store, 'image', 0), original)).toBe(-1);
    expect(history.undo()).toBe(false);

    for (const expected of afterEach) {
      expect(history.redo()).toBe(true);
      expect(firstDifference(snapshotPlanes(store, 'image', 0), expected)).toBe(-1);
    }
    expect(history.redo()).toBe(false);
  });

  it('a stroke of 50 dabs is one undo step', () => {
    const { store, history } = createTestDocument();
    history.beginStroke('image', 0);
    for (let step = 0; step < 50; step++) history.strokeDab(dab(10 + step * 5, 100));
    history.endStroke();
    expect(history.inspect().undo).toHaveLength(1);
    expect(history.undoLabel()).toBe('Undo Brush Stroke');
    expect(store.getState().history).toMatchObject({ canUndo: true, canRedo: false, undoLabel: 'Undo Brush Stroke' });
    history.undo();
    expect(history.canUndo()).toBe(false);
    expect(store.getState().maskEdits[maskEditKey('image', 0)]!.add.every((value) => value === 0)).toBe(true);
    expect(store.getState().history).toMatchObject({ canUndo: false, canRedo: true, redoLabel: 'Redo Brush Stroke' });
  });

  it('Escape mid-stroke restores the planes and keeps the redo stack', () => {
    const { store, history } = createTestDocument();
    seedMaskEdit(store, 'image', 0, 3);
    history.beginStroke('image', 0);
    history.strokeDab(dab(100, 100));
    history.endStroke();
    const painted = snapshotPlanes(store, 'image', 0);
    history.undo();
    const beforeCancelled = snapshotPlanes(store, 'image', 0);

    history.beginStroke('image', 0);
    for (let step = 0; step < 10; step++) history.strokeDab(dab(50 + step * 20, 150, 'subtract'));
    expect(firstDifference(snapshotPlanes(store, 'image', 0), beforeCancelled)).not.toBe(-1);
    history.cancelStroke();
    // Pointer-up and further moves after Escape must not paint or record anything.
    history.strokeDab(dab(10, 10));
    history.endStroke();

    expect(firstDifference(snapshotPlanes(store, 'image', 0), beforeCancelled)).toBe(-1);
    expect(history.inspect().undo).toHaveLength(0);
    expect(history.canRedo()).toBe(true);
    expect(history.redo()).toBe(true);
    expect(firstDifference(snapshotPlanes(store, 'image', 0), painted)).toBe(-1);
  });

  it('a completed stroke clears the redo stack; a stroke that changes nothing records nothing and keeps it', () => {
    const { history } = createTestDocument();
    history.beginStroke('image', 0);
    history.strokeDab(dab(100, 100));
    history.endStroke();
    history.undo();
    history.beginStroke('image', 0);
    history.strokeDab({ ...dab(100, 100), opacity: 0 });
    history.endStroke();
    expect(history.canRedo()).toBe(true);
    history.beginStroke('image', 0);
    history.strokeDab(dab(20, 20));
    history.endStroke();
    expect(history.canRedo()).toBe(false);
    expect(history.inspect().undo).toHaveLength(1);
  });

  it('a small dab on a 4000×3000 edit records at most 4 tiles, never the whole layer', () => {
    const { history } = createTestDocument(4000, 3000);
    history.beginStroke('image', 0);
    history.strokeDab(dab(1280, 640, 'add', 20)); // centred on a tile corner: exactly 4 tiles
    history.endStroke();
    const [entry] = history.inspect().undo;
    if (entry?.kind !== 'mask') throw new Error('expected a mask entry');
    expect(entry.changes).toHaveLength(4);
    const tiles = entry.changes.map((change) => [change.tile.tileX, change.tile.tileY] as const);
    expect([...tiles].sort((first, second) => first[0] - second[0] || first[1] - second[1])).toEqual([[9, 4], [9, 5], [10, 4], [10, 5]]);
    expect(entry.byteSize).toBeLessThanOrEqual(4 * 2 * 2 * 128 * 128);
  });

  it('dabs on different frames of a clip stay on their own frame', () => {
    const { store, history } = createTestDocument();
    history.beginStroke('clip', 3);
    history.strokeDab(dab(30, 20));
    history.endStroke();
    expect(store.getState().maskEdits[maskEditKey('clip', 3)]!.add.some((value) => value > 0)).toBe(true);
    expect(store.getState().maskEdits[maskEditKey('clip', 4)]).toBeUndefined();
    expect(history.inspect().undo[0]).toMatchObject({ kind: 'mask', itemId: 'clip', frameIndex: 3 });
  });

  it('undo and redo show the item and frame they change first', () => {
    const { store, history } = createTestDocument();
    setActiveItem(store, 'clip');
    history.beginStroke('clip', 5);
    history.strokeDab(dab(30, 20));
    history.endStroke();
    setActiveItem(store, 'image');
    history.beginStroke('image', 0);
    history.strokeDab(dab(60, 40));
    history.endStroke();
    // The user goes back to the clip, a frame on; the newest stroke is the picture's, so undo shows the picture.
    setActiveItem(store, 'clip');
    setFrameIndex(store, 'clip', 6);
    history.undo();
    expect(store.getState().activeItemId).toBe('image');
    history.undo();
    expect([store.getState().activeItemId, store.getState().frameIndices.clip]).toEqual(['clip', 5]);
    expect(store.getState().maskEdits[maskEditKey('clip', 5)]!.add.every((value) => value === 0)).toBe(true);
    setActiveItem(store, 'image');
    history.redo();
    expect([store.getState().activeItemId, store.getState().frameIndices.clip]).toEqual(['clip', 5]);
  });

  it('tells the mask layer which rectangles changed on dabs, cancel, undo and redo', () => {
    const { history } = createTestDocument();
    const changes: MaskChange[] = [];
    const unsubscribe = history.subscribeMaskChanges((change) => changes.push(change));
    history.beginStroke('image', 0);
    expect(history.strokeDab(dab(64, 64, 'add', 10))).toEqual({ x0: 59, y0: 59, x1: 69, y1: 69 });
    history.endStroke();
    history.undo();
    history.redo();
    unsubscribe();
    history.undo();
    expect(changes.map((change) => change.rects)).toEqual([
      [{ x0: 59, y0: 59, x1: 69, y1: 69 }],
      [{ x0: 0, y0: 0, x1: 128, y1: 128 }],
      [{ x0: 0, y0: 0, x1: 128, y1: 128 }],
    ]);
  });

  it('clearing a frame\'s hand edits is one step that undo reverses', () => {
    const { store, history } = createTestDocument();
    seedMaskEdit(store, 'image', 0, 11);
    const seeded = snapshotPlanes(store, 'image', 0);
    history.clearMaskEdits('image', 0);
    expect(snapshotPlanes(store, 'image', 0).add.every((value) => value === 0)).toBe(true);
    expect(history.undoLabel()).toBe('Undo Clear Hand Edits');
    history.undo();
    expect(firstDifference(snapshotPlanes(store, 'image', 0), seeded)).toBe(-1);
  });

  it('undo during an open stroke only cancels the stroke', () => {
    const { store, history } = createTestDocument();
    history.beginStroke('image', 0);
    history.strokeDab(dab(50, 50));
    history.endStroke();
    const painted = snapshotPlanes(store, 'image', 0);
    history.beginStroke('image', 0);
    history.strokeDab(dab(200, 150));
    expect(history.undo()).toBe(true);
    expect(firstDifference(snapshotPlanes(store, 'image', 0), painted)).toBe(-1);
    expect(history.inspect().undo).toHaveLength(1);
  });
});
