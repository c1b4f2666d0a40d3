/**
 * Read-only hooks for the Playwright specs: what the canvas shows, at picture coordinates. They read the
 * compositor's buffers (not the screen), so they work at any zoom and in any shell.
 */
import type { Compositor } from '../canvas/compositor';
import type { PreviewController } from '../canvas/previewController';
import type { ScrubDecodePath } from '../canvas/scrubLayerDecoder';
import type { DocumentStore } from '../document/documentStore';

/** The hooks on `window.__matteStudioTest`. */
export interface MatteStudioTestHooks {
  /** Composed alpha 0–255 at picture pixel (x, y), the engine's matte plus hand edits; -1 when no preview is shown. */
  getAlphaAt(x: number, y: number): number;
  /** RGBA 0–255 of the mask layer's composite at picture pixel (x, y) (depends on the view mode); null without a preview. */
  getPreviewPixel(x: number, y: number): [number, number, number, number] | null;
  /** Repaints so far (the status line's `data-preview-version`). */
  getPreviewVersion(): number;
  /** `performance.now()` of the last repaint. */
  getLastRepaintTime(): number;
  /** Viewport (client) coordinates of picture pixel (x, y) at the current zoom and pan, for `page.mouse`. */
  pictureToClient(x: number, y: number): { x: number; y: number } | null;
  /** The current zoom (screen pixels per picture pixel) and pan. */
  getView(): { zoom: number; panX: number; panY: number };
  /** Where the last scrub layer was decoded: `worker` unless the shell could not run the scrub-layer worker. */
  getScrubLayerDecodePath(): ScrubDecodePath;
}

declare global {
  interface Window {
    __matteStudioTest?: MatteStudioTestHooks;
  }
}

/** Installs the hooks; returns the uninstall function. */
export function installTestHooks(compositor: Compositor, store: DocumentStore, previews: Pick<PreviewController, 'scrubLayerDecodePath'>): () => void {
  const hooks: MatteStudioTestHooks = Object.freeze({
    getAlphaAt: (x: number, y: number) => compositor.alphaAt(Number(x), Number(y)),
    getPreviewPixel: (x: number, y: number) => compositor.pixelAt(Math.floor(Number(x)), Math.floor(Number(y))),
    getPreviewVersion: () => compositor.version,
    getLastRepaintTime: () => compositor.lastRepaintTime,
    pictureToClient: (x: number, y: number) => {
      const stage = document.querySelector('[data-testid="canvas-stage"]');
      if (!stage) return null;
      const rect = stage.getBoundingClientRect();
      const { zoom, panX, panY } = store.getState().view;
      return { x: rect.left + panX + x * zoom, y: rect.top + panY + y * zoom };
    },
    getView: () => {
      const { zoom, panX, panY } = store.getState().view;
      return { zoom, panX, panY };
    },
    getScrubLayerDecodePath: () => previews.scrubLayerDecodePath,
  });
  Object.defineProperty(window, '__matteStudioTest', { value: hooks, configurable: true, writable: false });
  return () => {
    if (window.__matteStudioTest === hooks) delete window.__matteStudioTest;
  };
}
