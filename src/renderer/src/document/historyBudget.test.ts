import { describe, expect, it } from 'vitest';
import { tileByteSize } from './tiles';
import { createTestDocument } from './testDocument';

/** One full tile of one plane (an entry keeps no bytes for a tile's all-zero planes). */
const tileBytes = 128 * 128;

describe('history byte budget', () => {
  it('accounts exactly the tile bytes recorded: empty tiles cost nothing', () => {
    const { store, history } = createTestDocument(256, 256);
    history.beginStroke('image', 0);
    history.strokeDab({ x: 64, y: 64, sizePx: 20, mode: 'add' });
    history.endStroke();
    expect(history.byteSize()).toBe(tileBytes); // before was empty (null), after is one tile
    history.beginStroke('image', 0);
    history.strokeDab({ x: 64, y: 64, sizePx: 40, mode: 'subtract' });
    history.endStroke();
    expect(history.byteSize()).toBe(tileBytes + 2 * tileBytes);
    const recorded = history.inspect().undo.flatMap((entry) => (entry.kind === 'mask' ? entry.changes : []));
    expect(recorded.reduce((total, change) => total + tileByteSize(change.before) + tileByteSize(change.after), 0)).toBe(history.byteSize());
    expect(store.getState().history.byteSize).toBe(3 * tileBytes);
  });

  it('drops the oldest entries once over budget', () => {
    const { history } = createTestDocument(512, 128, { byteBudget: 3 * tileBytes });
    for (let stroke = 0; stroke < 4; stroke++) {
      history.beginStroke('image', 0);
      history.strokeDab({ x: 64 + stroke * 128, y: 64, sizePx: 20, mode: 'add' }); // one fresh tile each
      history.endStroke();
    }
    const undo = history.inspect().undo;
    expect(undo).toHaveLength(3);
    expect(undo.map((entry) => (entry.kind === 'mask' ? entry.changes[0]!.tile.tileX : -1))).toEqual([1, 2, 3]);
    expect(history.byteSize()).toBe(3 * tileBytes);
  });

  it('lowering the budget trims the history at once', () => {
    const { store, history } = createTestDocument(512, 128);
    for (let stroke = 0; stroke < 4; stroke++) {
      history.beginStroke('image', 0);
      history.strokeDab({ x: 64 + stroke * 128, y: 64, sizePx: 20, mode: 'add' });
      history.endStroke();
    }
    history.undo();
    history.setByteBudget(tileBytes);
    expect(history.inspect()).toMatchObject({ undo: [], redo: [{ kind: 'mask' }] });
    expect(store.getState().history).toMatchObject({ canUndo: false, canRedo: true, byteSize: tileBytes });
    expect(() => history.setByteBudget(Number.NaN)).toThrow(RangeError);
  });

  it('settings entries cost no bytes but are dropped in order with the rest, oldest first', () => {
    const { history } = createTestDocument(256, 256, { byteBudget: tileBytes });
    history.changeSettings('image', { contrast: 20 });
    history.beginStroke('image', 0);
    history.strokeDab({ x: 10, y: 10, sizePx: 6, mode: 'add' });
    history.endStroke();
    expect(history.byteSize()).toBe(tileBytes);
    expect(history.inspect().undo.map((entry) => entry.kind)).toEqual(['settings', 'mask']);
    history.beginStroke('image', 0);
    history.strokeDab({ x: 200, y: 200, sizePx: 6, mode: 'add' });
    history.endStroke();
    // Dropping from the middle could let an older tile diff undo over a newer one, so order is kept strictly.
    expect(history.inspect().undo.map((entry) => entry.kind)).toEqual(['mask']);
    expect(history.byteSize()).toBe(tileBytes);
  });
});
