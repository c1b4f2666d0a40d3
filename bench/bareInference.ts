// Bare model time for the pipeline benchmarks: the same decoded picture, model input and session the pipeline uses,
// timing only `session.run` (what "inference" means in the ratios: packing the tensor and the model's run, both in the
// inference worker).
import { decodeImage } from '../src/main/imageIo/decodeImage';
import { resizeForModel } from '../src/main/inference/modelInput';
import { toRunnableModel } from '../src/main/inference/mattingSession';
import type { Engine } from '../src/main/engine';

/** Median-free list of bare `session.run` times (ms) for each image, after one warm-up run on the first. */
export async function timeBareInference(engine: Engine, imagePaths: string[], modelId?: string, runsEach = 1): Promise<{ model: string; times: number[] }> {
  const { best } = await engine.models.pickTiers(modelId);
  if (!best) throw new Error('no model is installed: run `npm run provision-models`');
  const session = await engine.sessions.get(toRunnableModel(best));
  const { input } = session.model;
  const times: number[] = [];
  let isWarm = false;
  for (const path of imagePaths) {
    const { image } = await decodeImage(path);
    const pixels = await resizeForModel(image, input.width, input.height);
    // A run may move its input to the inference worker: each run gets its own copy, made before the clock starts.
    if (!isWarm) {
      await session.run(pixels.slice());
      isWarm = true;
    }
    for (let run = 0; run < runsEach; run++) {
      const own = pixels.slice();
      const start = performance.now();
      await session.run(own);
      times.push(performance.now() - start);
    }
  }
  return { model: best.spec.id, times };
}
