/**
 * Read-only hooks for the Playwright specs: what the canvas shows, at picture coordinates. They read the
 * compositor's buffers (not the screen), so they work at any zoom and in any shell.
 */
import type { Compositor } from '../canvas/compositor';

/** The hooks on `window.__matteStudioTest`. */
export interface MatteStudioTestHooks {
  /** Composed alpha 0–255 at picture pixel (x, y), the engine's matte plus hand edits; -1 when no preview is shown. */
  getAlphaAt(x: number, y: number): number;
  /** RGBA 0–255 of the mask layer's composite at picture pixel (x, y) (depends on the view mode); null without a preview. */
  getPreviewPixel(x: number, y: number): [number, number, number, number] | null;
  /** Repaints so far (the status line's `data-preview-version`). */
  getPreviewVersion(): number;
}

declare global {
  interface Window {
    __matteStudioTest?: MatteStudioTestHooks;
  }
}

/** Installs the hooks; returns the uninstall function. */
export function installTestHooks(compositor: Compositor): () => void {
  const hooks: MatteStudioTestHooks = Object.freeze({
    getAlphaAt: (x: number, y: number) => compositor.alphaAt(Number(x), Number(y)),
    getPreviewPixel: (x: number, y: number) => compositor.pixelAt(Math.floor(Number(x)), Math.floor(Number(y))),
    getPreviewVersion: () => compositor.version,
  });
  Object.defineProperty(window, '__matteStudioTest', { value: hooks, configurable: true, writable: false });
  return () => {
    if (window.__matteStudioTest === hooks) delete window.__matteStudioTest;
  };
}
