/**
 * Selectors over {@link DocumentState}: plain functions of the state, so they work with `store.getState()`,
 * `store.subscribe` and React's `useStore`. Selectors that build a new array (`selectSelectedItems`,
 * `markersForItem`) should be read through zustand's `useShallow` so components re-render only on real changes.
 */
import { isMaskEditEmpty, type MaskEdit } from '../../../core/matting/maskEdit';
import type { RefinementSettings } from '../../../shared/settings';
import { maskEditKey, parseMaskEditKey, type DocumentItem, type DocumentState } from './documentStore';

/** The item with this id, if any. */
export function selectItem(state: DocumentState, itemId: string): DocumentItem | undefined {
  return state.items.find((item) => item.id === itemId);
}

/** The item the canvas shows, if any. */
export function selectActiveItem(state: DocumentState): DocumentItem | undefined {
  return state.activeItemId === null ? undefined : selectItem(state, state.activeItemId);
}

/** The selected items in list order. */
export function selectSelectedItems(state: DocumentState): DocumentItem[] {
  const selected = new Set(state.selection);
  return state.items.filter((item) => selected.has(item.id));
}

/** An item's refinement settings, if the item exists. */
export function selectSettings(state: DocumentState, itemId: string): RefinementSettings | undefined {
  return state.settings[itemId];
}

/** An item's timeline position (0 for stills and unknown items). */
export function selectFrameIndex(state: DocumentState, itemId: string): number {
  return state.frameIndices[itemId] ?? 0;
}

/** The mask edit of one frame, if one was ever painted or loaded. */
export function selectMaskEdit(state: DocumentState, itemId: string, frameIndex: number): MaskEdit | undefined {
  return state.maskEdits[maskEditKey(itemId, frameIndex)];
}

/** The mask edit of the active item's current frame, if any. */
export function selectActiveMaskEdit(state: DocumentState): MaskEdit | undefined {
  return state.activeItemId === null ? undefined : selectMaskEdit(state, state.activeItemId, selectFrameIndex(state, state.activeItemId));
}

/** A frame's mask revision; changes whenever its planes change at a gesture boundary. */
export function selectMaskRevision(state: DocumentState, itemId: string, frameIndex: number): number {
  return state.maskRevisions[maskEditKey(itemId, frameIndex)] ?? 0;
}

/**
 * Emptiness per edit and revision: scanning two full planes per frame on every timeline refresh would cost
 * milliseconds per frame, while revisions change only at gesture boundaries.
 */
const emptinessCache = new WeakMap<MaskEdit, { revision: number; isEmpty: boolean }>();

function isEditEmptyAt(edit: MaskEdit, revision: number): boolean {
  const cached = emptinessCache.get(edit);
  if (cached && cached.revision === revision) return cached.isEmpty;
  const isEmpty = isMaskEditEmpty(edit);
  emptinessCache.set(edit, { revision, isEmpty });
  return isEmpty;
}

/** Frames of an item that carry hand edits, ascending: the timeline's markers. */
export function markersForItem(state: DocumentState, itemId: string): number[] {
  const frames: number[] = [];
  for (const [key, edit] of Object.entries(state.maskEdits)) {
    const parsed = parseMaskEditKey(key);
    if (parsed.itemId !== itemId) continue;
    if (!isEditEmptyAt(edit, state.maskRevisions[key] ?? 0)) frames.push(parsed.frameIndex);
  }
  return frames.sort((first, second) => first - second);
}
