import { describe, expect, it } from 'vitest';
import { addItems, createDocumentStore, parseMaskEditKey, removeItems, setFrameIndex, setSelection, updateBrush, updateView, maskEditKey } from './documentStore';
import { selectActiveItem, selectFrameIndex, selectSelectedItems, selectSettings } from './documentSelectors';
import { createTestDocument } from './testDocument';

describe('document store', () => {
  it('adds items with default settings at frame 0 and makes the first active', () => {
    const store = createDocumentStore();
    addItems(store, [{ id: 'a', path: '/a.png', name: 'a.png', kind: 'image', width: 4, height: 4 }]);
    expect(selectActiveItem(store.getState())).toMatchObject({ id: 'a', status: 'pending', flaggedFrames: [] });
    expect(selectSettings(store.getState(), 'a')).toMatchObject({ radiusPx: 90, spillStrength: 0.6, cartoonMode: 'auto' });
    expect(() => addItems(store, [{ id: 'a', path: '/b.png', name: 'b.png', kind: 'image', width: 4, height: 4 }])).toThrow(RangeError);
  });

  it('clamps the timeline to the clip and keeps stills at frame 0', () => {
    const { store } = createTestDocument();
    setFrameIndex(store, 'clip', 42);
    expect(selectFrameIndex(store.getState(), 'clip')).toBe(9);
    setFrameIndex(store, 'clip', -3);
    expect(selectFrameIndex(store.getState(), 'clip')).toBe(0);
    setFrameIndex(store, 'image', 5);
    expect(selectFrameIndex(store.getState(), 'image')).toBe(0);
  });

  it('keeps view values in range and the selection to known items', () => {
    const { store } = createTestDocument();
    updateView(store, { zoom: 1000, overlayOpacity: 2, splitFraction: -1 });
    updateBrush(store, { sizePx: 0, hardness: 3 });
    expect(store.getState().view).toMatchObject({ zoom: 64, overlayOpacity: 1, splitFraction: 0, brush: { sizePx: 1, hardness: 1 } });
    setSelection(store, ['clip', 'ghost', 'clip']);
    expect(selectSelectedItems(store.getState()).map((item) => item.id)).toEqual(['clip']);
  });

  it('removing an item removes its settings, edits and timeline position and moves the active item', () => {
    const { store, history } = createTestDocument();
    history.beginStroke('image', 0);
    history.strokeDab({ x: 5, y: 5, sizePx: 4, mode: 'add' });
    history.endStroke();
    setSelection(store, ['image']);
    removeItems(store, ['image']);
    const state = store.getState();
    expect(state.activeItemId).toBe('clip');
    expect(state.selection).toEqual([]);
    expect(state.settings['image']).toBeUndefined();
    expect(state.maskEdits[maskEditKey('image', 0)]).toBeUndefined();
    expect(history.canUndo()).toBe(false);
  });

  it('mask-edit keys survive item ids with colons', () => {
    expect(parseMaskEditKey(maskEditKey('C:/clips/a.mp4', 12))).toEqual({ itemId: 'C:/clips/a.mp4', frameIndex: 12 });
  });
});
