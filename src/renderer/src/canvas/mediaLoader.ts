/**
 * Loads the picture the media layer shows (a frame JPEG from the engine's cache) with latest-wins semantics:
 * while scrubbing, an older frame that finishes late never replaces a newer one.
 */

/** Loads images one after another, dropping stale ones. */
export interface MediaLoader {
  /** Starts loading `url`; `onLoad` runs only if no later `load` was called meanwhile. */
  load(url: string, onLoad: (image: HTMLImageElement) => void, onError: () => void): void;
  cancel(): void;
}

/** Creates a loader. */
export function createMediaLoader(): MediaLoader {
  let generation = 0;
  return {
    load(url, onLoad, onError) {
      const current = ++generation;
      const image = new Image();
      image.decoding = 'async';
      image.onload = () => {
        if (current === generation) onLoad(image);
      };
      image.onerror = () => {
        if (current === generation) onError();
      };
      image.src = url;
    },
    cancel() {
      generation++;
    },
  };
}
