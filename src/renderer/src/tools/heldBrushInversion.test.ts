import { describe, expect, it } from 'vitest';
import { createDocumentStore } from '../document/documentStore';
import { commandForKey } from './shortcuts';
import { createHeldBrushInversion } from './heldBrushInversion';

describe('createHeldBrushInversion', () => {
  it('inverts the brush while held and restores it on release, ignoring key repeats', () => {
    const store = createDocumentStore();
    const inversion = createHeldBrushInversion(store);
    expect(store.getState().view.brush.mode).toBe('add');
    inversion.press();
    inversion.press();
    expect(store.getState().view.brush.mode).toBe('subtract');
    expect(inversion.isHeld).toBe(true);
    inversion.release();
    inversion.release();
    expect(store.getState().view.brush.mode).toBe('add');
    expect(inversion.isHeld).toBe(false);
  });
  it('inverts subtract to add', () => {
    const store = createDocumentStore();
    const inversion = createHeldBrushInversion(store);
    store.setState({ view: { ...store.getState().view, brush: { ...store.getState().view.brush, mode: 'subtract' } } });
    inversion.press();
    expect(store.getState().view.brush.mode).toBe('add');
    inversion.release();
    expect(store.getState().view.brush.mode).toBe('subtract');
  });
  it('Alt chords never reach the command table (Alt+X does not swap twice)', () => {
    expect(commandForKey({ key: 'x', altKey: true, ctrlKey: false, metaKey: false, shiftKey: false }, false)).toBeNull();
  });
});
