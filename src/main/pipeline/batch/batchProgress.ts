import type { BatchProgress } from '../../../shared/batchTypes';
import { throttleProgress } from '../../../shared/jobs';

/**
 * Overall batch progress: finished items count whole, items in progress by their own fraction. The ETA divides the
 * work left by the throughput so far (average wall time of a finished item; the stages overlap, so it is the pace).
 */
export function trackBatchProgress(total: number, options: { onProgress?: (progress: BatchProgress) => void; progressIntervalMs?: number }) {
  const listener = options.onProgress;
  const send = throttleProgress(listener && ((progress) => listener(progress as BatchProgress)), options.progressIntervalMs ?? 100);
  const inProgress = new Map<number, number>();
  let finishedCount = 0;
  const firstStart = performance.now();
  const overall = () => (total === 0 ? 1 : (finishedCount + [...inProgress.values()].reduce((sum, value) => sum + value, 0)) / total);
  const eta = (fraction: number) => (finishedCount === 0 || fraction <= 0 ? undefined : Math.max(0, Math.round(((performance.now() - firstStart) / fraction) * (1 - fraction) / 1000)));
  return {
    item(position: number, name: string, stage: string, itemFraction: number) {
      inProgress.set(position, Math.min(1, Math.max(0, itemFraction)));
      const fraction = Math.min(overall(), 0.999);
      const progress: BatchProgress = { stage, fraction, item: name, itemIndex: position, itemCount: total, itemFraction, etaSec: eta(fraction) };
      send(progress);
    },
    finished(position: number) {
      inProgress.delete(position);
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
