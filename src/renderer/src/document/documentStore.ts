/**
 * The studio's document: items, per-item refinement settings, per-frame mask edits, timeline positions and view
 * state, in one zustand vanilla store outside React (DESIGN §5). Components read it with the selectors in
 * `documentSelectors.ts`; changes go through the plain functions below (not undoable) or through `history.ts`
 * (settings and mask edits, which are undoable).
 *
 * Mask-edit planes are large and painted in place at pointer rate, so they are NOT replaced immutably: a stroke
 * mutates the `Uint8Array`s and bumps `maskRevisions[key]` at gesture boundaries; the Konva mask layer listens for
 * dirty rectangles through the history instead of re-rendering React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createMaskEdit, type MaskEdit } from '../../../core/matting/maskEdit';
import { refinementSettingsSchema, type MatteTier, type RefinementSettings } from '../../../shared/settings';

/** A picture or a video clip. */
export const itemKinds = ['image', 'clip'] as const;
/** One of {@link itemKinds}. */
export type ItemKind = (typeof itemKinds)[number];

/** Where an item is in the matting pipeline. */
export const itemStatuses = ['pending', 'matting', 'done', 'failed'] as const;
/** One of {@link itemStatuses}. */
export type ItemStatus = (typeof itemStatuses)[number];

/** How the canvas shows the cut-out. */
export const viewModes = ['overlay', 'black', 'white', 'checker', 'color', 'image', 'matte', 'original', 'split'] as const;
/** One of {@link viewModes}. */
export type ViewMode = (typeof viewModes)[number];

/** Which tier, model and execution provider made an item's latest matte. */
export interface MatteResultInfo {
  readonly tier: MatteTier;
  readonly modelId: string;
  /** ONNX Runtime execution provider, e.g. `cuda` or `cpu`. */
  readonly executionProvider: string;
}

/** One picture or clip in the batch. */
export interface DocumentItem {
  readonly id: string;
  /** Absolute path of the source file. */
  readonly path: string;
  /** Display name (usually the file name). */
  readonly name: string;
  readonly kind: ItemKind;
  readonly status: ItemStatus;
  /** A sentence for the user when `status` is `failed`. */
  readonly errorMessage?: string;
  readonly width: number;
  readonly height: number;
  /** Clips only. */
  readonly frameCount?: number;
  /** Clips only. */
  readonly fps?: number;
  readonly lastResult?: MatteResultInfo;
  /** Frames the engine flagged for review (abrupt changes, low confidence). */
  readonly flaggedFrames: readonly number[];
}

/** The hand-edit brushes (the add/subtract brush and the Refine Edge brush share size, hardness and opacity). */
export interface BrushSettings {
  /** Diameter in image pixels. */
  readonly sizePx: number;
  /** Share of the radius that is fully solid, 0–1. */
  readonly hardness: number;
  /** Strength of one dab, 0–1. */
  readonly opacity: number;
  readonly mode: 'add' | 'subtract';
  /** The Refine Edge brush: `mark` widens the band where alpha is re-solved, `erase` takes marks back. */
  readonly refineEdgeMode: 'mark' | 'erase';
}

/** Canvas view state; never undoable. */
export interface ViewState {
  /** Screen pixels per image pixel. */
  readonly zoom: number;
  /** Offset of the image origin on screen, in screen pixels. */
  readonly panX: number;
  readonly panY: number;
  readonly viewMode: ViewMode;
  /** CSS colour of the overlay tint over the background. */
  readonly overlayColor: string;
  /** 0–1. */
  readonly overlayOpacity: number;
  /** CSS colour behind the cut-out in `color` mode. */
  readonly backgroundColor: string;
  /** Position of the before/after divider in `split` mode, 0–1 of the width. */
  readonly splitFraction: number;
  readonly brush: BrushSettings;
}

/** What menus and toolbars show about undo; written by the history, read like any other state. */
export interface HistoryStatus {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** e.g. `Undo Brush Stroke`; null when nothing can be undone. */
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  /** Tile bytes the history holds. */
  readonly byteSize: number;
}

/** The whole document. Records are keyed by item id, mask edits by {@link maskEditKey}. */
export interface DocumentState {
  readonly items: readonly DocumentItem[];
  readonly selection: readonly string[];
  readonly activeItemId: string | null;
  readonly settings: Readonly<Record<string, RefinementSettings>>;
  readonly maskEdits: Readonly<Record<string, MaskEdit>>;
  /** Bumped whenever a key's planes change at a gesture boundary (stroke end, cancel, undo, redo, load). */
  readonly maskRevisions: Readonly<Record<string, number>>;
  /**
   * Bumped with `maskRevisions` when the Refine Edge marks of a key changed: the engine re-solves alpha under them,
   * so the preview is asked for again (add/subtract strokes the renderer composes itself, without a round trip).
   */
  readonly refineEdgeRevisions: Readonly<Record<string, number>>;
  /** Timeline position per item; stills stay at 0. */
  readonly frameIndices: Readonly<Record<string, number>>;
  readonly view: ViewState;
  readonly history: HistoryStatus;
}

