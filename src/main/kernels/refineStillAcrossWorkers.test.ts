import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlphaMatte, Image8 } from '../../core/imageTypes';
import type { MaskEdit } from '../../core/matting/maskEdit';
import { refinementSettingsSchema } from '../../shared/settings';
import { fixture, hasFixtures, missingFixturesReason } from '../testing/fixtures';
import type { KernelJob } from './kernelJobs';
import { KernelWorkers } from './kernelWorkers';
import type { RefineJob } from './refineJob';
import { refineStillAcrossWorkers } from './refineStillAcrossWorkers';

if (!hasFixtures) console.warn(missingFixturesReason);

const workers = new KernelWorkers({ workers: 3, workerEntry: null });
afterAll(() => workers.dispose());

/** The workers, recording every job sent to them. */
function recording(size: number) {
  const jobs: KernelJob[] = [];
  return {
    jobs,
    size,
    run: (job: RefineJob, signal?: AbortSignal) => (jobs.push(job), workers.run(job, signal)),
    runKernel: <J extends KernelJob>(job: J, signal?: AbortSignal) => (jobs.push(job), workers.runKernel(job, signal)),
  };
}

function largestDifference(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  let max = 0, sum = 0;
  for (let index = 0; index < a.length; index++) {
    const difference = Math.abs(a[index]! - b[index]!);
    max = Math.max(max, difference);
    sum += difference;
  }
  return { max, mean: sum / a.length };
}

describe.skipIf(!hasFixtures)('refineStillAcrossWorkers (GT05, its true alpha shrunk as the model matte)', async () => {
  const { data, info } = await sharp(fixture('gt_alpha/mmagic_GT05/GT05_merged.jpg')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image: Image8 = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
  const low = await sharp(fixture('gt_alpha/mmagic_GT05/GT05_alpha.jpg')).greyscale().resize(320, 320, { fit: 'fill' }).raw().toBuffer();
  const matte: AlphaMatte = { width: 320, height: 320, channels: 1, data: Float32Array.from(low, (value) => value / 255) };
  const { width, height } = image;
  // A hand edit across the strips' seams: an added block and Refine Edge marks, so misplaced rows would show.
  const plane = (inside: (x: number, y: number) => boolean) => Uint8Array.from({ length: width * height }, (_, pixel) => (inside(pixel % width, Math.floor(pixel / width)) ? 255 : 0));
  const maskEdit: MaskEdit = { width, height, add: plane((x, y) => x < 60 && y > 100 && y < 450), remove: plane(() => false), refineEdge: plane((x, y) => x > 300 && x < 500 && y > 150 && y < 400) };
  const background: Image8 = { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(200) };
  const job = (): RefineJob & { layouts: Array<'straight' | 'gray' | 'composite'> } => ({
    image, matte, settings: refinementSettingsSchema.parse({ decontaminate: true }), output: 'straight', layouts: ['straight', 'gray', 'composite'], maskEdit, background,
  });

  it('gives what one worker gives, in every layout, with the hand edit in place', async () => {
    const one = recording(1);
    const whole = await refineStillAcrossWorkers(one, job());
    expect(one.jobs).toHaveLength(1);
    const three = recording(3);
    const spread = await refineStillAcrossWorkers(three, job());
    // One whole-picture step, then a strip per worker, each refining an already upsampled matte.
    expect(three.jobs.map((sent) => ('task' in sent ? sent.task : `strip of ${sent.image.height} rows${sent.matteIsUpsampled ? ', upsampled' : ''}`))).toEqual([
      'upsampleMatte', ...Array(3).fill(expect.stringMatching(/^strip of \d+ rows, upsampled$/)),
    ]);
    expect(spread.isCartoon).toBe(whole.isCartoon);
    // Straight colour under α ≈ 0 is invisible and estimated from far away: compare it where it shows, α ≥ 10 %.
    const visible = (rgba: Uint8Array) => rgba.map((value, index) => (whole.layers!.straight!.data[index - (index % 4) + 3]! >= 26 ? value : 0));
    for (const layout of ['straight', 'gray', 'composite'] as const) {
      const shown = layout === 'straight' ? visible : (bytes: Uint8Array) => bytes;
      const difference = largestDifference(shown(spread.layers![layout]!.data), shown(whole.layers![layout]!.data));
      expect(difference.max, layout).toBeLessThanOrEqual(2);
      expect(difference.mean, layout).toBeLessThan(0.02);
    }
    // The added block is opaque in the output, on both sides of every seam.
    for (let y = 110; y < 440; y += 7) expect(spread.layers!.gray!.data[y * width + 30]).toBe(255);
  });

  it('refines small pictures and clip frames in one job', async () => {
    const clip = recording(3);
    await refineStillAcrossWorkers(clip, { ...job(), clip: { stabilize: true } });
    expect(clip.jobs).toHaveLength(1);
    // The top 200 rows: a quarter of a megapixel is not worth an extra job and the strips' overlap.
    const rows = 200;
    const small = recording(3);
    const top: Image8 = { ...image, height: rows, data: image.data.slice(0, width * rows * 3) };
    await refineStillAcrossWorkers(small, { image: top, matte, settings: job().settings, output: 'straight', layouts: ['straight', 'gray'] });
    expect(small.jobs).toHaveLength(1);
  });
});
