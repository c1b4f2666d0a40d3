/**
 * The mask layer's pixels: an offscreen canvas at preview resolution, composed from the current preview, the
 * frame's hand edits and the view mode (the Refine Edge marks tinted while that brush is in hand). A new preview or
 * style repaints everything; a dab repaints only the preview tiles under it, on the next animation frame. Listeners
 * hear every repaint (the status line counts them).
 */
import type { MatteProvenance } from '../../../shared/contract/studioContract';
import type { DirtyRect } from '../../../core/matting/paintBrushDab';
import { maskEditKey, type DocumentState, type DocumentStore } from '../document/documentStore';
import type { DocumentHistory } from '../document/history';
import type { UiState, UiStore } from '../ui/uiStore';
import { composeRegion, parseHexColor, type CompositeSource, type CompositeStyle } from './composePixels';
import { scheduleFrame } from './scheduleFrame';
import { fullRectToPreviewRect, fullToPreviewPoint, previewTileKeys, previewTileRect, sampleIndexMap } from './tileMapping';

/** A preview as the canvas holds it. */
export interface PreviewData {
  readonly itemId: string;
  readonly frameIndex: number;
  /** Full picture size (where hand edits live). */
  readonly fullWidth: number;
  readonly fullHeight: number;
  readonly width: number;
  readonly height: number;
  readonly cutout: Uint8Array;
  readonly heatmap: Uint8Array;
  readonly provenance: MatteProvenance;
  readonly isCartoon: boolean;
  /**
   * Scrub layers only: the frame's proxy picture, already decoded. The media layer shows it instead of fetching and
   * decoding the same JPEG again (during playback that was a second request and decode every frame).
   */
  readonly picture?: ImageBitmap;
}

/** What a repaint was. */
export type RepaintKind = 'preview' | 'style' | 'tiles' | 'clear';

/** The compositor. */
export interface Compositor {
  /** The offscreen canvas the mask layer draws (preview size). */
  readonly canvas: HTMLCanvasElement;
  readonly preview: PreviewData | null;
  /** Repaints so far; bumped after every full or tile repaint. */
  readonly version: number;
  /** `performance.now()` of the last repaint (the latency benchmark pairs it with input event times). */
  readonly lastRepaintTime: number;
  setPreview(preview: PreviewData): void;
  clear(): void;
  /** Composed alpha 0–255 at picture pixel (`x`, `y`), hand edits included; -1 without a preview. */
  alphaAt(x: number, y: number): number;
  /** Composite RGBA at picture pixel (`x`, `y`) as shown by the mask layer; null without a preview. */
  pixelAt(x: number, y: number): [number, number, number, number] | null;
  /** Hears every repaint; returns the unsubscribe function. */
  subscribe(listener: (kind: RepaintKind) => void): () => void;
  dispose(): void;
}

function styleOf(document: DocumentState, ui: UiState): CompositeStyle {
  const { view } = document;
  return {
    mode: view.viewMode,
    overlayRgb: parseHexColor(view.overlayColor, [255, 59, 48]),
    overlayOpacity: view.overlayOpacity,
    backgroundRgb: parseHexColor(view.backgroundColor, [0, 177, 64]),
    showHeatmap: ui.showHeatmap,
    showRefineEdge: ui.tool === 'refineEdge',
  };
}

/** Draws `bitmap` to cover `width × height` (cropping the overflow) and returns its pixels. */
function coverPixels(bitmap: ImageBitmap, width: number, height: number): Uint8ClampedArray {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const scale = Math.max(width / bitmap.width, height / bitmap.height);
  const drawWidth = bitmap.width * scale;
  const drawHeight = bitmap.height * scale;
  context.drawImage(bitmap, (width - drawWidth) / 2, (height - drawHeight) / 2, drawWidth, drawHeight);
  return context.getImageData(0, 0, width, height).data;
}

