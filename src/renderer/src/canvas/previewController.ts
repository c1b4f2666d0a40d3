/**
 * Keeps the canvas's preview in step with the document: whenever the active item, its frame, its settings or the
 * spill before/after toggle change, it cancels the previous request and asks for a new preview (after the frame has
 * a matte). Slider ticks go out at once as a small draft (each new value aborts the last), and the full-size preview
 * follows when the value rests; timeline moves wait a moment before asking for the refined preview, and meanwhile a
 * frame whose matte the engine already has (the background pass got there) shows it from its scrub layer, loaded ahead
 * of the playhead so playback shows every matted frame with its matte.
 * A change of the frame's Refine Edge marks asks again like a slider tick: the engine re-solves alpha under them.
 */
import type { RefinementSettings } from '../../../shared/settings';
import type { StudioApi } from '../connection/connectStudio';
import { maskEditKey, type DocumentStore } from '../document/documentStore';
import { failureSentence, isCancellation } from '../jobs/errorSentences';
import { pushNotice, type JobStore } from '../jobs/jobStore';
import type { MattingService } from '../jobs/mattingService';
import { hasPlaybackStopped, isPlaying, updateUi, type UiStore } from '../ui/uiStore';
import type { Compositor } from './compositor';
import { matteCoverageFor } from '../timeline/matteCoverage';
import { loadPreviewBytes } from './previewLayers';
import { loadScrubLayer, type ScrubLayerData } from './scrubLayer';
import { createScrubLayerDecoder, type ScrubDecodePath } from './scrubLayerDecoder';
import { createScrubReadAhead, type PlayheadMotion } from './scrubReadAhead';

/** Long side of previews in pixels. */
export const previewMaxSide = 1600;
/**
 * Long side of the draft preview shown while a slider moves: an eighth of the full preview's pixels, so a tick comes back
 * in a fraction of the time; the full-size preview follows once the value rests.
 */
export const draftMaxSide = 560;
/** Quiet time after the last slider tick before the full-size preview replaces the draft. */
const fullPreviewSettleMs = 200;
/** Quiet time after the last timeline move before a preview is requested. */
const frameSettleMs = 150;
/**
 * Longest a played frame's scrub layer stays on screen over later matted frames whose layers have not loaded yet
 * (see `isHeldWhilePlaying`): long enough to bridge the few frames a busy engine drops, short enough that a stalled
 * one shows motion rather than a frozen picture.
 */
export const maxPlaybackHoldMs = 400;

/** Whether `preview` (the one on screen, if any) is of `target`'s item and frame. */
function isPreviewOf(preview: { itemId: string; frameIndex: number } | null, target: { itemId: string; frameIndex: number }): boolean {
  return preview !== null && preview.itemId === target.itemId && preview.frameIndex === target.frameIndex;
}

/** Options of {@link createPreviewController}. */
export interface PreviewControllerOptions {
  /** Runs before each preview request, after the matte is ready (the studio sends the frame's pending hand edits). */
  beforeRender?: (itemId: string) => Promise<void>;
  /** Loads a clip frame's scrub layer. @default fetches `/media/scrub/…` and decodes it in a worker (`scrubLayer.ts`) */
  loadScrubLayer?: (itemId: string, frameIndex: number, signal: AbortSignal) => Promise<ScrubLayerData | null>;
  /** The clock, in ms. @default performance.now */
  now?: () => number;
}

/** The preview controller. */
export interface PreviewController {
  /** Requests the current preview again (after Re-run). */
  refresh(): void;
  /**
   * A slider is about to move (the pointer is over it, or it has the focus): the engine prepares the draft of the
   * frame on screen now, so the first tick finds the draft-size picture, its cartoon verdict and its edge band ready
   * instead of computing them (some 0.4 s on the 2-core VM, against well under 0.1 s for the ticks after it).
   */
  prepareSettingsTweak(): void;
  /** Where the last scrub layer was decoded (the worker, or the page where no worker could run). */
  readonly scrubLayerDecodePath: ScrubDecodePath;
  dispose(): void;
}

interface PreviewTarget {
  readonly itemId: string;
  readonly itemName: string;
  readonly frameIndex: number;
  readonly fullWidth: number;
  readonly fullHeight: number;
  readonly settings: RefinementSettings;
  /** The frame's Refine Edge revision: a new one needs a new preview. */
  readonly refineEdgeRevision: number;
}

