import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScrubLayerData } from './scrubLayer';
import { createScrubReadAhead, type ScrubReadAheadOptions } from './scrubReadAhead';

function layerOf(frameIndex: number, quality: 'draft' | 'full' = 'full'): ScrubLayerData {
  const pixels = new Uint8Array([frameIndex, 0, 0, 255]);
  return { width: 1, height: 1, cutout: pixels, heatmap: new Uint8Array(1), provenance: { tier: 1, model: 'm', ep: 'cpu', fallbackReasons: [], quality }, picture: {} as ImageBitmap };
}

/** A read-ahead over a fake engine whose every layer takes `latencyMs` to arrive. */
function harness(latencyMs: number, options: Partial<ScrubReadAheadOptions> = {}) {
  const requested: number[] = [];
  const aborted: number[] = [];
  const loaded: number[] = [];
  const readAhead = createScrubReadAhead({
    load: (_itemId, frameIndex, signal) =>
      new Promise((resolve) => {
        requested.push(frameIndex);
        signal.addEventListener('abort', () => aborted.push(frameIndex));
        setTimeout(() => resolve(layerOf(frameIndex)), latencyMs);
      }),
    isMatted: () => true,
    onLoaded: (_itemId, frameIndex) => loaded.push(frameIndex),
    now: () => Date.now(),
    ...options,
  });
  return { readAhead, requested, aborted, loaded };
}

/**
 * Plays `frames` frames at `fps` from frame 0 of a 250-frame clip; a frame counts as shown matted when its layer was
 * there when the playhead reached it, or arrived while the playhead was still on it.
 */
async function play(readAhead: ReturnType<typeof harness>, fps: number, frames: number): Promise<number> {
  let shown = 0;
  for (let frame = 0; frame < frames; frame++) {
    const loadedBefore = readAhead.loaded.length;
    readAhead.readAhead.follow('clip', frame, 250, { direction: 1, framesPerSecond: fps });
    let isShown = readAhead.readAhead.get('clip', frame) !== undefined;
    await vi.advanceTimersByTimeAsync(1000 / fps);
    if (!isShown) isShown = readAhead.loaded.slice(loadedBefore).includes(frame);
    if (isShown) shown++;
  }
  return shown / frames;
}

describe('scrub read-ahead', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows nearly every frame matted while playing at 30 fps, though each layer takes 80 ms to load', async () => {
    // Whatever it first expects, it learns how long loads take and asks far enough ahead.
    for (const initialLatencyMs of [20, 100, 400]) expect(await play(harness(80, { initialLatencyMs }), 30, 90)).toBeGreaterThanOrEqual(0.85);
  });

  it('loads at rest do not teach playback to ask too close ahead: they land sooner than loads while playing', async () => {
    // An idle engine answers in 10 ms; while the clip plays (page and engine busy) a load takes 120 ms.
    let isPlaying = false;
    const engine = harness(0, {
      load: (_itemId, frameIndex) => new Promise((resolve) => setTimeout(() => resolve(layerOf(frameIndex)), isPlaying ? 120 : 10)),
      onLoaded: (_itemId, frameIndex) => engine.loaded.push(frameIndex),
    });
    // Stepping through 20 frames at rest, each layer arriving before the next step.
    for (let frame = 100; frame < 120; frame++) {
      engine.readAhead.follow('clip', frame, 250, { direction: 1, framesPerSecond: 0 });
      await vi.advanceTimersByTimeAsync(50);
    }
    isPlaying = true;
    // Frames 0–2 come before any load started at frame 0 can land (120 ms = 3 frames); every later one is matted.
    // Taught 10 ms by the loads at rest, the read-ahead first asked for frames 1 and 2, which came too late.
    expect(await play(engine, 25, 12)).toBeGreaterThanOrEqual(9 / 12);
  });

  it('drops frames rather than falling behind when loads are slower than playback', async () => {
    const slow = harness(250);
    const shown = await play(slow, 30, 120);
    // Three loads per 250 ms: 12 layers a second of the 30 frames, each still on time.
    expect(shown).toBeGreaterThan(0.25);
    expect(shown).toBeLessThan(0.5);
  });

  it('lets loads for frames the playhead has passed finish into the cache, and never asks for a frame twice', async () => {
    const { readAhead, requested, aborted } = harness(1000, { readAhead: 4, maxInFlight: 2 });
    const stepping = { direction: 1, framesPerSecond: 0 };
    readAhead.follow('clip', 10, 250, stepping);
    expect(requested).toEqual([10, 11]);
    readAhead.follow('clip', 12, 250, stepping);
    // Both slots are busy: nothing new starts, and nothing is aborted (the engine would finish the work anyway).
    expect([requested, aborted]).toEqual([[10, 11], []]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(requested).toEqual([10, 11, 12, 13]);
    expect(readAhead.get('clip', 10)).toBeDefined();
    await vi.advanceTimersByTimeAsync(1000);
    readAhead.follow('clip', 12, 250, stepping);
    expect(readAhead.get('clip', 12)).toBeDefined();
    expect(requested.filter((frame) => frame === 12)).toHaveLength(1);
  });

  it('reads backwards when playing backwards, wraps around the clip, and skips frames without a matte', async () => {
    const { readAhead, requested } = harness(10, { readAhead: 4, maxInFlight: 8, isMatted: (_itemId, frame) => frame !== 248 });
    readAhead.follow('clip', 1, 250, { direction: -1, framesPerSecond: 0 });
    expect(requested).toEqual([1, 0, 249, 247]);
    // Playing backwards at 30 fps with 100 ms loads: from 3 frames ahead on.
    readAhead.follow('clip', 100, 250, { direction: -1, framesPerSecond: -30 });
    expect(requested.slice(4)).toEqual([97, 96, 95, 94]); // four slots left: the first four loads still run
  });

  it('loads a draft layer again once the full-quality matte has replaced it, and keeps at most `capacity` layers', async () => {
    let isFull = false;
    let quality: 'draft' | 'full' = 'draft';
    const requested: number[] = [];
    const readAhead = createScrubReadAhead({
      load: async (_itemId, frameIndex) => {
        requested.push(frameIndex);
        return layerOf(frameIndex, quality);
      },
      isMatted: () => true,
      isOutdated: (_itemId, _frameIndex, layer) => layer.provenance.quality === 'draft' && isFull,
      onLoaded: () => {},
      capacity: 2,
    });
    readAhead.follow('clip', 5, 250, { direction: 0, framesPerSecond: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(readAhead.get('clip', 5)?.provenance.quality).toBe('draft');
    isFull = true;
    quality = 'full';
    expect(readAhead.get('clip', 5)).toBeUndefined();
    readAhead.follow('clip', 5, 250, { direction: 0, framesPerSecond: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(readAhead.get('clip', 5)?.provenance.quality).toBe('full');
    for (const frame of [6, 7]) {
      readAhead.follow('clip', frame, 250, { direction: 0, framesPerSecond: 0 });
      await vi.advanceTimersByTimeAsync(0);
    }
    expect([5, 6, 7].map((frame) => readAhead.get('clip', frame) !== undefined)).toEqual([false, true, true]);
    expect(requested).toEqual([5, 5, 6, 7]);
  });
});
