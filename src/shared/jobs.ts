/**
 * Job progress and reporting shared by every long operation (matting a clip, a batch, a model download).
 */

/** A progress report: which stage, how far (0–1), and optionally which item. */
export interface JobProgress {
  stage: string;
  /** Overall completion in [0, 1]. */
  fraction: number;
  /** The item being worked on, e.g. a file name. */
  item?: string;
}

/** Receives progress reports. */
export type ProgressListener = (progress: JobProgress) => void;

/** Options every long operation accepts. */
export interface JobControl {
  /** Cancels the operation; it rejects with a `CANCELLED` StudioError and leaves no partial files. */
  signal?: AbortSignal;
  /** Receives progress, at most ~10 times a second when wrapped with {@link throttleProgress}. */
  onProgress?: ProgressListener;
}

/**
 * Wraps a listener so it fires at most once per `intervalMs`, always passing through the first and the final (fraction 1)
 * report, so a user sees both the start and the end.
 */
export function throttleProgress(listener: ProgressListener | undefined, intervalMs = 100, now: () => number = Date.now): ProgressListener {
  if (!listener) return () => {};
  let lastTime = -Infinity;
  return (progress) => {
    const time = now();
    if (progress.fraction >= 1 || time - lastTime >= intervalMs) {
      lastTime = time;
      listener(progress);
    }
  };
}
