/**
 * Loads the picture the media layer shows (a frame JPEG from the engine's cache) with latest-wins semantics:
 * while scrubbing, an older frame that finishes late never replaces a newer one. Frames next to the one on screen
 * can be fetched and decoded ahead ({@link MediaLoader.prefetch}), so a frame step shows its picture without a round
 * trip to the engine.
 */

/** Loads images one after another, dropping stale ones. */
export interface MediaLoader {
  /** Starts loading `url`; `onLoad` runs only if no later `load` was called meanwhile (at once if it is decoded). */
  load(url: string, onLoad: (image: HTMLImageElement) => void, onError: () => void): void;
  /** Fetches and decodes `urls` ahead, keeping the most recent few (a clip's neighbouring frames). */
  prefetch(urls: readonly string[]): void;
  cancel(): void;
}

/** How many decoded pictures are kept: the frame on screen, its neighbours, and a few just left behind. */
const keptPictures = 8;

interface Entry {
  image: HTMLImageElement;
  state: 'loading' | 'loaded' | 'failed';
  waiters: Array<() => void>;
}

/** Creates a loader; `createImage` is for tests (the DOM's `Image` by default). */
export function createMediaLoader(createImage: () => HTMLImageElement = () => new Image()): MediaLoader {
  let generation = 0;
  const entries = new Map<string, Entry>();

  /** The entry for `url`, most recently used last; started if new, the oldest beyond the limit dropped. */
  function entryFor(url: string): Entry {
    let entry = entries.get(url);
    if (entry) entries.delete(url);
    else {
      const image = createImage();
      image.decoding = 'async';
      const started: Entry = { image, state: 'loading', waiters: [] };
      const settle = (state: Entry['state']) => {
        started.state = state;
        for (const wake of started.waiters.splice(0)) wake();
      };
      // decode() resolves once the picture can be drawn without a decode on the main thread's next paint.
      image.onload = () => void image.decode().then(() => settle('loaded'), () => settle('loaded'));
      image.onerror = () => settle('failed');
      image.src = url;
      entry = started;
    }
    entries.set(url, entry);
    for (const [key, old] of entries) {
      if (entries.size <= keptPictures) break;
      if (old.state !== 'loading') entries.delete(key);
    }
    return entry;
  }

  return {
    load(url, onLoad, onError) {
      const current = ++generation;
      const entry = entryFor(url);
      const finish = () => {
        if (current !== generation) return;
        if (entry.state === 'loaded') onLoad(entry.image);
        else {
          entries.delete(url); // a failed picture is asked for afresh next time
          onError();
        }
      };
      if (entry.state === 'loading') entry.waiters.push(finish);
      else finish();
    },
    prefetch(urls) {
      for (const url of urls) entryFor(url);
    },
    cancel() {
      generation++;
    },
  };
}

/** The frames a step is likeliest to land on next: forward first (playback, →), then back, then two ahead. */
export function neighbourFrames(frameIndex: number, frameCount: number): number[] {
  return [frameIndex + 1, frameIndex - 1, frameIndex + 2].filter((index) => index >= 0 && index < frameCount);
}
