// `npm run bench -- quality`: matte accuracy on ground-truth alpha, and composite error over a new background in the
// edge band for three foreground-colour methods. Prints tables; asserts nothing.
import { join } from 'node:path';
import sharp from 'sharp';
import type { AlphaMatte, FloatImage, Image8 } from '../src/core/imageTypes';
import { estimateForeground } from '../src/core/matting/estimateForeground';
import { suppressSpill } from '../src/core/matting/suppressSpill';
import { gradientError } from '../src/core/metrics/gradientError';
import { measureCompositeError } from '../src/core/metrics/compositeError';
import { meanSquaredError } from '../src/core/metrics/meanSquaredError';
import { sumAbsoluteDifference } from '../src/core/metrics/sumAbsoluteDifference';
import { trimapUnknownRegion } from '../src/core/metrics/trimapUnknownRegion';
import { createEngine, type Engine } from '../src/main/engine';
import { computeMatte, type MatteCandidates } from '../src/main/pipeline/computeMatte';
import { refineCutout } from '../src/main/pipeline/refineCutout';
import { defaultStillSettings } from '../src/shared/settings';
import { fixturesDir, printTable } from './benchUtils';

const gray = async (path: string, width?: number, height?: number): Promise<AlphaMatte> => {
  const pipeline = sharp(path).extractChannel(0);
  const { data, info } = await (width ? pipeline.resize(width, height, { fit: 'fill' }) : pipeline).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data: Float32Array.from(data, (value) => value / 255) };
};
const rgb = async (path: string, width?: number, height?: number): Promise<Image8> => {
  const pipeline = sharp(path).removeAlpha();
  const { data, info } = await (width ? pipeline.resize(width, height, { fit: 'cover' }) : pipeline).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
};
const toFloat = (image: Image8): FloatImage => ({ ...image, data: Float32Array.from(image.data, (value) => value / 255) });

async function predictAlpha(engine: Engine, image: Image8, candidates: MatteCandidates) {
  const timings = {};
  // Score each model on its own: the tier fallback's quality check would swap a close crop (fur filling > 97% of the
  // frame) for the classical tier, which is right for portraits but would hide the model's real accuracy here.
  const tiered = await computeMatte(image, candidates, engine.sessions, timings, undefined, { skipQualityCheck: candidates.best !== undefined });
  return (await refineCutout(image, tiered.matte, { ...defaultStillSettings().refinement, radiusPx: 0, spillStrength: 0, cartoonMode: 'off' }, timings)).alpha;
}

