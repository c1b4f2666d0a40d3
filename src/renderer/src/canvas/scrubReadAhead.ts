/**
 * Keeps the scrub layers of the frames just ahead of the playhead loaded, so playback shows each frame with its
 * matte. Loading a layer takes longer than a frame lasts at 25–30 fps (fetch, decode, a round trip to the engine, more
 * while the background pass works), so loading only the frame on screen — and dropping it when the playhead moved on —
 * showed no matte at all while playing. Here a few loads run at once for frames the playhead reaches no sooner than a
 * load takes (measured as loads made while playing finish), in the way it moves; loads for frames it has passed still
 * finish (into a small cache of layers). Where the engine cannot keep up, frames are dropped, not delayed.
 */
import type { ScrubLayerData } from './scrubLayer';

/** What {@link createScrubReadAhead} needs from the studio. */
export interface ScrubReadAheadOptions {
  /** Loads a frame's layer; null when the engine has none for it. */
  load(itemId: string, frameIndex: number, signal: AbortSignal): Promise<ScrubLayerData | null>;
  /** True when the engine has the frame's matte cached (only those have a layer). */
  isMatted(itemId: string, frameIndex: number): boolean;
  /** True when a kept layer no longer shows the engine's matte (a draft the full-quality sweep has since replaced). */
  isOutdated?(itemId: string, frameIndex: number, layer: ScrubLayerData): boolean;
  /** Called once per loaded layer. */
  onLoaded(itemId: string, frameIndex: number, layer: ScrubLayerData): void;
  /** Frames loaded ahead of a playhead that steps or stands, besides the one on screen (default 3). */
  readAhead?: number;
  /** Loads at once (default 3: enough to outrun 30 fps at ~90 ms a load, few enough to leave the engine room). */
  maxInFlight?: number;
  /** Layers kept (default 24). */
  capacity?: number;
  /** What a load is expected to take before any made while playing has finished, in ms (default 100). */
  initialLatencyMs?: number;
  /** The clock, in ms (default performance.now). */
  now?: () => number;
}

/** How the playhead moves. */
export interface PlayheadMotion {
  /** +1 forward, −1 backwards, 0 standing. */
  readonly direction: number;
  /** Frames per second while playing (speed × the clip's rate); 0 when it steps or stands. */
  readonly framesPerSecond: number;
}

/** The read-ahead. */
export interface ScrubReadAhead {
  /** The frame's layer when it is loaded. */
  get(itemId: string, frameIndex: number): ScrubLayerData | undefined;
  /**
   * The playhead is on `frameIndex` of a clip of `frameCount` frames, moving as `motion` says: load the frames it
   * reaches next (playback wraps around the clip).
   */
  follow(itemId: string, frameIndex: number, frameCount: number, motion: PlayheadMotion): void;
  /** True when the engine had no layer for the frame (it is not asked for again until {@link clear}). */
  isMissing(itemId: string, frameIndex: number): boolean;
  /** Drops every layer and load (the matte changed, or another clip is shown). */
  clear(): void;
}

const keyOf = (itemId: string, frameIndex: number) => `${itemId}\n${frameIndex}`;

/** Creates the read-ahead. */
export function createScrubReadAhead(options: ScrubReadAheadOptions): ScrubReadAhead {
  const readAhead = options.readAhead ?? 3;
  const maxInFlight = options.maxInFlight ?? 3;
  const capacity = options.capacity ?? 24;
  const now = options.now ?? (() => performance.now());
  // A moving average of how long loads take while playing; playback asks for frames at least this far ahead.
  let latencyMs = options.initialLatencyMs ?? 100;
  // Insertion order is use order: a hit moves the layer to the end, the first one is evicted.
  const layers = new Map<string, ScrubLayerData>();
  const inFlight = new Map<string, AbortController>();
  // Frames the engine had no layer for, so they are not asked for again until the next clear().
  const missing = new Set<string>();
  let wanted: { itemId: string; frames: number[]; isPlaying: boolean } = { itemId: '', frames: [], isPlaying: false };

  function remember(key: string, layer: ScrubLayerData): void {
    layers.delete(key);
    layers.set(key, layer);
    while (layers.size > capacity) layers.delete(layers.keys().next().value!);
  }

  /** The kept layer, unless it is outdated (then it is dropped, to be loaded again). */
  function kept(itemId: string, frameIndex: number): ScrubLayerData | undefined {
    const key = keyOf(itemId, frameIndex);
    const layer = layers.get(key);
    if (layer && options.isOutdated?.(itemId, frameIndex, layer)) {
      layers.delete(key);
      return undefined;
    }
    return layer;
  }

  function pump(): void {
    const { itemId, frames, isPlaying } = wanted;
    for (const frameIndex of frames) {
      if (inFlight.size >= maxInFlight) return;
      const key = keyOf(itemId, frameIndex);
      if (kept(itemId, frameIndex) || inFlight.has(key) || missing.has(key)) continue;
      const controller = new AbortController();
      const started = now();
      inFlight.set(key, controller);
      void options.load(itemId, frameIndex, controller.signal).then(
        (layer) => {
          if (controller.signal.aborted) return;
          inFlight.delete(key);
          // Only loads made while playing say how far ahead playback must ask: at rest a load meets an idle page
          // and engine and lands sooner, and its time made playback ask for frames it then passed before they came.
          if (isPlaying) latencyMs = 0.7 * latencyMs + 0.3 * (now() - started);
          if (layer) {
            remember(key, layer);
            options.onLoaded(itemId, frameIndex, layer);
          } else missing.add(key);
          pump();
        },
        () => {
          if (controller.signal.aborted) return;
          inFlight.delete(key);
          missing.add(key);
          pump();
        },
      );
    }
  }

  return {
    get(itemId, frameIndex) {
      const layer = kept(itemId, frameIndex);
      if (layer) remember(keyOf(itemId, frameIndex), layer);
      return layer;
    },
    follow(itemId, frameIndex, frameCount, motion) {
      const step = Math.sign(motion.direction);
      const count = Math.max(1, frameCount);
      const rate = Math.abs(motion.framesPerSecond);
      // Playing: a load started now lands `latencyMs` later, so frames sooner than that are passed by then.
      const first = step === 0 || rate === 0 ? 0 : Math.ceil((latencyMs * rate) / 1000);
      const last = step === 0 ? 0 : rate === 0 ? readAhead : first + maxInFlight;
      const frameAt = (ahead: number) => (((frameIndex + ahead * step) % count) + count) % count;
      const frames: number[] = [];
      for (let ahead = first; ahead <= last; ahead++) {
        const frame = frameAt(ahead);
        if (!frames.includes(frame) && options.isMatted(itemId, frame)) frames.push(frame);
      }
      wanted = { itemId, frames, isPlaying: rate > 0 };
      // Loads for frames the playhead has passed are let finish, not aborted: the engine keeps working on a request
      // whose reader went away, so an abort only freed a slot for yet more work while playback starved. Their layers
      // are kept for the next loop, and their times keep the latency estimate honest.
      pump();
    },
    isMissing: (itemId, frameIndex) => missing.has(keyOf(itemId, frameIndex)),
    clear() {
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
      layers.clear();
      missing.clear();
      wanted = { itemId: '', frames: [], isPlaying: false };
    },
  };
}
