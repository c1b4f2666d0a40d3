/**
 * Undo and redo for the document, where one gesture is one undo step (DESIGN §5):
 * - a brush stroke opens on pointer-down (`beginStroke`), paints dabs (`strokeDab`) and closes on pointer-up
 *   (`endStroke`) as ONE entry holding before/after bytes of the tiles it changed; Escape (`cancelStroke`) puts the
 *   before bytes back and leaves the redo stack alone, as if the stroke never happened;
 * - a slider drag opens on drag start (`beginSettingsChange`), previews live without history (`previewSettings`) and
 *   records ONE entry on release (`commitSettingsChange`), none if the value came back where it started;
 * - commands (change, reset, apply to all, clear hand edits) are one entry each.
 * Selection, zoom, pan, view mode, brush settings and the timeline are never recorded (see `documentStore.ts`).
 * Mask entries hold tile diffs only; beyond the byte budget the oldest entries are dropped.
 *
 * Stray events are harmless: a dab, pointer-up or release with no open gesture does nothing, because Escape may
 * cancel a gesture while the pointer is still down.
 */
import type { RefinementSettings } from '../../../shared/settings';
import type { BrushDab, DirtyRect } from '../../../core/matting/paintBrushDab';
import { collectStrokeChanges, paintStrokeDab, type OpenStroke, type StrokePlane } from './brushStroke';
import { bumpMaskRevision, defaultRefinementSettings, ensureMaskEdit, maskEditKey, setActiveItem, setFrameIndex, type DocumentStore, type HistoryStatus } from './documentStore';
import {
  applyEntry, changedSettingKeys, collectClearChanges, createMaskEntry, restrictEntry, settingsLabel, writeSettings, writeTiles,
  type HistoryEntry, type MaskChange, type SettingsChange,
} from './historyEntries';
import { isRefineEdgeChanged } from './tiles';

/** 256 MiB: room for thousands of ordinary strokes while staying well inside a renderer's heap. */
export const defaultHistoryByteBudget = 256 * 1024 * 1024;

/** Options for {@link createDocumentHistory}. */
export interface DocumentHistoryOptions {
  /** Most tile bytes the history may hold; the oldest entries are dropped beyond it. @default 256 MiB */
  byteBudget?: number;
}

/** The undo/redo service of one document store. */
export interface DocumentHistory {
  /**
   * Pointer-down: opens a stroke on one frame (creating its edit) that paints `plane` (the matte by default, or the
   * Refine Edge marks). Commits any other open gesture first.
   */
  beginStroke(itemId: string, frameIndex: number, plane?: StrokePlane): void;
  /** Pointer-move: paints one dab into the open stroke and returns the rectangle to repaint (empty if none open). */
  strokeDab(dab: BrushDab): DirtyRect;
  /** Pointer-up: records the stroke as one entry and clears redo; records nothing if no pixel changed. */
  endStroke(): void;
  /** Escape: restores the pixels from before the stroke; records nothing and keeps redo. */
  cancelStroke(): void;
  /** Slider drag start on an item's settings. Commits any other open gesture first. */
  beginSettingsChange(itemId: string): void;
  /** Slider tick: shows new values without recording them. */
  previewSettings(patch: Partial<RefinementSettings>): void;
  /** Slider release: one entry with before/after (none when nothing changed). */
  commitSettingsChange(): void;
  /** Drag cancelled: puts the values from drag start back. */
  cancelSettingsChange(): void;
  /** A discrete settings change (menu, text field) as one entry. */
  changeSettings(itemId: string, patch: Partial<RefinementSettings>): void;
  /** Puts an item's settings back to the defaults, as one entry. */
  resetSettings(itemId: string): void;
  /** Copies one item's settings to others (all items by default), as one entry. */
  applySettingsToItems(sourceItemId: string, targetItemIds?: readonly string[]): void;
  /** Erases a frame's hand edits, as one entry. */
  clearMaskEdits(itemId: string, frameIndex: number): void;
  /** Undoes the newest entry, or only cancels an open gesture; false when there was nothing to do. */
  undo(): boolean;
  /** Redoes the newest undone entry (cancelling an open gesture first); false when there was none. */
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  /** `Undo Brush Stroke`, `Undo Refine Edge Stroke`, `Undo Refinement Radius`, …; null when nothing can be undone. */
  undoLabel(): string | null;
  redoLabel(): string | null;
  /** Tile bytes held by both stacks. */
  byteSize(): number;
  /** Changes the budget, dropping the oldest entries if the history no longer fits. */
  setByteBudget(bytes: number): void;
  /** Both stacks, oldest first; `redo`'s last entry is the next to redo. For tests and a history panel. */
  inspect(): { undo: readonly HistoryEntry[]; redo: readonly HistoryEntry[] };
  /** Forgets everything (new or loaded project), cancelling any open gesture. */
  clear(): void;
  /** Calls `listener` with the rectangles of every mask change (dab, cancel, undo, redo, clear). */
  subscribeMaskChanges(listener: (change: MaskChange) => void): () => void;
  /** Stops following the store. */
  dispose(): void;
}