export async function runQualityBench(): Promise<void> {
  const engine = createEngine();
  const installed = await engine.models.pickTiers('isnet-fp16');
  const tierSets: Array<[string, MatteCandidates]> = [
    ['isnet-fp16', { best: installed.best }],
    ['isnet-quint8', { best: installed.lighter }],
    ['classical', {}],
  ];
  const gtItems = [0, 1, 2, 3, 4].map((index) => ({
    name: `dim${index}`,
    image: join(fixturesDir, 'gt_alpha/dim_crops', `dim${index}_image.png`),
    alpha: join(fixturesDir, 'gt_alpha/dim_crops', `dim${index}_alpha.png`),
    trimap: join(fixturesDir, 'gt_alpha/dim_crops', `dim${index}_trimap.png`),
  }));
  gtItems.push({ name: 'GT05', image: join(fixturesDir, 'gt_alpha/mmagic_GT05/GT05_merged.jpg'), alpha: join(fixturesDir, 'gt_alpha/mmagic_GT05/GT05_alpha.jpg'), trimap: join(fixturesDir, 'gt_alpha/mmagic_GT05/GT05_trimap.png') });

  const matteRows: Array<Array<string | number>> = [];
  for (const item of gtItems) {
    const image = await rgb(item.image);
    const truth = await gray(item.alpha, image.width, image.height);
    const unknown = trimapUnknownRegion(await gray(item.trimap, image.width, image.height));
    for (const [label, candidates] of tierSets) {
      const alpha = await predictAlpha(engine, image, candidates);
      matteRows.push([item.name, label, sumAbsoluteDifference(alpha, truth), meanSquaredError(alpha, truth) * 1000, gradientError(alpha, truth), sumAbsoluteDifference(alpha, truth, { mask: unknown }), meanSquaredError(alpha, truth, { mask: unknown }) * 1000]);
    }
  }
  printTable('Matte accuracy on ground-truth alpha (SAD /1000, MSE ×1000, gradient error /1000)', ['image', 'model', 'SAD', 'MSE', 'Grad', 'SAD unknown', 'MSE unknown'], matteRows);

  // Exact composites: true foreground and alpha from the RGBA cartoons (and GT05's fg/alpha) over strong backgrounds.
  const compositeItems = [
    { name: 'GT05', fg: 'gt_alpha/mmagic_GT05/GT05_fg.jpg', alpha: 'gt_alpha/mmagic_GT05/GT05_alpha.jpg', background: 'gt_alpha/mmagic_GT05/GT26r_bg.jpg' },
    { name: 'konrad', rgba: 'cartoon/wesnoth_konrad.png', background: 'backgrounds/noaa_reef_blue.png' },
    { name: 'delfador', rgba: 'cartoon/wesnoth_delfador.png', background: 'backgrounds/noaa_sf_dusk_sky.jpeg' },
    { name: 'mage', rgba: 'cartoon/wesnoth_mage_female.png', background: 'backgrounds/bgm_bg_atrium.png' },
    { name: 'frog', rgba: 'cartoon/tuxpaint_frog_lineart.png', background: 'backgrounds/noaa_reef_blue.png' },
  ];
  const compositeRows: Array<Array<string | number>> = [];
  const totals = { naive: 0, fusion: 0, spill: 0, naivePredicted: 0, fusionPredicted: 0, spillPredicted: 0 };
  for (const item of compositeItems) {
    const { trueForeground, trueAlpha } = item.rgba ? await loadRgba(join(fixturesDir, item.rgba)) : await loadFgAlpha(join(fixturesDir, item.fg!), join(fixturesDir, item.alpha!));
    const { width, height } = trueAlpha;
    const oldBackground = toFloat(await rgb(join(fixturesDir, item.background), width, height));
    const newBackground = toFloat(await rgb(join(fixturesDir, 'backgrounds/bgm_bg_cafe.png'), width, height));
    const composite = compose(trueForeground, trueAlpha, oldBackground);
    const compositeImage: Image8 = { ...composite, data: Uint8Array.from(composite.data, (value) => Math.round(value * 255)) };
    const predicted = await predictAlpha(engine, compositeImage, { best: installed.best });
    const errorsFor = (alpha: AlphaMatte) => {
      const fusion = estimateForeground(composite, alpha, { radiusPx: 90 });
      const spilled = suppressSpill(fusion.foreground, alpha, fusion.background, { strength: 1 });
      const score = (foreground: FloatImage) => measureCompositeError(foreground, alpha, trueForeground, trueAlpha, newBackground, { band: 'edge' });
      return [score(composite), score(fusion.foreground), score(spilled)] as const;
    };
    const [naive, fusion, spill] = errorsFor(trueAlpha);
    const [naivePredicted, fusionPredicted, spillPredicted] = errorsFor(predicted);
    Object.assign(totals, {
      naive: totals.naive + naive, fusion: totals.fusion + fusion, spill: totals.spill + spill,
      naivePredicted: totals.naivePredicted + naivePredicted, fusionPredicted: totals.fusionPredicted + fusionPredicted, spillPredicted: totals.spillPredicted + spillPredicted,
    });
    compositeRows.push([item.name, item.background.split('/').pop()!, naive * 255, fusion * 255, spill * 255, naivePredicted * 255, fusionPredicted * 255, spillPredicted * 255]);
  }
  const count = compositeItems.length;
  compositeRows.push(['mean', '', totals.naive / count * 255, totals.fusion / count * 255, totals.spill / count * 255, totals.naivePredicted / count * 255, totals.fusionPredicted / count * 255, totals.spillPredicted / count * 255]);
  printTable(
    'Composite error over a new background in the edge band 0 < α < 1 (mean |Δ| in 8-bit levels; lower is better)',
    ['item', 'shot over', 'naive F=I (true α)', 'blur fusion (true α)', 'fusion + Lab spill (true α)', 'naive (model α)', 'fusion (model α)', 'fusion + spill (model α)'],
    compositeRows,
  );
  await engine.dispose();
}

function compose(foreground: FloatImage, alpha: AlphaMatte, background: FloatImage): FloatImage {
  const data = new Float32Array(foreground.data.length);
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    const coverage = alpha.data[pixel]!;
    for (let channel = 0; channel < 3; channel++) {
      data[pixel * 3 + channel] = coverage * foreground.data[pixel * 3 + channel]! + (1 - coverage) * background.data[pixel * 3 + channel]!;
    }
  }
  return { ...foreground, data };
}

async function loadRgba(path: string) {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const trueForeground: FloatImage = { width: info.width, height: info.height, channels: 3, data: new Float32Array(info.width * info.height * 3) };
  const trueAlpha: AlphaMatte = { width: info.width, height: info.height, channels: 1, data: new Float32Array(info.width * info.height) };
  for (let pixel = 0; pixel < trueAlpha.data.length; pixel++) {
    for (let channel = 0; channel < 3; channel++) trueForeground.data[pixel * 3 + channel] = data[pixel * 4 + channel]! / 255;
    trueAlpha.data[pixel] = data[pixel * 4 + 3]! / 255;
  }
  return { trueForeground, trueAlpha };
}

async function loadFgAlpha(foregroundPath: string, alphaPath: string) {
  const foreground = toFloat(await rgb(foregroundPath));
  return { trueForeground: foreground, trueAlpha: await gray(alphaPath, foreground.width, foreground.height) };
}
