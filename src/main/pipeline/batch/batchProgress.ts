import type { BatchProgress } from '../../../shared/batchTypes';
import { throttleProgress } from '../../../shared/jobs';

/**
 * A clip's weight before its length is known: a four-second talking-head clip at 25 fps. Each frame costs about what
 * a still does (one model run at the same input size), so a still weighs 1 and a clip its frame count.
 */
const unknownClipFrames = 100;

/**
 * Overall batch progress, weighted by work: a still counts 1, a clip its frame count (learnt when the clip is opened;
 * until then the mean of the clips seen, else {@link unknownClipFrames}), so a batch of stills and clips does not
 * jump ahead after the stills. Finished items count whole, items in progress by their own fraction. The ETA divides
 * the work left by the pace so far (the stages overlap, so wall time per unit of work is the pace).
 */
export function trackBatchProgress(kinds: readonly ('image' | 'clip')[], options: { onProgress?: (progress: BatchProgress) => void; progressIntervalMs?: number }) {
  const listener = options.onProgress;
  const send = throttleProgress(listener && ((progress) => listener(progress as BatchProgress)), options.progressIntervalMs ?? 100);
  const total = kinds.length;
  const clipFrames = new Map<number, number>();
  const done = new Map<number, number>();
  let finishedCount = 0;
  const firstStart = performance.now();
  const weightOf = (position: number) => {
    if (kinds[position] !== 'clip') return 1;
    const known = clipFrames.get(position);
    if (known !== undefined) return known;
    return clipFrames.size === 0 ? unknownClipFrames : [...clipFrames.values()].reduce((sum, frames) => sum + frames, 0) / clipFrames.size;
  };
  const overall = () => {
    if (total === 0) return 1;
    let work = 0;
    let worked = 0;
    for (let position = 0; position < total; position++) {
      const weight = weightOf(position);
      work += weight;
      worked += weight * (done.get(position) ?? 0);
    }
    return worked / work;
  };
  const eta = (fraction: number) => (finishedCount === 0 || fraction <= 0 ? undefined : Math.max(0, Math.round(((performance.now() - firstStart) / fraction) * (1 - fraction) / 1000)));
  return {
    /** A clip's length, once known (frames it will export). */
    weigh(position: number, frames: number) {
      if (kinds[position] === 'clip' && frames > 0) clipFrames.set(position, frames);
    },
    item(position: number, name: string, stage: string, itemFraction: number) {
      done.set(position, Math.min(1, Math.max(0, itemFraction)));
      const fraction = Math.min(overall(), 0.999);
      const progress: BatchProgress = { stage, fraction, item: name, itemIndex: position, itemCount: total, itemFraction, etaSec: eta(fraction) };
      send(progress);
    },
    finished(position: number) {
      done.set(position, 1);
      finishedCount++;
    },
    end(cancelled: boolean) {
      const progress: BatchProgress = cancelled ? { stage: 'cancelled', fraction: overall(), itemCount: total } : { stage: 'done', fraction: 1, itemCount: total, etaSec: 0 };
      // A cancel is the last word even inside the throttle window.
      if (cancelled) listener?.(progress);
      else send(progress);
    },
  };
}
