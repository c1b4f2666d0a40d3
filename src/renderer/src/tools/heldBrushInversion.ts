/**
 * Alt/Option held inverts the brush in hand (add ↔ subtract; with the Refine Edge brush, mark ↔ erase), as in
 * Photoshop: the mode flips on press and flips back on release (or when the window loses focus, where the release
 * never arrives). The flip goes through the document's brush, so the tool bar and the brush cursor show the inverted
 * mode while the key is held.
 */
import { updateBrush, type DocumentStore } from '../document/documentStore';
import type { CanvasTool } from '../ui/uiStore';
import { flippedMode, modeFieldFor, type BrushModeField } from './brushModes';

/** The held-key inversion. */
export interface HeldBrushInversion {
  /** Alt went down (repeats are ignored). */
  press(): void;
  /** Alt went up, or the window lost focus: the brush goes back. */
  release(): void;
  readonly isHeld: boolean;
}

/**
 * Creates the inversion over the document's brush; `activeTool` says which brush is in hand when Alt goes down (the
 * same one flips back on release, even if the tool changed meanwhile).
 */
export function createHeldBrushInversion(store: DocumentStore, activeTool: () => CanvasTool = () => 'brush'): HeldBrushInversion {
  let flipped: BrushModeField | null = null;
  const flip = (field: BrushModeField) => updateBrush(store, flippedMode(store.getState().view.brush, field));
  return {
    press() {
      if (flipped) return;
      flipped = modeFieldFor(activeTool());
      flip(flipped);
    },
    release() {
      if (!flipped) return;
      flip(flipped);
      flipped = null;
    },
    get isHeld() {
      return flipped !== null;
    },
  };
}
