// Download progress at most ~10 times a second, like `throttleProgress`, but the last report held back is still
// delivered once the interval has passed. Bytes often come in a burst and then stop (a slow or stalled server, a
// resumed file whose first chunk is large): without the trailing report the bar would stay where the burst began.
import type { ProgressListener } from '../../shared/jobs';

/** A throttled listener and the switch that drops a report still waiting (the download ended or was cancelled). */
export interface DownloadProgressThrottle {
  readonly report: ProgressListener;
  stop(): void;
}

/**
 * Wraps `listener`: the first report, every report at fraction 1 and one report per `intervalMs` pass at once; the
 * newest report held back in between follows when the interval is over, unless {@link DownloadProgressThrottle.stop}
 * was called first.
 */
export function throttleDownloadProgress(listener: ProgressListener | undefined, intervalMs = 100, now: () => number = Date.now): DownloadProgressThrottle {
  let lastTime = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Parameters<ProgressListener>[0] | undefined;
  const deliver = (progress: Parameters<ProgressListener>[0]) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
    lastTime = now();
    listener?.(progress);
  };
  return {
    report(progress) {
      if (!listener) return;
      const elapsed = now() - lastTime;
      if (progress.fraction >= 1 || elapsed >= intervalMs) return deliver(progress);
      pending = progress;
      if (!timer) {
        timer = setTimeout(() => pending && deliver(pending), intervalMs - elapsed);
        // A held-back report must not keep the process (a CLI run) alive.
        timer.unref?.();
      }
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}