/** Creates the compositor; it follows mask changes, view style and the background picture by itself. */
export function createCompositor(store: DocumentStore, history: DocumentHistory, ui: UiStore): Compositor {
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: false })!;
  const listeners = new Set<(kind: RepaintKind) => void>();
  let preview: PreviewData | null = null;
  let source: Omit<CompositeSource, 'edit'> | null = null;
  let imageData: ImageData | null = null;
  let style = styleOf(store.getState(), ui.getState());
  let version = 0;
  let lastRepaintTime = 0;
  const dirtyTiles = new Set<number>();
  let cancelScheduled: (() => void) | null = null;

  const emit = (kind: RepaintKind) => {
    version += 1;
    lastRepaintTime = performance.now();
    for (const listener of [...listeners]) listener(kind);
  };
  const currentEdit = () => (preview ? store.getState().maskEdits[maskEditKey(preview.itemId, preview.frameIndex)] : undefined);
  const fullSource = (): CompositeSource | null => (source ? { ...source, edit: currentEdit() } : null);

  function repaintAll(kind: RepaintKind): void {
    const input = fullSource();
    if (!input || !imageData) return;
    dirtyTiles.clear();
    composeRegion(input, style, imageData.data, { x0: 0, y0: 0, x1: input.width, y1: input.height });
    context.putImageData(imageData, 0, 0);
    emit(kind);
  }

  function repaintDirtyTiles(): void {
    cancelScheduled = null;
    const input = fullSource();
    if (!input || !imageData || dirtyTiles.size === 0) return;
    for (const key of dirtyTiles) {
      const rect = previewTileRect(key, input);
      composeRegion(input, style, imageData.data, rect);
      context.putImageData(imageData, 0, 0, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0);
    }
    dirtyTiles.clear();
    emit('tiles');
  }

  function markDirty(rects: readonly DirtyRect[]): void {
    if (!preview) return;
    for (const rect of rects) {
      const previewRect = fullRectToPreviewRect(rect, { width: preview.fullWidth, height: preview.fullHeight }, preview);
      for (const key of previewTileKeys(previewRect, preview)) dirtyTiles.add(key);
    }
    if (dirtyTiles.size > 0 && !cancelScheduled) cancelScheduled = scheduleFrame(repaintDirtyTiles);
  }

  function updateBackground(): void {
    if (!source || !preview) return;
    const bitmap = ui.getState().backgroundImage?.bitmap;
    source = { ...source, background: bitmap ? coverPixels(bitmap, preview.width, preview.height) : undefined };
  }

  const unsubscribeMask = history.subscribeMaskChanges((change) => {
    if (preview && change.itemId === preview.itemId && change.frameIndex === preview.frameIndex) markDirty(change.rects);
  });
  const restyle = () => {
    const next = styleOf(store.getState(), ui.getState());
    if (JSON.stringify(next) === JSON.stringify(style)) return;
    style = next;
    repaintAll('style');
  };
  const unsubscribeStore = store.subscribe((state, previousState) => {
    if (state.view !== previousState.view) restyle();
    // An undo that replaces a whole edit object (first stroke on a frame) changes maskEdits: repaint from the new one.
    if (preview && state.maskEdits !== previousState.maskEdits) {
      const key = maskEditKey(preview.itemId, preview.frameIndex);
      if (state.maskEdits[key] !== previousState.maskEdits[key]) repaintAll('tiles');
    }
  });
  const unsubscribeUi = ui.subscribe((state, previousState) => {
    if (state.backgroundImage !== previousState.backgroundImage) {
      updateBackground();
      repaintAll('style');
    } else if (state.showHeatmap !== previousState.showHeatmap || state.tool !== previousState.tool) restyle();
  });

  return {
    canvas,
    get preview() {
      return preview;
    },
    get version() {
      return version;
    },
    get lastRepaintTime() {
      return lastRepaintTime;
    },
    setPreview(next) {
      cancelScheduled?.();
      cancelScheduled = null;
      const sizeChanged = !preview || preview.width !== next.width || preview.height !== next.height;
      preview = next;
      source = {
        width: next.width,
        height: next.height,
        cutout: next.cutout,
        heatmap: next.heatmap,
        editColumns: sampleIndexMap(next.width, next.fullWidth),
        editRows: sampleIndexMap(next.height, next.fullHeight),
      };
      updateBackground();
      if (sizeChanged || !imageData) {
        canvas.width = next.width;
        canvas.height = next.height;
        imageData = context.createImageData(next.width, next.height);
      }
      repaintAll('preview');
    },
    clear() {
      if (!preview) return;
      cancelScheduled?.();
      cancelScheduled = null;
      preview = null;
      source = null;
      dirtyTiles.clear();
      context.clearRect(0, 0, canvas.width, canvas.height);
      emit('clear');
    },
    alphaAt(x, y) {
      const input = fullSource();
      if (!input || !preview || !(x >= 0 && y >= 0 && x < preview.fullWidth && y < preview.fullHeight)) return -1;
      const point = fullToPreviewPoint(Math.floor(x), Math.floor(y), { width: preview.fullWidth, height: preview.fullHeight }, preview);
      const engineAlpha = input.cutout[(point.y * input.width + point.x) * 4 + 3]!;
      const edit = input.edit;
      if (!edit) return engineAlpha;
      const index = Math.floor(y) * edit.width + Math.floor(x);
      return Math.min(255, Math.max(0, engineAlpha + edit.add[index]! - edit.remove[index]!));
    },
    pixelAt(x, y) {
      if (!preview || !imageData || !(x >= 0 && y >= 0 && x < preview.fullWidth && y < preview.fullHeight)) return null;
      // Pending dabs first, so tests read what the next frame will show.
      if (cancelScheduled) {
        cancelScheduled();
        repaintDirtyTiles();
      }
      const point = fullToPreviewPoint(x, y, { width: preview.fullWidth, height: preview.fullHeight }, preview);
      const offset = (point.y * preview.width + point.x) * 4;
      const data = imageData.data;
      return [data[offset]!, data[offset + 1]!, data[offset + 2]!, data[offset + 3]!];
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      cancelScheduled?.();
      unsubscribeMask();
      unsubscribeStore();
      unsubscribeUi();
      listeners.clear();
    },
  };
}

