/**
 * Runs the model through `matteItem`: on demand for the frame the canvas shows (scrubbing, Re-run) and in the
 * background for every pending item, one at a time, the active item first. Each call is a job with progress and
 * Cancel; item status follows (pending → matting → done / failed) and failures become sentences naming the item.
 */
import type { MatteProvenance } from '../../../shared/contract/studioContract';
import { cancelledError } from '../../../shared/errors';
import type { StudioApi } from '../connection/connectStudio';
import { maskEditKey, parseMaskEditKey, updateItem, type DocumentItem, type DocumentState, type DocumentStore } from '../document/documentStore';
import { updateUi, type UiStore } from '../ui/uiStore';
import { failureSentence, isCancellation } from './errorSentences';
import { createJobId, finishJob, pushNotice, startJob, type JobStore } from './jobStore';

/** Options of {@link MattingService.ensureMatte}. */
export interface EnsureMatteOptions {
  /** Stops waiting; also cancels the request when this call started it. */
  signal?: AbortSignal;
  /** Run the model again even when a matte is cached (the Re-run button). */
  rerun?: boolean;
}

/** The matting service. */
export interface MattingService {
  /** Resolves once the frame has a matte, running the model if needed; rejects with CANCELLED on abort. */
  ensureMatte(itemId: string, frameIndex: number, options?: EnsureMatteOptions): Promise<MatteProvenance>;
  /** Asks the engine which frames of a clip it flagged and stores them on the item. */
  refreshFlaggedFrames(itemId: string): Promise<void>;
  dispose(): void;
}

