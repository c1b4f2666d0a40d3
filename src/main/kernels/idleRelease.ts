/**
 * Runs `release` once the worker has had no job for `afterMs`: the kernel worker drops its working arrays
 * (`core/workingArrays.ts`, about 135 MB after a 1080p still) when jobs stop coming, so an idle studio does not hold
 * them, while a batch or a slider drag keeps reusing them.
 */
export function idleRelease(release: () => void, afterMs: number): { busy(): void; idle(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    /** A job started: nothing is released while it runs. */
    busy() {
      clearTimeout(timer);
      timer = undefined;
    },
    /** A job ended: release after `afterMs` unless another starts first. The timer does not keep the thread alive. */
    idle() {
      clearTimeout(timer);
      timer = setTimeout(release, afterMs);
      timer.unref?.();
    },
  };
}
