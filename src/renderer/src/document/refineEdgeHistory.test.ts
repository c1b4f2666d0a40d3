// The Refine Edge brush on the document side: its strokes mark only the refineEdge plane, each stroke is one undo
// step that restores the plane exactly, marks bump the revision that asks the engine for a new preview, and the
// plane survives the JSON the project and the reload copy are made of.
import { describe, expect, it } from 'vitest';
import { maskEditKey } from './documentStore';
import { deserializeMaskEdits, serializeMaskEdits } from './maskEditStorage';
import { createTestDocument, seedMaskEdit } from './testDocument';

const key = maskEditKey('image', 0);
type Planes = { add: Uint8Array; remove: Uint8Array; refineEdge: Uint8Array };
const planesOf = (store: ReturnType<typeof createTestDocument>['store']): Planes => {
  const edit = store.getState().maskEdits[key]!;
  return { add: edit.add.slice(), remove: edit.remove.slice(), refineEdge: edit.refineEdge.slice() };
};
/** Which planes differ (a byte loop: deep equality of 60 000-byte arrays is slow). */
const differingPlanes = (first: Planes, second: Planes) =>
  (['add', 'remove', 'refineEdge'] as const).filter((name) => first[name].length !== second[name].length || first[name].some((value, index) => value !== second[name][index]));

describe('Refine Edge strokes in the history', () => {
  it('a stroke of many dabs is one undo step; undo restores the plane, redo brings the marks back', () => {
    const { store, history } = createTestDocument(300, 200);
    seedMaskEdit(store, 'image', 0, 7); // matte edits underneath, which the marks must never touch
    const before = planesOf(store);
    history.beginStroke('image', 0, 'refineEdge');
    for (let x = 20; x <= 280; x += 10) history.strokeDab({ x, y: 100, sizePx: 24, hardness: 1, mode: 'add' });
    history.endStroke();
    const after = planesOf(store);
    expect(history.inspect().undo).toHaveLength(1);
    expect(store.getState().history.undoLabel).toBe('Undo Refine Edge Stroke');
    expect(after.refineEdge[100 * 300 + 150]).toBe(255);
    expect(after.refineEdge[10 * 300 + 150]).toBe(0);
    expect(differingPlanes(after, before)).toEqual(['refineEdge']);

    expect(history.undo()).toBe(true);
    expect(differingPlanes(planesOf(store), before)).toEqual([]);
    expect(history.canUndo()).toBe(false);
    expect(history.redo()).toBe(true);
    expect(differingPlanes(planesOf(store), after)).toEqual([]);
  });

  it('an erase stroke (Alt) is one step too, and undo puts the marks back', () => {
    const { store, history } = createTestDocument(300, 200);
    history.beginStroke('image', 0, 'refineEdge');
    history.strokeDab({ x: 100, y: 100, sizePx: 60, hardness: 1, mode: 'add' });
    history.endStroke();
    const marked = planesOf(store);
    history.beginStroke('image', 0, 'refineEdge');
    history.strokeDab({ x: 100, y: 100, sizePx: 20, hardness: 1, mode: 'subtract' });
    history.endStroke();
    expect(store.getState().maskEdits[key]!.refineEdge[100 * 300 + 100]).toBe(0);
    expect(store.getState().maskEdits[key]!.refineEdge[100 * 300 + 125]).toBe(255);
    expect(history.inspect().undo).toHaveLength(2);
    history.undo();
    expect(differingPlanes(planesOf(store), marked)).toEqual([]);
  });

  it('Escape rolls the marks back without an entry and keeps redo', () => {
    const { store, history } = createTestDocument(300, 200);
    history.beginStroke('image', 0);
    history.strokeDab({ x: 50, y: 50, sizePx: 10, mode: 'add' });
    history.endStroke();
    history.undo();
    history.beginStroke('image', 0, 'refineEdge');
    history.strokeDab({ x: 150, y: 50, sizePx: 30, mode: 'add' });
    expect(store.getState().maskEdits[key]!.refineEdge[50 * 300 + 150]).toBe(255);
    history.cancelStroke();
    expect(store.getState().maskEdits[key]!.refineEdge.every((value) => value === 0)).toBe(true);
    expect(history.inspect()).toMatchObject({ undo: [], redo: [{ label: 'Brush Stroke' }] });
  });

  it('marks (stroke, undo, redo) bump the Refine Edge revision; add/subtract strokes do not', () => {
    const { store, history } = createTestDocument(300, 200);
    const revision = () => store.getState().refineEdgeRevisions[key] ?? 0;
    history.beginStroke('image', 0);
    history.strokeDab({ x: 50, y: 50, sizePx: 10, mode: 'add' });
    history.endStroke();
    history.undo();
    expect(revision()).toBe(0);
    history.beginStroke('image', 0, 'refineEdge');
    history.strokeDab({ x: 150, y: 50, sizePx: 30, mode: 'add' });
    history.endStroke();
    expect(revision()).toBe(1);
    history.undo();
    expect(revision()).toBe(2);
    history.redo();
    expect(revision()).toBe(3);
    history.clearMaskEdits('image', 0);
    expect(revision()).toBe(4);
  });

  it('a stroke paints its own plane whatever plane a dab names (one gesture, one plane)', () => {
    const { store, history } = createTestDocument(300, 200);
    history.beginStroke('image', 0, 'refineEdge');
    history.strokeDab({ x: 50, y: 50, sizePx: 10, mode: 'add', plane: 'matte' });
    history.endStroke();
    const edit = store.getState().maskEdits[key]!;
    expect([edit.refineEdge[50 * 300 + 50], edit.add[50 * 300 + 50]]).toEqual([255, 0]);
  });
});

describe('Refine Edge marks in the project JSON', () => {
  it('round-trip every byte, and a tile without marks is written as before the brush', () => {
    const { store, history } = createTestDocument(300, 200);
    history.beginStroke('image', 0, 'refineEdge');
    history.strokeDab({ x: 290, y: 190, sizePx: 40, hardness: 0.3, mode: 'add' }); // the narrow corner tile, soft rim
    history.endStroke();
    history.beginStroke('image', 0);
    history.strokeDab({ x: 20, y: 20, sizePx: 10, mode: 'add' });
    history.endStroke();
    seedMaskEdit(store, 'clip', 4, 5);
    const saved = JSON.parse(JSON.stringify(serializeMaskEdits(store.getState().maskEdits)));
    const imageTiles = saved.frames.find((frame: { itemId: string }) => frame.itemId === 'image').tiles;
    expect(imageTiles.map((tile: Record<string, unknown>) => [tile.tileX, tile.tileY, 'refineEdge' in tile])).toEqual([[0, 0, false], [2, 1, true]]);

    const { maskEdits, warnings } = deserializeMaskEdits(saved);
    expect(warnings).toEqual([]);
    const original = store.getState().maskEdits;
    expect(Object.keys(maskEdits).sort()).toEqual(Object.keys(original).sort());
    for (const name of Object.keys(original)) expect(differingPlanes(maskEdits[name]!, original[name]!)).toEqual([]);
    expect(maskEdits[key]!.refineEdge.some((value) => value > 0 && value < 255)).toBe(true);
  });
});
