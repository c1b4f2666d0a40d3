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
}

/** A {@link BareInferenceTimer} for `imagePath`, on the best installed model (or `modelId`). */
export async function bareInferenceTimer(engine: Engine, imagePath: string, modelId?: string): Promise<BareInferenceTimer> {
  const { best } = await engine.models.pickTiers(modelId);
  if (!best) throw new Error('no model is installed: run `npm run provision-models`');
  const session = await engine.sessions.get(toRunnableModel(best));
  const { input } = session.model;
  const { image } = await decodeImage(imagePath);
  const pixels = await resizeForModel(image, input.width, input.height);
  return {
    model: best.spec.id,
    async time() {
      // A run may move its input to the inference worker: each run gets its own copy, made before the clock starts.
      const own = pixels.slice();
      const start = performance.now();
      await session.run(own);
      return performance.now() - start;
    },
  };
}

/** Median-free list of bare `session.run` times (ms) for each image, after one warm-up run on the first. */
export async function timeBareInference(engine: Engine, imagePaths: string[], modelId?: string, runsEach = 1): Promise<{ model: string; times: number[] }> {
  const times: number[] = [];
  let model = '';
  for (const [index, path] of imagePaths.entries()) {
    const timer = await bareInferenceTimer(engine, path, modelId);
    model = timer.model;
    if (index === 0) await timer.time();
    for (let run = 0; run < runsEach; run++) times.push(await timer.time());
  }
  return { model, times };
}
