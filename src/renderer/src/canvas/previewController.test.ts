import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../connection/connectStudio';
import { addItems, createDocumentStore, setActiveItem, setFrameIndex } from '../document/documentStore';
import { createJobStore } from '../jobs/jobStore';
import type { MattingService } from '../jobs/mattingService';
import { createUiStore, updateUi } from '../ui/uiStore';
import type { MattingCoverage } from '../../../shared/contract/studioContract';
import type { Compositor, PreviewData } from './compositor';
import { createPreviewController, draftMaxSide, maxPlaybackHoldMs } from './previewController';
import type { ScrubLayerData } from './scrubLayer';

/**
 * A controller over one 250-frame clip, an engine that records preview requests (and never answers them), a
 * compositor that keeps what it is given, scrub layers that load when the test says, and a clock the test moves.
 */
function harness() {
  const previewFrames: Array<number | string> = [];
  const aborted: string[] = [];
  /** Every preview request: which frame, at what size, and whether it was aborted since. */
  const requests: Array<{ frameIndex: number; maxSide: number; isAborted: boolean }> = [];
  let coverageListener: ((coverage: MattingCoverage) => void) | undefined;
  const api = {
    on: (event: string, listener: (coverage: MattingCoverage) => void) => {
      if (event === 'onMattingProgress') coverageListener = listener;
      return { dispose() {} };
    },
    watchMatting: () => new Promise(() => {}),
    cancelBackgroundMatting: () => Promise.resolve({ ok: true }),
    renderPreview: (input: { itemId: string; frameIndex: number; maxSide: number }, options: { signal: AbortSignal }) => {
      previewFrames.push(input.itemId === 'clip' ? input.frameIndex : `${input.itemId}:${input.frameIndex}`);
      const request = { frameIndex: input.frameIndex, maxSide: input.maxSide, isAborted: false };
      requests.push(request);
      options.signal.addEventListener('abort', () => {
        aborted.push(input.itemId);
        request.isAborted = true;
      });
      return new Promise(() => {});
    },
  } as unknown as StudioApi;
  const store = createDocumentStore();
  addItems(store, [
    { id: 'clip', path: '/clips/talk.mp4', name: 'talk.mp4', kind: 'clip', width: 480, height: 480, frameCount: 250, fps: 25, status: 'done' },
    { id: 'still', path: '/photos/face.jpg', name: 'face.jpg', kind: 'image', width: 640, height: 480, status: 'done' },
  ]);
  const ui = createUiStore();
  const matting = { ensureMatte: () => Promise.resolve({ tier: 1, model: 'm', ep: 'cpu', fallbackReasons: [] }), refreshFlaggedFrames: () => Promise.resolve(), dispose() {} } as unknown as MattingService;
  const compositor = {
    preview: null as PreviewData | null,
    setPreview(preview: PreviewData) {
      this.preview = preview;
    },
    clear() {
      this.preview = null;
    },
  };
  /** Scrub layer loads waiting for the test to answer them, by frame. */
  const pendingLayers = new Map<number, (layer: ScrubLayerData | null) => void>();
  const clock = { ms: 0 };
  const controller = createPreviewController(api, (path) => path, store, ui, createJobStore(), matting, compositor as unknown as Compositor, {
    loadScrubLayer: (_itemId, frameIndex) => new Promise((resolve) => pendingLayers.set(frameIndex, resolve)),
    now: () => clock.ms,
  });
  /** Lets the controller's timers and its awaited engine calls run. */
  const wait = async (ms: number) => {
    clock.ms += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  /** The engine reports frames [0, end) of the clip matted. */
  const matted = (end: number) => coverageListener!({ itemId: 'clip', jobId: 'pass', state: 'running', frameCount: 250, mattedFrames: end, ranges: [[0, end]], fullFrames: end, fullRanges: [[0, end]] });
  /** Answers the load of `frame`'s layer (which must have been asked for). */
  const loadLayer = async (frame: number) => {
    const resolve = pendingLayers.get(frame);
    expect(resolve, `a load of frame ${frame}'s layer`).toBeDefined();
    pendingLayers.delete(frame);
    resolve!({ width: 4, height: 4, cutout: new Uint8Array(64), heatmap: new Uint8Array(16), provenance: { tier: 1, model: 'm', ep: 'cpu', fallbackReasons: [], quality: 'full' }, picture: { frame } as unknown as ImageBitmap });
    await vi.advanceTimersByTimeAsync(0);
  };
  /** The frame whose layer the compositor holds (null: none). */
  const shownFrame = () => compositor.preview?.frameIndex ?? null;
  /**
   * Frames [0, 100) matted, playback from frame 1 (where, at 25 fps, the read-ahead asks for layers at least a load's
   * time, 100 ms at first, ahead: frames 4, 5 and 6) to frame 4, whose layer then lands.
   */
  const playToFrame4WithItsLayer = async () => {
    await wait(10);
    matted(100);
    updateUi(ui, { shuttleSpeed: 1 });
    setFrameIndex(store, 'clip', 1);
    setFrameIndex(store, 'clip', 4);
    await loadLayer(4);
  };
  return { controller, store, ui, compositor, previewFrames, aborted, requests, wait, matted, loadLayer, pendingLayers, shownFrame, playToFrame4WithItsLayer };
}

describe('preview controller and playback', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks for the refined preview of a frame the playhead rests on when stepping', async () => {
    const { controller, store, previewFrames, wait } = harness();
    await wait(10);
    expect(previewFrames).toEqual([0]);
    setFrameIndex(store, 'clip', 5);
    await wait(400);
    expect(previewFrames).toEqual([0, 5]);
    controller.dispose();
  });

  it('asks for no refined preview while the clip plays, even where a frame lingers; the frame it stops on gets one', async () => {
    const { controller, store, ui, previewFrames, wait } = harness();
    await wait(10);
    updateUi(ui, { shuttleSpeed: 1 });
    // A busy machine drops frames: the playhead stays on each for longer than the settle time.
    for (const frame of [1, 2, 7, 12]) {
      setFrameIndex(store, 'clip', frame);
      await wait(400);
    }
    expect(previewFrames).toEqual([0]);
    updateUi(ui, { shuttleSpeed: 0 });
    await wait(400);
    expect(previewFrames).toEqual([0, 12]);
    controller.dispose();
  });

  it('opening another item while playing asks for its preview once: the stop does not restart it', async () => {
    const { controller, store, ui, previewFrames, aborted, wait } = harness();
    await wait(10);
    updateUi(ui, { shuttleSpeed: 1 });
    setFrameIndex(store, 'clip', 3);
    await wait(400);
    setActiveItem(store, 'still');
    // Playback stops itself for an item that is not a clip (usePlayback), right after the switch.
    updateUi(ui, { shuttleSpeed: 0 });
    await wait(400);
    expect(previewFrames).toEqual([0, 'still:0']);
    expect(aborted).not.toContain('still');
    controller.dispose();
  });

  it('while playing, a matted frame whose layer has not loaded keeps the last played layer up; an unmatted one does not', async () => {
    const { controller, store, wait, loadLayer, shownFrame, playToFrame4WithItsLayer } = harness();
    await playToFrame4WithItsLayer();
    expect(shownFrame()).toBe(4);
    // Frame 5's layer is late: frame 4 stays on screen (a dropped frame), not frame 5 unmatted.
    setFrameIndex(store, 'clip', 5);
    await wait(40);
    expect(shownFrame()).toBe(4);
    setFrameIndex(store, 'clip', 6);
    await wait(40);
    expect(shownFrame()).toBe(4);
    // Frame 6's layer arrives while it is on the playhead: it replaces the held one.
    await loadLayer(6);
    expect(shownFrame()).toBe(6);
    // Past the matted span the frame shows unmatted at once.
    setFrameIndex(store, 'clip', 100);
    expect(shownFrame()).toBeNull();
    controller.dispose();
  });

  it('a held layer gives way to the unmatted frame after the longest hold, and whenever playback is not running', async () => {
    const { controller, store, ui, wait, loadLayer, shownFrame, playToFrame4WithItsLayer } = harness();
    await playToFrame4WithItsLayer();
    setFrameIndex(store, 'clip', 5);
    await wait(maxPlaybackHoldMs - 10);
    expect(shownFrame()).toBe(4);
    // The engine stalls: once the hold is over, the next frame shows moving (unmatted) rather than frozen.
    await wait(20);
    setFrameIndex(store, 'clip', 6);
    expect(shownFrame()).toBeNull();
    // Stopped on frame 6, its own layer shows when it lands; stepping (not playing) never holds: the frame stepped
    // from goes at once.
    updateUi(ui, { shuttleSpeed: 0 });
    await wait(10);
    await loadLayer(6);
    expect(shownFrame()).toBe(6);
    setFrameIndex(store, 'clip', 7);
    expect(shownFrame()).toBeNull();
    controller.dispose();
  });

  it('a frame the engine sent no layer for is not held over: it shows unmatted', async () => {
    const { controller, store, wait, pendingLayers, shownFrame, playToFrame4WithItsLayer } = harness();
    await playToFrame4WithItsLayer();
    pendingLayers.get(5)!(null);
    pendingLayers.delete(5);
    await wait(0);
    setFrameIndex(store, 'clip', 5);
    expect(shownFrame()).toBeNull();
    controller.dispose();
  });

  it('stopping playback on a held frame drops the held layer and shows the stopped frame’s own once loaded', async () => {
    const { controller, store, ui, wait, loadLayer, shownFrame, playToFrame4WithItsLayer } = harness();
    await playToFrame4WithItsLayer();
    setFrameIndex(store, 'clip', 5);
    await wait(40);
    expect(shownFrame()).toBe(4);
    updateUi(ui, { shuttleSpeed: 0 });
    expect(shownFrame()).toBeNull();
    // The stopped frame's layer, already on its way, shows when it lands.
    await loadLayer(5);
    expect(shownFrame()).toBe(5);
    controller.dispose();
  });

  it('at rest the frames after the playhead are loaded, whichever way it came; while it moves back it reads back', async () => {
    const { controller, store, wait, matted, loadLayer, pendingLayers } = harness();
    await wait(10);
    matted(100);
    setFrameIndex(store, 'clip', 40);
    for (const frame of [40, 41, 42, 43]) await loadLayer(frame);
    // Home: a move back loads the frame itself (frames before 0 wrap to the unmatted end of the clip)…
    setFrameIndex(store, 'clip', 0);
    expect([...pendingLayers.keys()]).toEqual([0]);
    // …and once the playhead rests, the frames playback would show first.
    await wait(200);
    expect([...pendingLayers.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2]);
    for (const frame of [0, 1, 2, 3]) await loadLayer(frame);
    setFrameIndex(store, 'clip', 20);
    for (const frame of [20, 21, 22, 23]) await loadLayer(frame);
    setFrameIndex(store, 'clip', 19);
    expect([...pendingLayers.keys()].sort((a, b) => a - b)).toEqual([17, 18, 19]);
    controller.dispose();
  });

  it('a slider about to move prepares the draft of the frame on screen, once per frame and settings; a frame move drops it', async () => {
    const { controller, store, ui, compositor, requests, wait } = harness();
    await wait(10);
    expect(requests).toHaveLength(1); // frame 0's refined preview, on its way
    // No preview on screen yet: the frame may have no matte, and a hover must never run the model.
    controller.prepareSettingsTweak();
    await wait(0);
    expect(requests).toHaveLength(1);
    compositor.setPreview({ itemId: 'clip', frameIndex: 0 } as PreviewData);
    controller.prepareSettingsTweak();
    await wait(0);
    controller.prepareSettingsTweak();
    await wait(0);
    expect(requests.slice(1)).toEqual([{ frameIndex: 0, maxSide: draftMaxSide, isAborted: false }]);
    // A tick does not drop the prepared draft: it queues behind it in the engine and finds it ready.
    store.setState((state) => ({ settings: { ...state.settings, clip: { ...state.settings.clip!, radiusPx: 40 } } }));
    await wait(10);
    expect(requests[1]!.isAborted).toBe(false);
    // With other settings (the pointer reaches another slider), their draft is prepared in turn.
    const afterTick = requests.length;
    controller.prepareSettingsTweak();
    await wait(0);
    expect(requests.slice(afterTick)).toEqual([{ frameIndex: 0, maxSide: draftMaxSide, isAborted: false }]);
    // Playing: nothing is prepared.
    updateUi(ui, { shuttleSpeed: 1 });
    store.setState((state) => ({ settings: { ...state.settings, clip: { ...state.settings.clip!, radiusPx: 30 } } }));
    compositor.setPreview({ itemId: 'clip', frameIndex: 0 } as PreviewData);
    await wait(10); // that tick's own request
    const whilePlaying = requests.length;
    controller.prepareSettingsTweak();
    await wait(0);
    expect(requests).toHaveLength(whilePlaying);
    updateUi(ui, { shuttleSpeed: 0 });
    // A frame move drops the draft prepared for the frame left.
    const prepared = requests[afterTick]!;
    expect(prepared.isAborted).toBe(false);
    setFrameIndex(store, 'clip', 7);
    expect(prepared.isAborted).toBe(true);
    // Re-run (new mattes) drops the one prepared from the old matte, and the same settings are prepared again.
    compositor.setPreview({ itemId: 'clip', frameIndex: 7 } as PreviewData);
    controller.prepareSettingsTweak();
    await wait(0);
    const beforeRerun = requests[requests.length - 1]!;
    expect(beforeRerun).toEqual({ frameIndex: 7, maxSide: draftMaxSide, isAborted: false });
    controller.refresh();
    expect(beforeRerun.isAborted).toBe(true);
    const afterRerun = requests.length;
    controller.prepareSettingsTweak();
    await wait(0);
    expect(requests.slice(afterRerun).filter((request) => request.maxSide === draftMaxSide)).toHaveLength(1);
    controller.dispose();
  });
});
