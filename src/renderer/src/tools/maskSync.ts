/**
 * Sends each frame's hand edits to the engine (`setMaskEdit`) so exports include them: after every gesture boundary
 * (stroke end, undo, redo, clear) the frame's non-empty tiles go out, debounced per frame; an empty frame clears.
 */
import type { StudioApi } from '../connection/connectStudio';
import { parseMaskEditKey, type DocumentStore } from '../document/documentStore';
import { serializeMaskEdits } from '../document/maskEditStorage';
import { tileSizePx } from '../document/tiles';
import { failureSentence } from '../jobs/errorSentences';
import { pushNotice, type JobStore } from '../jobs/jobStore';

/** Quiet time after the last change of a frame before its tiles are sent. */
const sendDelayMs = 400;

/** The mask sync. */
export interface MaskSync {
  /**
   * Sends pending frames of an item now (before an export or a preview) and waits for the engine. A revision bumped
   * in the store update that is still being delivered counts as pending too, whichever listener runs first.
   */
  flush(itemId: string): Promise<void>;
  dispose(): void;
}

/** Creates the sync; it follows `maskRevisions` in the store. */
export function createMaskSync(api: StudioApi, store: DocumentStore, jobs: JobStore): MaskSync {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const sending = new Map<string, Promise<void>>();
  /** The revision of each frame last scheduled or sent. */
  const seen = new Map<string, number>();

  /** Frames whose revision moved since they were last scheduled; marks them seen. */
  function takeUnseen(isWanted: (key: string) => boolean): string[] {
    const unseen: string[] = [];
    for (const [key, revision] of Object.entries(store.getState().maskRevisions)) {
      if (seen.get(key) === revision || !isWanted(key)) continue;
      seen.set(key, revision);
      unseen.push(key);
    }
    return unseen;
  }

  async function send(key: string): Promise<void> {
    timers.delete(key);
    const { itemId, frameIndex } = parseMaskEditKey(key);
    const state = store.getState();
    const edit = state.maskEdits[key];
    const item = state.items.find((candidate) => candidate.id === itemId);
    if (!item) return;
    const frame = edit ? serializeMaskEdits({ [key]: edit }).frames[0] : undefined;
    const payload = frame ? { width: frame.width, height: frame.height, tileSizePx, tiles: frame.tiles } : null;
    // Keep frames in order: a later send waits for the earlier one of the same frame.
    const previous = sending.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => api.setMaskEdit({ itemId, frameIndex, edit: payload }))
      .then(
        () => undefined,
        (error: unknown) => pushNotice(jobs, 'error', failureSentence('save the hand edits of', item.name, error)),
      );
    sending.set(key, next);
    await next;
    if (sending.get(key) === next) sending.delete(key);
  }

  function schedule(key: string): void {
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => void send(key), sendDelayMs));
  }

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.maskRevisions === previous.maskRevisions) return;
    for (const key of takeUnseen(() => true)) schedule(key);
  });

  return {
    async flush(itemId) {
      const isOfItem = (key: string) => parseMaskEditKey(key).itemId === itemId;
      const keys = [...new Set([...[...timers.keys()].filter(isOfItem), ...takeUnseen(isOfItem)])];
      for (const key of keys) clearTimeout(timers.get(key));
      await Promise.all([...keys.map((key) => send(key)), ...[...sending.entries()].filter(([key]) => isOfItem(key)).map(([, promise]) => promise)]);
    },
    dispose() {
      unsubscribe();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
