/**
 * The document ↔ project bridge: what a save or an autosave sends (items, settings, timeline positions, view; hand
 * edits travel separately through `setMaskEdit`), and loading an opened project into the store without creating
 * undo entries. Pure functions over the stores, so they are tested without the engine.
 */
import type { StudioContract } from '../../../shared/contract/studioContract';
import type { MethodInput, MethodOutput } from '../../../shared/rpc/defineContract';
import {
  addItems, defaultRefinementSettings, loadMaskEdits, removeItems, setActiveItem, setFrameIndex, setSelection, updateView, viewModes,
  type DocumentState, type DocumentStore, type ViewMode,
} from '../document/documentStore';
import type { DocumentHistory } from '../document/history';
import { deserializeMaskEdits } from '../document/maskEditStorage';
import { tileSizePx } from '../document/tiles';
import { toDocumentItem } from '../library/itemInfo';
import { updateUi, type UiStore } from '../ui/uiStore';
import type { ProjectBackgroundPicture } from './projectBackground';

/** What `saveProject` and `markDocumentChanged` carry. */
export type ProjectDocumentInput = MethodInput<StudioContract, 'saveProject'>['document'];
/** What `openProject` and `recoverSession` answer. */
export type OpenedProject = MethodOutput<StudioContract, 'openProject'>;

/** The document's project part, with the view's background picture when one is chosen. */
export function documentForSave(state: DocumentState, backgroundPicture?: ProjectBackgroundPicture): ProjectDocumentInput {
  const { zoom, panX, panY, viewMode, overlayColor, overlayOpacity, backgroundColor, splitFraction } = state.view;
  return {
    items: state.items.map((item) => ({
      id: item.id,
      path: item.path,
      kind: item.kind,
      settings: state.settings[item.id] ?? defaultRefinementSettings(),
      frameIndex: state.frameIndices[item.id] ?? 0,
    })),
    activeItemId: state.activeItemId,
    view: { zoom, panX, panY, viewMode, overlayColor, overlayOpacity, backgroundColor, splitFraction },
    ...(backgroundPicture ? { backgroundPicture: { name: backgroundPicture.name, path: backgroundPicture.path } } : {}),
  };
}

const itemIdsOf = (state: DocumentState) => state.items.map((item) => item.id).join('\n');

/**
 * True when a store update changed what a project saves in a way the artist would call an edit: settings, hand
 * edits (revisions bump at gesture boundaries), the set of items. Status updates, selection, view and the timeline
 * are saved along but do not make the document unsaved.
 */
export function isDocumentChange(state: DocumentState, previous: DocumentState): boolean {
  if (state.settings !== previous.settings || state.maskRevisions !== previous.maskRevisions) return true;
  return state.items !== previous.items && itemIdsOf(state) !== itemIdsOf(previous);
}

/**
 * Replaces the document with an opened project: its items, settings, timeline positions, hand edits, active item
 * and view mode (zoom and pan are left to the canvas, which fits the new picture). The history is cleared, so
 * loading is not undoable and no earlier step can reach into the new document. Returns warnings about edits that
 * could not be read.
 */
export function loadOpenedProject(store: DocumentStore, history: DocumentHistory, ui: UiStore, opened: OpenedProject): string[] {
  history.clear();
  removeItems(store, store.getState().items.map((item) => item.id));
  updateUi(ui, { thumbnails: { ...ui.getState().thumbnails, ...Object.fromEntries(opened.items.map((info) => [info.id, info.thumbnailUrl])) } });
  addItems(store, opened.items.map(toDocumentItem));
  const known = new Set(opened.items.map((info) => info.id));
  const settings = { ...store.getState().settings };
  for (const state of opened.states) if (known.has(state.itemId)) settings[state.itemId] = state.settings;
  store.setState({ settings });
  for (const state of opened.states) setFrameIndex(store, state.itemId, state.frameIndex);
  const frames = opened.maskEdits.map(({ itemId, frameIndex, edit }) => ({ itemId, frameIndex, width: edit.width, height: edit.height, tiles: edit.tiles }));
  const { maskEdits, warnings } = deserializeMaskEdits({ version: 1, tileSizePx, frames });
  loadMaskEdits(store, maskEdits);
  const activeItemId = opened.activeItemId !== null && known.has(opened.activeItemId) ? opened.activeItemId : (opened.items[0]?.id ?? null);
  setActiveItem(store, activeItemId);
  setSelection(store, activeItemId === null ? [] : [activeItemId]);
  const view = opened.view;
  if (view) {
    const viewMode = (viewModes as readonly string[]).includes(view.viewMode) ? (view.viewMode as ViewMode) : store.getState().view.viewMode;
    updateView(store, { viewMode, overlayColor: view.overlayColor, overlayOpacity: view.overlayOpacity, backgroundColor: view.backgroundColor, splitFraction: view.splitFraction });
  }
  history.clear();
  return warnings;
}
