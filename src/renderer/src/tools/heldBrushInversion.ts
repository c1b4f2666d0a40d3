/**
 * Alt/Option held inverts the brush (add ↔ subtract), as in Photoshop: the mode flips on press and flips back on
 * release (or when the window loses focus, where the release never arrives). The flip goes through the document's
 * brush, so the tool bar and the brush cursor show the inverted mode while the key is held.
 */
import { updateBrush, type DocumentStore } from '../document/documentStore';

/** The held-key inversion. */
export interface HeldBrushInversion {
  /** Alt went down (repeats are ignored). */
  press(): void;
  /** Alt went up, or the window lost focus: the brush goes back. */
  release(): void;
  readonly isHeld: boolean;
}

const opposite = (mode: 'add' | 'subtract') => (mode === 'add' ? 'subtract' : 'add');

/** Creates the inversion over the document's brush. */
export function createHeldBrushInversion(store: DocumentStore): HeldBrushInversion {
  let isHeld = false;
  return {
    press() {
      if (isHeld) return;
      isHeld = true;
      updateBrush(store, { mode: opposite(store.getState().view.brush.mode) });
    },
    release() {
      if (!isHeld) return;
      isHeld = false;
      updateBrush(store, { mode: opposite(store.getState().view.brush.mode) });
    },
    get isHeld() {
      return isHeld;
    },
  };
}
