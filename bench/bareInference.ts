// Bare model time for the pipeline benchmarks: the same decoded picture, model input and session the pipeline uses,
// timing only `session.run` (what "inference" means in the ratios: packing the tensor and the model's run, both in the
// inference worker).
import { decodeImage } from '../src/main/imageIo/decodeImage';
import { resizeForModel } from '../src/main/inference/modelInput';
import { toRunnableModel } from '../src/main/inference/mattingSession';
import type { Engine } from '../src/main/engine';

/** Times bare model runs on one picture: `time()` runs the model once and returns its wall time in ms. */
export interface BareInferenceTimer {
  model: string;
  time(): Promise<number>;
  /** The process's CPU time (ms, every thread) of each `time()` run so far, in order. */
  cpuTimes: number[];
}

/** The process's CPU time in ms (user + system, every thread: the model's, the workers', sharp's) since `before`. */
export function cpuMsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** A {@link BareInferenceTimer} for `imagePath`, on the best installed model (or `modelId`). */
export async function bareInferenceTimer(engine: Engine, imagePath: string, modelId?: string): Promise<BareInferenceTimer> {
  const { best } = await engine.models.pickTiers(modelId);
  if (!best) throw new Error('no model is installed: run `npm run provision-models`');
  const session = await engine.sessions.get(toRunnableModel(best));
  const { input } = session.model;
  const { image } = await decodeImage(imagePath);
  const pixels = await resizeForModel(image, input.width, input.height);
  const cpuTimes: number[] = [];
  return {
    model: best.spec.id,
    cpuTimes,
    async time() {
      // A run may move its input to the inference worker: each run gets its own copy, made before the clock starts.
      const own = pixels.slice();
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      await session.run(own);
      const ms = performance.now() - start;
      cpuTimes.push(cpuMsSince(cpuBefore));
      return ms;
    },
  };
}

/**
 * Median-free list of bare `session.run` times (ms) for each image, after one warm-up run on the first, with each
 * timed run's CPU time (ms, every thread).
 */
export async function timeBareInference(engine: Engine, imagePaths: string[], modelId?: string, runsEach = 1): Promise<{ model: string; times: number[]; cpuTimes: number[] }> {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let model = '';
  for (const [index, path] of imagePaths.entries()) {
    const timer = await bareInferenceTimer(engine, path, modelId);
    model = timer.model;
    if (index === 0) await timer.time();
    for (let run = 0; run < runsEach; run++) times.push(await timer.time());
    cpuTimes.push(...timer.cpuTimes.slice(-runsEach));
  }
  return { model, times, cpuTimes };
}
