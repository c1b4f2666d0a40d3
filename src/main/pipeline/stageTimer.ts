/** Per-stage wall times in milliseconds, e.g. `{ decode: 21, inference: 610 }`. */
export type StageTimings = Record<string, number>;

/** Runs `work`, adds its wall time to `timings[stage]`, and returns its result. */
export async function timeStage<T>(timings: StageTimings, stage: string, work: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[stage] = (timings[stage] ?? 0) + (performance.now() - start);
  }
}
