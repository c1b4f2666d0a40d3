/**
 * What one undo step holds and how it is applied. Mask steps hold tile diffs only (before/after bytes of the tiles a
 * gesture changed); settings steps hold before/after settings per item. Entries are plain data so tests and a
 * future history panel can inspect them.
 */
import type { DirtyRect } from '../../../core/matting/paintBrushDab';
import type { RefinementSettings } from '../../../shared/settings';
import { bumpMaskRevision, ensureMaskEdit, maskEditKey, type DocumentStore } from './documentStore';
import type { MaskEdit } from '../../../core/matting/maskEdit';
import { allTiles, compactTile, isRefineEdgeChanged, isTileEmpty, readTile, tileByteSize, tileRect, writeTile, type TileCoordinate, type TilePlanes } from './tiles';

/** One tile's bytes before and after a gesture; `null` stands for an empty tile, which costs no memory. */
export interface TileChange {
  readonly tile: TileCoordinate;
  readonly before: TilePlanes | null;
  readonly after: TilePlanes | null;
}

/** A brush stroke or a mask command on one frame. */
export interface MaskHistoryEntry {
  readonly kind: 'mask';
  /** Menu label without the verb, e.g. `Brush Stroke`. */
  readonly label: string;
  readonly itemId: string;
  readonly frameIndex: number;
  readonly changes: readonly TileChange[];
  /** Sum of the recorded tile bytes. */
  readonly byteSize: number;
}

/** One item's settings before and after a change. */
export interface SettingsChange {
  readonly itemId: string;
  readonly before: RefinementSettings;
  readonly after: RefinementSettings;
}

/** A slider drag or a settings command, possibly over several items (apply to all). */
export interface SettingsHistoryEntry {
  readonly kind: 'settings';
  readonly label: string;
  readonly changes: readonly SettingsChange[];
  /** Settings are a few numbers; only tile bytes count toward the budget. */
  readonly byteSize: 0;
}

/** One undo step. */
export type HistoryEntry = MaskHistoryEntry | SettingsHistoryEntry;

/** A change of one frame's planes, for the mask layer to repaint only these rectangles. */
export interface MaskChange {
  readonly itemId: string;
  readonly frameIndex: number;
  readonly rects: readonly DirtyRect[];
}

/** Builds a mask entry from tile changes, totalling its bytes. */
export function createMaskEntry(label: string, itemId: string, frameIndex: number, changes: readonly TileChange[]): MaskHistoryEntry {
  const byteSize = changes.reduce((total, change) => total + tileByteSize(change.before) + tileByteSize(change.after), 0);
  return { kind: 'mask', label, itemId, frameIndex, changes, byteSize };
}

/** Tile changes that erase every non-empty tile of an edit. */
export function collectClearChanges(edit: MaskEdit): TileChange[] {
  const changes: TileChange[] = [];
  for (const tile of allTiles(edit)) {
    const planes = readTile(edit, tile.tileX, tile.tileY);
    if (!isTileEmpty(planes)) changes.push({ tile, before: compactTile(planes), after: null });
  }
  return changes;
}

/**
 * Writes tiles into a frame's edit and signals the change (saying whether Refine Edge marks changed, which needs a
 * new engine preview); returns what to repaint.
 */
export function writeTiles(store: DocumentStore, itemId: string, frameIndex: number, tiles: ReadonlyArray<{ tile: TileCoordinate; planes: TilePlanes | null }>): MaskChange {
  const edit = ensureMaskEdit(store, itemId, frameIndex);
  let hasRefineEdgeChange = false;
  const rects = tiles.map(({ tile, planes }) => {
    hasRefineEdgeChange ||= isRefineEdgeChanged(readTile(edit, tile.tileX, tile.tileY), planes);
    writeTile(edit, tile.tileX, tile.tileY, planes);
    return tileRect(edit, tile.tileX, tile.tileY);
  });
  bumpMaskRevision(store, maskEditKey(itemId, frameIndex), hasRefineEdgeChange);
  return { itemId, frameIndex, rects };
}

/** Writes per-item settings into the store in one update. */
export function writeSettings(store: DocumentStore, values: ReadonlyArray<{ itemId: string; settings: RefinementSettings }>): void {
  const settings = { ...store.getState().settings };
  for (const { itemId, settings: value } of values) settings[itemId] = value;
  store.setState({ settings });
}

/** Applies an entry's before (`undo`) or after (`redo`) side; returns the mask change, if any. */
export function applyEntry(store: DocumentStore, entry: HistoryEntry, direction: 'undo' | 'redo'): MaskChange | undefined {
  if (entry.kind === 'mask') {
    const tiles = entry.changes.map((change) => ({ tile: change.tile, planes: direction === 'undo' ? change.before : change.after }));
    return writeTiles(store, entry.itemId, entry.frameIndex, tiles);
  }
  writeSettings(store, entry.changes.map((change) => ({ itemId: change.itemId, settings: direction === 'undo' ? change.before : change.after })));
  return undefined;
}

/** Item ids an entry refers to. */
export function entryItemIds(entry: HistoryEntry): string[] {
  return entry.kind === 'mask' ? [entry.itemId] : entry.changes.map((change) => change.itemId);
}

/** Keeps only the parts of an entry that refer to live items; `undefined` when nothing is left. */
export function restrictEntry(entry: HistoryEntry, liveItemIds: ReadonlySet<string>): HistoryEntry | undefined {
  if (entry.kind === 'mask') return liveItemIds.has(entry.itemId) ? entry : undefined;
  const changes = entry.changes.filter((change) => liveItemIds.has(change.itemId));
  if (changes.length === 0) return undefined;
  return changes.length === entry.changes.length ? entry : { ...entry, changes };
}

/** Menu names of the refinement settings, so the label reads `Undo Refinement Radius`. */
const settingLabels: Record<keyof RefinementSettings, string> = {
  radiusPx: 'Colour Radius',
  edgeRadiusPx: 'Radius',
  smartRadius: 'Smart Radius',
  decontaminate: 'Decontaminate Colors',
  decontaminateAmount: 'Decontaminate Amount',
  spillStrength: 'Spill Suppression',
  spillSkinProtection: 'Skin Protection',
  cartoonMode: 'Cartoon Mode',
  featherPx: 'Feather',
  shiftEdgePx: 'Shift Edge',
  contrast: 'Edge Contrast',
  smoothPx: 'Smooth Edge',
};

/** Names of the settings whose values differ. */
export function changedSettingKeys(before: RefinementSettings, after: RefinementSettings): Array<keyof RefinementSettings> {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as Array<keyof RefinementSettings>);
  return [...keys].filter((key) => !Object.is(before[key], after[key]));
}

/** The label of a change: the one setting's name, or `Refinement Settings` when several changed. */
export function settingsLabel(before: RefinementSettings, after: RefinementSettings): string {
  const keys = changedSettingKeys(before, after);
  return keys.length === 1 ? (settingLabels[keys[0]!] ?? 'Refinement Settings') : 'Refinement Settings';
}