/** Creates the controller; it subscribes to the stores and runs until disposed. */
export function createPreviewController(
  api: StudioApi,
  toMediaUrl: (path: string) => string,
  store: DocumentStore,
  ui: UiStore,
  jobs: JobStore,
  matting: MattingService,
  compositor: Compositor,
  options: PreviewControllerOptions = {},
): PreviewController {
  let controller: AbortController | null = null;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  let lastKey = '';
  let lastItemId: string | null = null;
  let lastFrameIndex = 0;
  /** The draft prepared ahead of a slider's first tick (see prepareSettingsTweak), and how to drop it. */
  let prepared: { key: string; itemId: string; frameIndex: number; controller: AbortController } | null = null;
  /** A frame was shown while playing without asking for its refined preview: the stop asks. */
  let isPreviewDeferred = false;
  const now = options.now ?? (() => performance.now());
  /** When the compositor last got a scrub layer (the start of a hold while playing). */
  let layerShownAt = -Infinity;
  const nameOf = (itemId: string) => store.getState().items.find((item) => item.id === itemId)?.name;
  const coverage = matteCoverageFor(api, { jobs, nameOf });
  const scrubDecoder = createScrubLayerDecoder();
  const scrubLayers = createScrubReadAhead({
    load: options.loadScrubLayer ?? ((itemId, frameIndex, signal) => loadScrubLayer(itemId, frameIndex, toMediaUrl, signal, scrubDecoder)),
    isMatted: (itemId, frameIndex) => coverage.isMatted(itemId, frameIndex),
    isOutdated: (itemId, frameIndex, layer) => layer.provenance.quality === 'draft' && coverage.isFullQuality(itemId, frameIndex),
    onLoaded(itemId, frameIndex, layer) {
      const target = currentTarget();
      if (target?.itemId === itemId && target.frameIndex === frameIndex) showScrubLayer(target, layer);
    },
  });

  function currentTarget(): PreviewTarget | null {
    const state = store.getState();
    const item = state.items.find((candidate) => candidate.id === state.activeItemId);
    const settings = item ? state.settings[item.id] : undefined;
    if (!item || !settings) return null;
    const effective = ui.getState().showSpillBefore ? { ...settings, spillStrength: 0 } : settings;
    const frameIndex = state.frameIndices[item.id] ?? 0;
    const refineEdgeRevision = state.refineEdgeRevisions[maskEditKey(item.id, frameIndex)] ?? 0;
    return { itemId: item.id, itemName: item.name, frameIndex, fullWidth: item.width, fullHeight: item.height, settings: effective, refineEdgeRevision };
  }

  async function request(target: PreviewTarget, signal: AbortSignal, maxSide = previewMaxSide): Promise<void> {
    updateUi(ui, { isPreviewLoading: true });
    try {
      await matting.ensureMatte(target.itemId, target.frameIndex, { signal });
      await options.beforeRender?.(target.itemId);
      if (signal.aborted) return;
      const preview = await api.renderPreview({ itemId: target.itemId, frameIndex: target.frameIndex, settings: target.settings, maxSide }, { signal });
      const bytes = await loadPreviewBytes(preview, toMediaUrl, signal);
      if (signal.aborted) return;
      compositor.setPreview({ ...bytes, itemId: target.itemId, frameIndex: target.frameIndex, fullWidth: target.fullWidth, fullHeight: target.fullHeight, width: preview.width, height: preview.height, provenance: preview.provenance, isCartoon: preview.isCartoon });
      updateUi(ui, { isPreviewLoading: false, provenance: { ...ui.getState().provenance, [target.itemId]: preview.provenance } });
    } catch (error) {
      if (signal.aborted || isCancellation(error)) return;
      updateUi(ui, { isPreviewLoading: false });
      // Matting failures were already reported (and marked on the item) by the matting service.
      const item = store.getState().items.find((candidate) => candidate.id === target.itemId);
      if (item?.status !== 'failed') pushNotice(jobs, 'error', failureSentence('show the preview of', target.itemName, error));
    }
  }

  function start(target: PreviewTarget | null, isSettingsTweak = false): void {
    isPreviewDeferred = false;
    controller?.abort();
    controller = null;
    clearTimeout(settleTimer);
    const status = target ? store.getState().items.find((item) => item.id === target.itemId)?.status : undefined;
    // A failed item waits for Re-run instead of retrying the model on every slider tick.
    if (!target || status === 'failed') {
      compositor.clear();
      updateUi(ui, { isPreviewLoading: false });
      return;
    }
    const preview = compositor.preview;
    // A preview of another frame or item must not sit over this one's picture.
    if (preview && !isPreviewOf(preview, target)) compositor.clear();
    controller = new AbortController();
    const { signal } = controller;
    if (!isSettingsTweak) {
      void request(target, signal);
      return;
    }
    void request(target, signal, draftMaxSide).then(() => {
      if (!signal.aborted) settleTimer = setTimeout(() => void request(target, signal), fullPreviewSettleMs);
    });
  }

  /** Shows the frame's scrub layer (proxy frame + cached matte) unless the refined preview of that frame is already up. */
  function showScrubLayer(target: PreviewTarget, layer: ScrubLayerData): void {
    const shown = compositor.preview;
    if (isPreviewOf(shown, target)) return;
    layerShownAt = now();
    compositor.setPreview({ ...layer, itemId: target.itemId, frameIndex: target.frameIndex, fullWidth: target.fullWidth, fullHeight: target.fullHeight, isCartoon: false });
  }

  /**
   * While playing, a matted frame whose layer has not loaded yet leaves the last played frame's layer on screen (the
   * stage shows it with its own picture): a dropped frame, as editors' players drop frames they cannot render in time.
   * Showing the frame unmatted instead flashed bare footage in the middle of matted playback, which reads as a hole in
   * the matte. Frames the engine has not matted (or sent no layer for) show unmatted, and a hold ends at the first
   * frame move after {@link maxPlaybackHoldMs}. The Original view shows no matte, so there a hold would only freeze
   * the footage.
   */
  function isHeldWhilePlaying(shown: NonNullable<Compositor['preview']>, target: PreviewTarget): boolean {
    return isPlaying(ui) && store.getState().view.viewMode !== 'original' && shown.itemId === target.itemId && shown.picture !== undefined &&
      coverage.isMatted(target.itemId, target.frameIndex) && !scrubLayers.isMissing(target.itemId, target.frameIndex) && now() - layerShownAt <= maxPlaybackHoldMs;
  }

  /** How the playhead moves: at the shuttle's speed while playing, else by the step just made. */
  function playheadMotion(frameIndex: number, previousFrameIndex: number, fps: number): PlayheadMotion {
    const speed = ui.getState().shuttleSpeed;
    return speed !== 0 ? { direction: Math.sign(speed), framesPerSecond: speed * fps } : { direction: Math.sign(frameIndex - previousFrameIndex), framesPerSecond: 0 };
  }

  const keyOf = (target: PreviewTarget | null) => (target ? JSON.stringify([target.itemId, target.frameIndex, target.settings, target.refineEdgeRevision]) : '');

  /**
   * Asks for the draft of the frame on screen, once per frame and settings, and only where its preview is already up:
   * the matte exists then, so a hover never runs the model. The answer is not shown (the layers wait unfetched in the
   * engine's store until pushed out); it leaves the engine's draft picture and band memo warm. A tick arriving meanwhile
   * queues behind it in the engine and then finds both ready, so it is not aborted on a settings change, only when
   * the frame or item changes.
   */
  function prepareSettingsTweak(): void {
    const target = currentTarget();
    const shown = compositor.preview;
    if (!target || isPlaying(ui) || !isPreviewOf(shown, target)) return;
    const key = keyOf(target);
    if (prepared?.key === key) return;
    dropPrepared();
    const preparation = { key, itemId: target.itemId, frameIndex: target.frameIndex, controller: new AbortController() };
    prepared = preparation;
    const { signal } = preparation.controller;
    const prepare = async () => {
      // The frame's pending hand edits first, as for a preview: the band is solved under its Refine Edge marks.
      await options.beforeRender?.(target.itemId);
      if (!signal.aborted) await api.renderPreview({ itemId: target.itemId, frameIndex: target.frameIndex, settings: target.settings, maxSide: draftMaxSide }, { signal });
    };
    prepare().catch(() => {
      // Only a warm-up: the tick that follows asks again and reports what goes wrong.
      if (prepared === preparation) prepared = null;
    });
  }

  function dropPrepared(): void {
    prepared?.controller.abort();
    prepared = null;
  }

  function onChange(force: boolean): void {
    const target = currentTarget();
    const key = keyOf(target);
    if (key === lastKey && !force) return;
    const isFrameMove = target !== null && lastItemId === target.itemId && lastFrameIndex !== target.frameIndex;
    if (prepared && (prepared.itemId !== target?.itemId || prepared.frameIndex !== target.frameIndex)) dropPrepared();
    const shown = compositor.preview;
    const isSettingsTweak = target !== null && !isFrameMove && isPreviewOf(shown, target);
    const previousFrameIndex = lastFrameIndex;
    lastKey = key;
    lastItemId = target?.itemId ?? null;
    lastFrameIndex = target?.frameIndex ?? 0;
    if (isFrameMove && !force) {
      controller?.abort();
      controller = null;
      clearTimeout(settleTimer);
      const preview = compositor.preview;
      if (preview && preview.frameIndex !== target.frameIndex && !isHeldWhilePlaying(preview, target)) compositor.clear();
      const item = store.getState().items.find((candidate) => candidate.id === target.itemId);
      scrubLayers.follow(target.itemId, target.frameIndex, item?.frameCount ?? 1, playheadMotion(target.frameIndex, previousFrameIndex, item?.fps ?? 25));
      const layer = scrubLayers.get(target.itemId, target.frameIndex);
      if (layer) showScrubLayer(target, layer);
      // While the clip plays, frames show their scrub layers only: a refined preview asked for whenever the playhead
      // lingered (a dropped frame on a busy machine) ran the model and the refinement for a frame already passed, and
      // took the cores from playback. The frame playback stops on gets its preview then.
      if (isPlaying(ui)) isPreviewDeferred = true;
      else {
        settleTimer = setTimeout(() => {
          // At rest the frames after the playhead are loaded, whichever way it came (Home, a drag back): playback
          // goes forward from here, and without them its first frames played unmatted.
          scrubLayers.follow(target.itemId, target.frameIndex, item?.frameCount ?? 1, { direction: 1, framesPerSecond: 0 });
          start(currentTarget());
        }, frameSettleMs);
      }
      return;
    }
    start(target, isSettingsTweak && !force);
  }

  const unsubscribeStore = store.subscribe((state, previous) => {
    const isTargetChange = state.activeItemId !== previous.activeItemId || state.frameIndices !== previous.frameIndices || state.settings !== previous.settings;
    if (isTargetChange || state.refineEdgeRevisions !== previous.refineEdgeRevisions) onChange(false);
  });
  const unsubscribeUi = ui.subscribe((state, previous) => {
    if (state.showSpillBefore !== previous.showSpillBefore) onChange(false);
    else if (hasPlaybackStopped(state, previous)) onPlaybackStopped();
  });

  function onPlaybackStopped(): void {
    // A layer held over later frames goes: the frame playback stopped on shows its own layer, or unmatted.
    const target = currentTarget();
    const shown = compositor.preview;
    if (target && shown && shown.itemId === target.itemId && shown.frameIndex !== target.frameIndex) {
      compositor.clear();
      const layer = scrubLayers.get(target.itemId, target.frameIndex);
      if (layer) showScrubLayer(target, layer);
    }
    // Only a frame playback moved to without a preview gets one: when playback stops because another item was
    // opened, that item's preview is already on its way and must not be restarted.
    if (!isPreviewDeferred) return;
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => start(currentTarget()), frameSettleMs);
  }
  onChange(false);

  return {
    refresh() {
      // Re-run made new mattes: the kept scrub layers show the old ones, and a prepared draft refined the old one.
      scrubLayers.clear();
      dropPrepared();
      onChange(true);
    },
    prepareSettingsTweak,
    get scrubLayerDecodePath() {
      return scrubDecoder.path;
    },
    dispose() {
      controller?.abort();
      dropPrepared();
      scrubLayers.clear();
      scrubDecoder.dispose();
      coverage.dispose();
      clearTimeout(settleTimer);
      unsubscribeStore();
      unsubscribeUi();
    },
  };
}