/** The document store. */
export type DocumentStore = StoreApi<DocumentState>;

/** An item as it arrives from an import: status and flags start empty unless given. */
export type NewDocumentItem = Omit<DocumentItem, 'status' | 'flaggedFrames'> & Partial<Pick<DocumentItem, 'status' | 'flaggedFrames'>>;

/** Default refinement settings (a fresh object each call). */
/** Largest brush, in picture pixels: one limit for the slider, the bracket keys and stored values. */
export const maxBrushSizePx = 1000;

export function defaultRefinementSettings(): RefinementSettings {
  return refinementSettingsSchema.parse({});
}

/** The key of one frame's mask edit; stills use frame 0. */
export function maskEditKey(itemId: string, frameIndex: number): string {
  return `${itemId}:${frameIndex}`;
}

/** Splits a {@link maskEditKey}; the frame is after the last colon, so item ids may contain colons. */
export function parseMaskEditKey(key: string): { itemId: string; frameIndex: number } {
  const colon = key.lastIndexOf(':');
  return { itemId: key.slice(0, colon), frameIndex: Number(key.slice(colon + 1)) };
}

const initialView: ViewState = {
  zoom: 1,
  panX: 0,
  panY: 0,
  viewMode: 'overlay',
  overlayColor: '#ff3b30',
  overlayOpacity: 0.5,
  backgroundColor: '#00b140',
  splitFraction: 0.5,
  brush: { sizePx: 40, hardness: 0.8, opacity: 1, mode: 'add', refineEdgeMode: 'mark' },
};

/** Creates an empty document store. */
export function createDocumentStore(): DocumentStore {
  return createStore<DocumentState>()(() => ({
    items: [],
    selection: [],
    activeItemId: null,
    settings: {},
    maskEdits: {},
    maskRevisions: {},
    refineEdgeRevisions: {},
    frameIndices: {},
    view: initialView,
    history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null, byteSize: 0 },
  }));
}

/** Adds imported items with default settings at frame 0; the first becomes active when none is. Ids must be new. */
export function addItems(store: DocumentStore, newItems: readonly NewDocumentItem[]): void {
  const state = store.getState();
  const known = new Set(state.items.map((item) => item.id));
  for (const item of newItems) {
    if (known.has(item.id)) throw new RangeError(`Expected a new item id for addItems but received ${item.id}`);
    known.add(item.id);
  }
  const added = newItems.map((item): DocumentItem => ({ ...item, status: item.status ?? 'pending', flaggedFrames: item.flaggedFrames ?? [] }));
  const settings = { ...state.settings };
  const frameIndices = { ...state.frameIndices };
  for (const item of added) {
    settings[item.id] = defaultRefinementSettings();
    frameIndices[item.id] = 0;
  }
  store.setState({ items: [...state.items, ...added], settings, frameIndices, activeItemId: state.activeItemId ?? added[0]?.id ?? null });
}

/** Removes items with their settings, mask edits and timeline positions; the history drops their entries. */
export function removeItems(store: DocumentStore, itemIds: readonly string[]): void {
  const removed = new Set(itemIds);
  const state = store.getState();
  const keep = <T>(record: Readonly<Record<string, T>>, idOf: (key: string) => string) =>
    Object.fromEntries(Object.entries(record).filter(([key]) => !removed.has(idOf(key))));
  const byItem = (key: string) => key;
  const byFrame = (key: string) => parseMaskEditKey(key).itemId;
  const items = state.items.filter((item) => !removed.has(item.id));
  store.setState({
    items,
    selection: state.selection.filter((id) => !removed.has(id)),
    activeItemId: state.activeItemId !== null && removed.has(state.activeItemId) ? (items[0]?.id ?? null) : state.activeItemId,
    settings: keep(state.settings, byItem),
    frameIndices: keep(state.frameIndices, byItem),
    maskEdits: keep(state.maskEdits, byFrame),
    maskRevisions: keep(state.maskRevisions, byFrame),
    refineEdgeRevisions: keep(state.refineEdgeRevisions, byFrame),
  });
}

/** Updates an item's engine-facing fields (status, error, result, flagged frames). Unknown ids are ignored. */
export function updateItem(store: DocumentStore, itemId: string, patch: Partial<Omit<DocumentItem, 'id'>>): void {
  const { items } = store.getState();
  if (!items.some((item) => item.id === itemId)) return;
  store.setState({ items: items.map((item) => (item.id === itemId ? { ...item, ...patch } : item)) });
}

