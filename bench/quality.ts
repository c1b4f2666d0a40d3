// `npm run bench -- quality`: matte and cut-out accuracy on every ground-truth set (DIM crops, GT05, exact sprite
// composites), side by side for the raw model, each refinement step and the final result; then the cartoon, spill and
// halo figures. Prints tables; asserts nothing. Model mattes are cached in .cache/bench-mattes.
import { join } from 'node:path';
import type { AlphaMatte, FloatImage } from '../src/core/imageTypes';
import { gradientError } from '../src/core/metrics/gradientError';
import { measureCompositeError } from '../src/core/metrics/compositeError';
import { meanSquaredError } from '../src/core/metrics/meanSquaredError';
import { sumAbsoluteDifference } from '../src/core/metrics/sumAbsoluteDifference';
import { createEngine, type Engine } from '../src/main/engine';
import type { MatteCandidates } from '../src/main/pipeline/computeMatte';
import { refineCutout } from '../src/main/pipeline/refineCutout';
import { defaultStillSettings, type RefinementSettings } from '../src/shared/settings';
import { fixturesDir, printTable } from './benchUtils';
import { runCartoonBench } from './cartoon';
import { photoItems, rgb, spriteComposites, toFloat, type GroundTruthItem } from './groundTruth';
import { cachedLowResMatte } from './matteCache';
import { runSpillBench } from './spill';

const defaults = defaultStillSettings().refinement;
const rawSettings: RefinementSettings = { ...defaults, edgeRadiusPx: 0, cartoonMode: 'off', radiusPx: 0, spillStrength: 0, decontaminate: false };
/** The chain, one step at a time: each column adds one stage; the last is the shipped defaults. */
const steps: Array<[string, RefinementSettings]> = [
  ['raw model (F = I)', rawSettings],
  ['+ edge band', { ...rawSettings, edgeRadiusPx: defaults.edgeRadiusPx, smartRadius: defaults.smartRadius }],
  ['+ cartoon auto', { ...rawSettings, edgeRadiusPx: defaults.edgeRadiusPx, smartRadius: defaults.smartRadius, cartoonMode: 'auto' }],
  ['+ blur fusion', { ...defaults, spillStrength: 0, decontaminate: false }],
  ['final (+ spill)', defaults],
];
const flat = (width: number, height: number, value: number): FloatImage => ({ width, height, channels: 3, data: new Float32Array(width * height * 3).fill(value) });

interface StepScores { sad: number; grad: number; sadUnknown: number; composite?: number; black?: number; white?: number; decontaminatedBlack?: number; decontaminatedWhite?: number }

async function scoreItem(item: GroundTruthItem, lowRes: AlphaMatte, cafe: FloatImage): Promise<StepScores[]> {
  const scores: StepScores[] = [];
  const compositeOptions = item.band ? { band: 'all' as const, mask: item.band } : {};
  for (const [, settings] of steps) {
    const cutout = await refineCutout(item.image, lowRes, settings, {});
    const score: StepScores = { sad: sumAbsoluteDifference(cutout.alpha, item.trueAlpha), grad: gradientError(cutout.alpha, item.trueAlpha), sadUnknown: sumAbsoluteDifference(cutout.alpha, item.trueAlpha, { mask: item.unknown }) };
    if (item.trueForeground) {
      const error = (foreground: FloatImage, background: FloatImage) => measureCompositeError(foreground, cutout.alpha, item.trueForeground!, item.trueAlpha, background, compositeOptions) * 255;
      score.composite = error(cutout.foreground, cafe);
      score.black = error(cutout.foreground, flat(cafe.width, cafe.height, 0));
      score.white = error(cutout.foreground, flat(cafe.width, cafe.height, 1));
      if (settings === defaults) {
        const decontaminated = await refineCutout(item.image, lowRes, { ...defaults, decontaminate: true }, {});
        score.decontaminatedBlack = measureCompositeError(decontaminated.foreground, decontaminated.alpha, item.trueForeground, item.trueAlpha, flat(cafe.width, cafe.height, 0), compositeOptions) * 255;
        score.decontaminatedWhite = measureCompositeError(decontaminated.foreground, decontaminated.alpha, item.trueForeground, item.trueAlpha, flat(cafe.width, cafe.height, 1), compositeOptions) * 255;
      }
    }
    scores.push(score);
  }
  return scores;
}

