/**
 * Renderer-only session state that is neither part of the document nor undoable: the active tool, display toggles,
 * the model choice, export choices, dialogs, playback, and what the engine reported about each item's matte.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MatteProvenance } from '../../../shared/contract/studioContract';

/** Canvas tools: the add/subtract brush, the Refine Edge brush, and the hand (pan). */
export type CanvasTool = 'brush' | 'refineEdge' | 'hand';

/** The session state. */
export interface UiState {
  readonly tool: CanvasTool;
  /** Tints removed spill over the canvas (the Lab spill heat map). */
  readonly showHeatmap: boolean;
  /** Shows the cut-out without spill suppression ("before"). */
  readonly showSpillBefore: boolean;
  /** Picture behind the cut-out in the `image` view mode; `enginePath` is the engine's copy, which MP4 composites use. */
  readonly backgroundImage: { readonly name: string; readonly bitmap: ImageBitmap; readonly enginePath: string } | null;
  /** The model chosen in the picker; null = the engine's best installed model. */
  readonly modelId: string | null;
  readonly exportFormats: { readonly image: string; readonly clip: string };
  /** Output folder for exports; empty = `<folder> cutouts` beside each source's folder (`shared/defaultOutputFolder.ts`). */
  readonly outputDir: string;
  readonly isOpenDialogVisible: boolean;
  /** The `?` sheet of keyboard shortcuts. */
  readonly isShortcutSheetVisible: boolean;
  /** Playback speed: 0 stopped, negative backwards (J/K/L). */
  readonly shuttleSpeed: number;
  /** The latest provenance per item, with fallback reasons. */
  readonly provenance: Readonly<Record<string, MatteProvenance>>;
  /** Library thumbnail paths per item, as the engine gave them. */
  readonly thumbnails: Readonly<Record<string, string>>;
  /** Whether the canvas is waiting for a preview of the current frame. */
  readonly isPreviewLoading: boolean;
}

/** The session store. */
export type UiStore = StoreApi<UiState>;

/** Creates the session store with its defaults. */
export function createUiStore(): UiStore {
  return createStore<UiState>()(() => ({
    tool: 'brush',
    showHeatmap: false,
    showSpillBefore: false,
    backgroundImage: null,
    modelId: null,
    exportFormats: { image: 'png', clip: 'prores' },
    outputDir: '',
    isOpenDialogVisible: false,
    isShortcutSheetVisible: false,
    shuttleSpeed: 0,
    provenance: {},
    thumbnails: {},
    isPreviewLoading: false,
  }));
}

/** Whether the active clip is playing (the shuttle runs). */
export function isPlaying(store: UiStore): boolean {
  return store.getState().shuttleSpeed !== 0;
}

/** Whether a store change stopped playback. */
export function hasPlaybackStopped(state: UiState, previous: UiState): boolean {
  return state.shuttleSpeed === 0 && previous.shuttleSpeed !== 0;
}

/** Shallow-merges `patch` into the session state. */
export function updateUi(store: UiStore, patch: Partial<UiState>): void {
  store.setState(patch);
}

/** Sets the view's background picture, closing the bitmap it replaces (each holds decoded pixels). */
export function replaceBackgroundImage(store: UiStore, next: UiState['backgroundImage']): void {
  const previous = store.getState().backgroundImage;
  if (previous === next) return;
  updateUi(store, { backgroundImage: next });
  if (previous && previous.bitmap !== next?.bitmap) previous.bitmap.close();
}