/** Replaces the selection with the known ids among `itemIds`. */
export function setSelection(store: DocumentStore, itemIds: readonly string[]): void {
  const known = new Set(store.getState().items.map((item) => item.id));
  store.setState({ selection: [...new Set(itemIds)].filter((id) => known.has(id)) });
}

/** Makes an item the one the canvas shows; an unknown id is ignored. */
export function setActiveItem(store: DocumentStore, itemId: string | null): void {
  if (itemId !== null && !store.getState().items.some((item) => item.id === itemId)) return;
  store.setState({ activeItemId: itemId });
}

/** Moves an item's timeline to a frame, clamped to the clip (stills stay at 0). */
export function setFrameIndex(store: DocumentStore, itemId: string, frameIndex: number): void {
  const state = store.getState();
  const item = state.items.find((candidate) => candidate.id === itemId);
  if (!item) return;
  const lastFrame = item.kind === 'clip' ? Math.max(0, (item.frameCount ?? 1) - 1) : 0;
  const clamped = Math.min(lastFrame, Math.max(0, Math.round(Number.isFinite(frameIndex) ? frameIndex : 0)));
  if (state.frameIndices[itemId] === clamped) return;
  store.setState({ frameIndices: { ...state.frameIndices, [itemId]: clamped } });
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Changes view state (zoom, pan, mode, overlay, split); fractions are clamped to 0–1, zoom to 1/64–64. */
export function updateView(store: DocumentStore, patch: Partial<Omit<ViewState, 'brush'>>): void {
  const view = { ...store.getState().view, ...patch };
  store.setState({
    view: {
      ...view,
      zoom: clamp(view.zoom, 1 / 64, 64),
      overlayOpacity: clamp(view.overlayOpacity, 0, 1),
      splitFraction: clamp(view.splitFraction, 0, 1),
    },
  });
}

/** Changes the brush; size is clamped to 1–2000 px, hardness and opacity to 0–1. */
export function updateBrush(store: DocumentStore, patch: Partial<BrushSettings>): void {
  const { view } = store.getState();
  const brush = { ...view.brush, ...patch };
  store.setState({
    view: { ...view, brush: { ...brush, sizePx: clamp(brush.sizePx, 1, maxBrushSizePx), hardness: clamp(brush.hardness, 0, 1), opacity: clamp(brush.opacity, 0, 1) } },
  });
}

/**
 * The mask edit of one frame, created empty at the item's size on first use. Throws for an unknown item because an
 * edit without an item could never be shown or saved.
 */
export function ensureMaskEdit(store: DocumentStore, itemId: string, frameIndex: number): MaskEdit {
  const state = store.getState();
  const key = maskEditKey(itemId, frameIndex);
  const existing = state.maskEdits[key];
  if (existing) return existing;
  const item = state.items.find((candidate) => candidate.id === itemId);
  if (!item) throw new RangeError(`Expected a known item id for ensureMaskEdit but received ${itemId}`);
  const edit = createMaskEdit(item.width, item.height);
  store.setState({ maskEdits: { ...state.maskEdits, [key]: edit } });
  return edit;
}

/**
 * Signals that a frame's planes changed in place, so markers, the engine's copy and previews refresh;
 * `isRefineEdgeChanged` says the Refine Edge marks were among them (one store update either way).
 */
export function bumpMaskRevision(store: DocumentStore, key: string, isRefineEdgeChanged = false): void {
  const { maskRevisions, refineEdgeRevisions } = store.getState();
  const next = { maskRevisions: { ...maskRevisions, [key]: (maskRevisions[key] ?? 0) + 1 } };
  store.setState(isRefineEdgeChanged ? { ...next, refineEdgeRevisions: { ...refineEdgeRevisions, [key]: (refineEdgeRevisions[key] ?? 0) + 1 } } : next);
}

/** Replaces all mask edits (after loading a project); edits for unknown items or of the wrong size are dropped. */
export function loadMaskEdits(store: DocumentStore, maskEdits: Readonly<Record<string, MaskEdit>>): void {
  const state = store.getState();
  const fits = ([key, edit]: [string, MaskEdit]) => {
    const item = state.items.find((candidate) => candidate.id === parseMaskEditKey(key).itemId);
    return item !== undefined && item.width === edit.width && item.height === edit.height;
  };
  const kept = Object.fromEntries(Object.entries(maskEdits).filter(fits));
  const maskRevisions: Record<string, number> = {};
  const refineEdgeRevisions: Record<string, number> = {};
  for (const key of new Set([...Object.keys(kept), ...Object.keys(state.maskRevisions)])) {
    maskRevisions[key] = (state.maskRevisions[key] ?? 0) + 1;
    refineEdgeRevisions[key] = (state.refineEdgeRevisions[key] ?? 0) + 1;
  }
  store.setState({ maskEdits: kept, maskRevisions, refineEdgeRevisions });
}
