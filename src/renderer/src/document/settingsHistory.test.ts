import { describe, expect, it } from 'vitest';
import { removeItems, setActiveItem, setFrameIndex, setSelection, updateBrush, updateItem, updateView } from './documentStore';
import { selectSettings } from './documentSelectors';
import { createTestDocument } from './testDocument';

describe('settings in history', () => {
  it('a slider drag with 20 preview updates is one step, and undo restores the original value', () => {
    const { store, history } = createTestDocument();
    const original = selectSettings(store.getState(), 'image')!.radiusPx;
    history.beginSettingsChange('image');
    for (let tick = 1; tick <= 20; tick++) {
      history.previewSettings({ radiusPx: original + tick * 5 });
      expect(selectSettings(store.getState(), 'image')!.radiusPx).toBe(original + tick * 5);
    }
    expect(history.canUndo()).toBe(false);
    history.commitSettingsChange();
    expect(history.inspect().undo).toHaveLength(1);
    expect(history.undoLabel()).toBe('Undo Colour Radius');
    history.undo();
    expect(selectSettings(store.getState(), 'image')!.radiusPx).toBe(original);
    expect(history.redoLabel()).toBe('Redo Colour Radius');
    history.redo();
    expect(selectSettings(store.getState(), 'image')!.radiusPx).toBe(original + 100);
  });

  it('a drag that ends where it started records nothing; a cancelled drag restores the start', () => {
    const { store, history } = createTestDocument();
    const start = { ...selectSettings(store.getState(), 'image')! };
    history.beginSettingsChange('image');
    history.previewSettings({ featherPx: 12 });
    history.previewSettings({ featherPx: start.featherPx });
    history.commitSettingsChange();
    expect(history.canUndo()).toBe(false);
    history.beginSettingsChange('image');
    history.previewSettings({ featherPx: 30, contrast: 40 });
    history.cancelSettingsChange();
    history.commitSettingsChange(); // a stray release after the cancel
    expect(selectSettings(store.getState(), 'image')).toEqual(start);
    expect(history.canUndo()).toBe(false);
  });

  it('reset, discrete change and apply-to-all are one step each, labelled for the menu', () => {
    const { store, history } = createTestDocument();
    history.changeSettings('image', { spillStrength: 0.25, smoothPx: 3 });
    expect(history.undoLabel()).toBe('Undo Refinement Settings');
    history.applySettingsToItems('image');
    expect(selectSettings(store.getState(), 'clip')!.spillStrength).toBe(0.25);
    expect(history.undoLabel()).toBe('Undo Apply Settings to All');
    history.resetSettings('image');
    expect(selectSettings(store.getState(), 'image')!.spillStrength).toBe(0.6);
    expect(history.inspect().undo).toHaveLength(3);
    history.undo();
    history.undo();
    expect(selectSettings(store.getState(), 'clip')!.spillStrength).toBe(0.6);
    expect(selectSettings(store.getState(), 'image')!.smoothPx).toBe(3);
  });

  it('scrubbing, zoom, pan, view mode, brush, selection and item status never create entries', () => {
    const { store, history } = createTestDocument();
    setFrameIndex(store, 'clip', 7);
    updateView(store, { zoom: 4, panX: 10, panY: -20, viewMode: 'checker', splitFraction: 0.3 });
    updateBrush(store, { sizePx: 80, mode: 'subtract' });
    setSelection(store, ['image', 'clip']);
    setActiveItem(store, 'clip');
    updateItem(store, 'image', { status: 'done', flaggedFrames: [2] });
    expect(store.getState().frameIndices['clip']).toBe(7);
    expect(store.getState().view.zoom).toBe(4);
    expect(store.getState().selection).toEqual(['image', 'clip']);
    expect(history.inspect()).toEqual({ undo: [], redo: [] });
    expect(store.getState().history.canUndo).toBe(false);
    expect(history.undo()).toBe(false);
  });

  it('removing an item drops its entries and keeps the others', () => {
    const { store, history } = createTestDocument();
    history.changeSettings('image', { featherPx: 4 });
    history.changeSettings('clip', { featherPx: 8 });
    history.beginStroke('clip', 0);
    history.strokeDab({ x: 10, y: 10, sizePx: 8, mode: 'add' });
    history.endStroke();
    removeItems(store, ['clip']);
    expect(history.inspect().undo).toHaveLength(1);
    expect(store.getState().history.undoLabel).toBe('Undo Feather');
    history.undo();
    expect(selectSettings(store.getState(), 'image')!.featherPx).toBe(0);
  });
});
