import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../connection/connectStudio';
import { addItems, createDocumentStore, setActiveItem, setFrameIndex } from '../document/documentStore';
import { createJobStore } from '../jobs/jobStore';
import type { MattingService } from '../jobs/mattingService';
import { createUiStore, updateUi } from '../ui/uiStore';
import type { Compositor } from './compositor';
import { createPreviewController } from './previewController';

/** A controller over one 250-frame clip, an engine that records preview requests (and never answers them). */
function harness() {
  const previewFrames: Array<number | string> = [];
  const aborted: string[] = [];
  const api = {
    on: () => ({ dispose() {} }),
    watchMatting: () => new Promise(() => {}),
    cancelBackgroundMatting: () => Promise.resolve({ ok: true }),
    renderPreview: (input: { itemId: string; frameIndex: number }, options: { signal: AbortSignal }) => {
      previewFrames.push(input.itemId === 'clip' ? input.frameIndex : `${input.itemId}:${input.frameIndex}`);
      options.signal.addEventListener('abort', () => aborted.push(input.itemId));
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
  const compositor = { preview: null, setPreview() {}, clear() {} } as unknown as Compositor;
  const controller = createPreviewController(api, (path) => path, store, ui, createJobStore(), matting, compositor);
  /** Lets the controller's timers and its awaited engine calls run. */
  const wait = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { controller, store, ui, previewFrames, aborted, wait };
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
});