/** Resolves like `promise` but rejects with CANCELLED as soon as `signal` fires. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}

/** Creates the service and starts the background queue. */
export function createMattingService(api: StudioApi, store: DocumentStore, ui: UiStore, jobs: JobStore): MattingService {
  const provenanceByFrame = new Map<string, MatteProvenance>();
  const inFlight = new Map<string, Promise<MatteProvenance>>();
  /** Items whose background matting the user cancelled: the queue leaves them alone until asked again. */
  const skipped = new Set<string>();
  /** Requests running per item, so closing an item (another project opened) stops its work. */
  const runningByItem = new Map<string, Set<AbortController>>();
  /** Requests stopped because their item left the document: neither skipped nor reported. */
  const abandoned = new WeakSet<AbortController>();
  let isQueueRunning = false;
  let isDisposed = false;

  const findItem = (itemId: string) => store.getState().items.find((item) => item.id === itemId);

  function recordSuccess(item: DocumentItem, provenance: MatteProvenance): void {
    updateUi(ui, { provenance: { ...ui.getState().provenance, [item.id]: provenance } });
    updateItem(store, item.id, {
      status: 'done',
      errorMessage: undefined,
      lastResult: { tier: provenance.tier, modelId: provenance.model, executionProvider: provenance.ep },
    });
    if (item.kind === 'clip') void service.refreshFlaggedFrames(item.id);
  }

  async function runMatte(item: DocumentItem, frameIndex: number, rerun: boolean, callerSignal: AbortSignal | undefined): Promise<MatteProvenance> {
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort();
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const running = runningByItem.get(item.id) ?? new Set<AbortController>();
    running.add(controller);
    runningByItem.set(item.id, running);
    const jobId = createJobId();
    const frameNote = item.kind === 'clip' ? ` (frame ${frameIndex})` : '';
    startJob(jobs, { jobId, kind: 'matte', itemId: item.id, title: `Cutting out “${item.name}”${frameNote}`, cancel: () => controller.abort() });
    const previousStatus = findItem(item.id)?.status;
    if (previousStatus !== 'done') updateItem(store, item.id, { status: 'matting', errorMessage: undefined });
    try {
      const modelId = ui.getState().modelId ?? undefined;
      const provenance = await api.matteItem({ jobId, itemId: item.id, frameIndex, rerun, ...(modelId ? { modelId } : {}) }, { signal: controller.signal });
      provenanceByFrame.set(maskEditKey(item.id, frameIndex), provenance);
      recordSuccess(item, provenance);
      return provenance;
    } catch (error) {
      if (abandoned.has(controller)) {
        // The item left the document (another project opened): nothing to report.
      } else if (isCancellation(error)) {
        if (findItem(item.id)?.status === 'matting') updateItem(store, item.id, { status: previousStatus === 'failed' ? 'failed' : 'pending' });
        if (!callerSignal?.aborted) skipped.add(item.id);
      } else {
        const sentence = failureSentence('cut out', item.name, error);
        updateItem(store, item.id, { status: 'failed', errorMessage: sentence });
        pushNotice(jobs, 'error', sentence);
      }
      throw error;
    } finally {
      running.delete(controller);
      if (running.size === 0 && runningByItem.get(item.id) === running) runningByItem.delete(item.id);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      finishJob(jobs, jobId);
    }
  }

  async function pumpQueue(): Promise<void> {
    if (isQueueRunning || isDisposed) return;
    const state = store.getState();
    const isCandidate = (item: DocumentItem | undefined) => item !== undefined && item.status === 'pending' && !skipped.has(item.id);
    const active = state.items.find((item) => item.id === state.activeItemId);
    const next = isCandidate(active) ? active : state.items.find(isCandidate);
    if (!next) return;
    isQueueRunning = true;
    try {
      await service.ensureMatte(next.id, next.id === state.activeItemId ? (state.frameIndices[next.id] ?? 0) : 0);
    } catch {
      // Reported by runMatte; the queue moves on.
    } finally {
      isQueueRunning = false;
    }
    // Yield so a burst of store updates settles before the next pick.
    setTimeout(() => void pumpQueue(), 0);
  }

  const service: MattingService = {
    ensureMatte(itemId, frameIndex, options = {}) {
      const item = findItem(itemId);
      if (!item) return Promise.reject(new RangeError(`Expected a known item id for ensureMatte but received ${itemId}`));
      const key = maskEditKey(itemId, frameIndex);
      if (options.rerun) {
        skipped.delete(itemId);
        for (const cachedKey of [...provenanceByFrame.keys()]) if (cachedKey.startsWith(`${itemId}:`)) provenanceByFrame.delete(cachedKey);
      } else {
        const cached = provenanceByFrame.get(key);
        if (cached) {
          // The item may have been closed and opened again (a project reopened): its status starts over as pending.
          if (item.status !== 'done') recordSuccess(item, cached);
          return Promise.resolve(cached);
        }
        const running = inFlight.get(key);
        if (running) return raceSignal(running, options.signal);
      }
      const promise = runMatte(item, frameIndex, options.rerun ?? false, options.signal);
      inFlight.set(key, promise);
      const forget = () => inFlight.get(key) === promise && inFlight.delete(key);
      promise.then(forget, forget);
      return promise;
    },

    async refreshFlaggedFrames(itemId) {
      try {
        const flagged = await api.getFlaggedFrames({ itemId });
        updateItem(store, itemId, { flaggedFrames: flagged.map((frame) => frame.frameIndex).sort((first, second) => first - second) });
      } catch {
        // Markers are a hint: a failed lookup leaves the old ones.
      }
    },

    dispose() {
      isDisposed = true;
      unsubscribe();
    },
  };

  /**
   * Items that left the document (Open Project replaces every item): a later reopening starts fresh (not skipped,
   * no cached answer kept here), and once they are still gone after the current update, their requests stop so the
   * queue moves on to the new document instead of waiting for the old one.
   */
  function forgetRemoved(state: DocumentState, previous: DocumentState): void {
    const present = new Set(state.items.map((item) => item.id));
    const removed = previous.items.filter((item) => !present.has(item.id)).map((item) => item.id);
    if (removed.length === 0) return;
    for (const itemId of removed) skipped.delete(itemId);
    setTimeout(() => {
      for (const itemId of removed) {
        if (isDisposed || findItem(itemId)) continue;
        for (const cachedKey of [...provenanceByFrame.keys()]) if (parseMaskEditKey(cachedKey).itemId === itemId) provenanceByFrame.delete(cachedKey);
        for (const controller of runningByItem.get(itemId) ?? []) {
          abandoned.add(controller);
          controller.abort();
        }
      }
    }, 0);
  }

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.items !== previous.items) forgetRemoved(state, previous);
    if (state.items !== previous.items || state.activeItemId !== previous.activeItemId) void pumpQueue();
  });
  void pumpQueue();
  return service;
}