function checkBudget(bytes: number): number {
  if (!(bytes >= 0)) throw new RangeError(`Expected a byte budget of at least 0 for byteBudget but received ${bytes}`);
  return bytes;
}

/** Creates the history of `store`; it follows item removal to drop entries of removed items. */
export function createDocumentHistory(store: DocumentStore, options: DocumentHistoryOptions = {}): DocumentHistory {
  let byteBudget = checkBudget(options.byteBudget ?? defaultHistoryByteBudget);
  let undoStack: HistoryEntry[] = [];
  let redoStack: HistoryEntry[] = [];
  let stroke: OpenStroke | null = null;
  let settingsGesture: { itemId: string; before: RefinementSettings } | null = null;
  const listeners = new Set<(change: MaskChange) => void>();

  const emit = (change: MaskChange | undefined) => change && listeners.forEach((listener) => listener(change));
  const byteSize = () => [...undoStack, ...redoStack].reduce((total, entry) => total + entry.byteSize, 0);
  const settingsOf = (itemId: string): RefinementSettings => {
    const settings = store.getState().settings[itemId];
    if (!settings) throw new RangeError(`Expected a known item id for settings but received ${itemId}`);
    return settings;
  };
  const labelOf = (verb: string, stack: HistoryEntry[]) => (stack.length > 0 ? `${verb} ${stack.at(-1)!.label}` : null);

  function publish(): void {
    const next: HistoryStatus = {
      canUndo: undoStack.length > 0,
      canRedo: redoStack.length > 0,
      undoLabel: labelOf('Undo', undoStack),
      redoLabel: labelOf('Redo', redoStack),
      byteSize: byteSize(),
    };
    const current = store.getState().history;
    // Skip no-op writes: item status updates re-run the pruning below and should not wake every subscriber.
    if ((Object.keys(next) as Array<keyof HistoryStatus>).some((key) => current[key] !== next[key])) store.setState({ history: next });
  }

  /**
   * Brings what an undo or redo changes into view first: the history spans every item and frame, and a step that
   * changed a picture or frame off screen looked like nothing happened (and the next Ctrl+Z then undid the wrong one).
   * A settings change of several items (Apply to all) stays where it is.
   */
  function reveal(entry: HistoryEntry): void {
    const itemId = entry.kind === 'mask' ? entry.itemId : entry.changes.length === 1 ? entry.changes[0]!.itemId : undefined;
    if (itemId === undefined) return;
    setActiveItem(store, itemId);
    if (entry.kind === 'mask') setFrameIndex(store, itemId, entry.frameIndex);
  }

  /** Oldest undo entries go first; the farthest redo entries only when undo alone cannot make room. */
  function trimToBudget(): void {
    let total = byteSize();
    while (total > byteBudget && undoStack.length > 0) total -= undoStack.shift()!.byteSize;
    while (total > byteBudget && redoStack.length > 0) total -= redoStack.shift()!.byteSize;
  }

  function push(entry: HistoryEntry): void {
    redoStack = [];
    undoStack.push(entry);
    trimToBudget();
    publish();
  }

  function finishGestures(): void {
    history.endStroke();
    history.commitSettingsChange();
  }

  function cancelGestures(): boolean {
    const hadGesture = stroke !== null || settingsGesture !== null;
    history.cancelStroke();
    history.cancelSettingsChange();
    return hadGesture;
  }

  function recordSettings(label: string, changes: SettingsChange[]): void {
    const effective = changes.filter((change) => changedSettingKeys(change.before, change.after).length > 0);
    if (effective.length === 0) return;
    writeSettings(store, effective.map((change) => ({ itemId: change.itemId, settings: change.after })));
    push({ kind: 'settings', label, changes: effective, byteSize: 0 });
  }

  const history: DocumentHistory = {
    beginStroke(itemId, frameIndex, plane = 'matte') {
      finishGestures();
      stroke = { itemId, frameIndex, plane, edit: ensureMaskEdit(store, itemId, frameIndex), before: new Map() };
    },

    strokeDab(dab) {
      if (!stroke) return { x0: 0, y0: 0, x1: 0, y1: 0 };
      const rect = paintStrokeDab(stroke, dab);
      emit({ itemId: stroke.itemId, frameIndex: stroke.frameIndex, rects: [rect] });
      return rect;
    },

    endStroke() {
      if (!stroke) return;
      const { itemId, frameIndex, plane } = stroke;
      const changes = collectStrokeChanges(stroke);
      stroke = null;
      bumpMaskRevision(store, maskEditKey(itemId, frameIndex), changes.some((change) => isRefineEdgeChanged(change.before, change.after)));
      if (changes.length > 0) push(createMaskEntry(plane === 'refineEdge' ? 'Refine Edge Stroke' : 'Brush Stroke', itemId, frameIndex, changes));
    },

    cancelStroke() {
      if (!stroke) return;
      const { itemId, frameIndex, before } = stroke;
      stroke = null;
      const tiles = [...before.values()].map(({ tile, planes }) => ({ tile, planes }));
      emit(writeTiles(store, itemId, frameIndex, tiles));
    },

    beginSettingsChange(itemId) {
      finishGestures();
      settingsGesture = { itemId, before: settingsOf(itemId) };
    },

    previewSettings(patch) {
      if (!settingsGesture) return;
      const { itemId } = settingsGesture;
      writeSettings(store, [{ itemId, settings: { ...settingsOf(itemId), ...patch } }]);
    },

    commitSettingsChange() {
      if (!settingsGesture) return;
      const { itemId, before } = settingsGesture;
      settingsGesture = null;
      const after = settingsOf(itemId);
      if (changedSettingKeys(before, after).length === 0) return;
      push({ kind: 'settings', label: settingsLabel(before, after), changes: [{ itemId, before, after }], byteSize: 0 });
    },

    cancelSettingsChange() {
      if (!settingsGesture) return;
      const { itemId, before } = settingsGesture;
      settingsGesture = null;
      writeSettings(store, [{ itemId, settings: before }]);
    },

    changeSettings(itemId, patch) {
      finishGestures();
      const before = settingsOf(itemId);
      const after = { ...before, ...patch };
      recordSettings(settingsLabel(before, after), [{ itemId, before, after }]);
    },

    resetSettings(itemId) {
      finishGestures();
      recordSettings('Reset Settings', [{ itemId, before: settingsOf(itemId), after: defaultRefinementSettings() }]);
    },

    applySettingsToItems(sourceItemId, targetItemIds) {
      finishGestures();
      const source = settingsOf(sourceItemId);
      const targets = targetItemIds ?? store.getState().items.map((item) => item.id);
      const label = targetItemIds ? 'Apply Settings' : 'Apply Settings to All';
      recordSettings(label, targets.filter((id) => id !== sourceItemId).map((itemId) => ({ itemId, before: settingsOf(itemId), after: { ...source } })));
    },

    clearMaskEdits(itemId, frameIndex) {
      finishGestures();
      const edit = store.getState().maskEdits[maskEditKey(itemId, frameIndex)];
      const changes = edit ? collectClearChanges(edit) : [];
      if (changes.length === 0) return;
      emit(writeTiles(store, itemId, frameIndex, changes.map(({ tile }) => ({ tile, planes: null }))));
      push(createMaskEntry('Clear Hand Edits', itemId, frameIndex, changes));
    },

    undo() {
      if (cancelGestures()) return true;
      const entry = undoStack.pop();
      if (!entry) return false;
      reveal(entry);
      emit(applyEntry(store, entry, 'undo'));
      redoStack.push(entry);
      publish();
      return true;
    },

    redo() {
      // The open gesture's before bytes would be stale once the redo rewrites its tiles, so it goes first.
      cancelGestures();
      const entry = redoStack.pop();
      if (!entry) return false;
      reveal(entry);
      emit(applyEntry(store, entry, 'redo'));
      undoStack.push(entry);
      publish();
      return true;
    },

    canUndo: () => undoStack.length > 0,
    canRedo: () => redoStack.length > 0,
    undoLabel: () => labelOf('Undo', undoStack),
    redoLabel: () => labelOf('Redo', redoStack),
    byteSize,

    setByteBudget(bytes) {
      byteBudget = checkBudget(bytes);
      trimToBudget();
      publish();
    },

    inspect: () => ({ undo: [...undoStack], redo: [...redoStack] }),

    clear() {
      cancelGestures();
      undoStack = [];
      redoStack = [];
      publish();
    },

    subscribeMaskChanges(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose: () => unsubscribe(),
  };

  // Entries of removed items can never be shown again and would resurrect their edits on undo, so they go.
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.items === previous.items) return;
    const live = new Set(state.items.map((item) => item.id));
    if (stroke && !live.has(stroke.itemId)) stroke = null;
    if (settingsGesture && !live.has(settingsGesture.itemId)) settingsGesture = null;
    const restrict = (stack: HistoryEntry[]) => stack.flatMap((entry) => restrictEntry(entry, live) ?? []);
    undoStack = restrict(undoStack);
    redoStack = restrict(redoStack);
    publish();
  });

  return history;
}