async function tierTable(engine: Engine): Promise<void> {
  const installed = await engine.models.pickTiers('isnet-fp16');
  const tierSets: Array<[string, MatteCandidates]> = [['isnet-fp16', { best: installed.best }], ['isnet-quint8', { best: installed.lighter }], ['classical', {}]];
  const rows: Array<Array<string | number>> = [];
  for await (const item of photoItems()) {
    for (const [label, candidates] of tierSets) {
      const alpha = (await refineCutout(item.image, await cachedLowResMatte(engine, item.image, candidates, label), rawSettings, {})).alpha;
      rows.push([item.name, label, sumAbsoluteDifference(alpha, item.trueAlpha), meanSquaredError(alpha, item.trueAlpha) * 1000, gradientError(alpha, item.trueAlpha), sumAbsoluteDifference(alpha, item.trueAlpha, { mask: item.unknown }), meanSquaredError(alpha, item.trueAlpha, { mask: item.unknown }) * 1000]);
    }
  }
  printTable('Raw model accuracy per tier (guided upsampling only; SAD /1000, MSE ×1000, gradient error /1000)', ['image', 'model', 'SAD', 'MSE', 'Grad', 'SAD unknown', 'MSE unknown'], rows);
}

export async function runQualityBench(): Promise<void> {
  const engine = createEngine();
  const installed = await engine.models.pickTiers('isnet-fp16');
  await tierTable(engine);
  const perSet = new Map<string, { count: number; sums: StepScores[] }>();
  const itemRows: Array<Array<string | number>> = [];
  const sources: Array<AsyncGenerator<GroundTruthItem>> = [photoItems(), spriteComposites()];
  for (const source of sources) {
    for await (const item of source) {
      const lowRes = await cachedLowResMatte(engine, item.image, { best: installed.best }, 'isnet-fp16');
      const cafe = toFloat(await rgb(join(fixturesDir, 'backgrounds/bgm_bg_cafe.png'), item.image.width, item.image.height));
      const scores = await scoreItem(item, lowRes, cafe);
      if (item.set !== 'sprites') {
        for (const metric of ['sad', 'grad', 'composite'] as const) {
          if (scores[0]![metric] === undefined) continue;
          itemRows.push([item.name, metric === 'composite' ? 'band composite' : metric === 'sad' ? 'SAD' : 'Grad', ...scores.map((score) => score[metric]!), ratio(scores.at(-1)![metric]!, scores[0]![metric]!)]);
        }
      }
      const entry = perSet.get(item.set) ?? { count: 0, sums: scores.map(() => ({ sad: 0, grad: 0, sadUnknown: 0 }) as StepScores) };
      entry.count++;
      scores.forEach((score, index) => {
        const sum = entry.sums[index]!;
        for (const key of Object.keys(score) as Array<keyof StepScores>) sum[key] = (sum[key] ?? 0) + score[key]!;
      });
      perSet.set(item.set, entry);
    }
  }
  const header = ['item', 'metric', ...steps.map(([name]) => name), 'final / raw'];
  printTable('Per picture, step by step (SAD and Grad /1000; band composite error in 8-bit levels over the cafe; lower is better)', header, itemRows);
  const setRows: Array<Array<string | number>> = [];
  for (const [set, { count, sums }] of perSet) {
    for (const [metric, label] of [['sad', 'SAD'], ['grad', 'Grad'], ['sadUnknown', 'SAD unknown'], ['composite', 'band composite']] as const) {
      if (sums[0]![metric] === undefined) continue;
      setRows.push([`${set} (${count})`, label, ...sums.map((sum) => sum[metric]! / count), ratio(sums.at(-1)![metric]!, sums[0]![metric]!)]);
    }
  }
  printTable('Mean per ground-truth set, step by step (targets: SAD and Grad final/raw ≤ 0.8; band composite final/raw ≤ 0.6)', ['set', 'metric', ...steps.map(([name]) => name), 'final / raw'], setRows);
  const haloRows: Array<Array<string | number>> = [];
  for (const [set, { count, sums }] of perSet) {
    const final = sums.at(-1)!;
    if (final.black === undefined) continue;
    haloRows.push([set, sums[0]!.black! / count, final.black / count, final.decontaminatedBlack! / count, sums[0]!.white! / count, final.white! / count, final.decontaminatedWhite! / count]);
  }
  printTable(
    'Halos: band composite error over black and over white (8-bit levels)',
    ['set', 'raw, black', 'final, black', `final + decontaminate ${defaults.decontaminateAmount}, black`, 'raw, white', 'final, white', `final + decontaminate ${defaults.decontaminateAmount}, white`],
    haloRows,
  );
  await runCartoonBench(engine);
  await runSpillBench(engine);
  await engine.dispose();
}

function ratio(final: number, raw: number): string {
  return raw === 0 ? '–' : (final / raw).toFixed(2);
}

