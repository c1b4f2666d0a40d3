// Cartoon outline protection on exact sprite composites: band composite error with cartoon mode off / on / auto, per
// composite, and the rule "auto never worse than off, better on average". Run by `npm run bench -- quality` (or
// `npm run bench -- cartoon` alone).
import { join } from 'node:path';
import type { AlphaMatte, FloatImage, Image8 } from '../src/core/imageTypes';
import { measureCompositeError } from '../src/core/metrics/compositeError';
import { createEngine, type Engine } from '../src/main/engine';
import { refineCutout } from '../src/main/pipeline/refineCutout';
import { defaultStillSettings, type CartoonMode } from '../src/shared/settings';
import { fixturesDir, printTable } from './benchUtils';
import { rgb, spriteComposites, toFloat } from './groundTruth';
import { cachedLowResMatte } from './matteCache';

const modes: CartoonMode[] = ['off', 'on', 'auto'];

/** Band composite error (8-bit levels) of the default chain with each cartoon mode on one picture. */
export async function cartoonModeErrors(image: Image8, lowRes: AlphaMatte, truth: { trueAlpha: AlphaMatte; trueForeground: FloatImage; band?: Image8 }, newBackground: FloatImage) {
  const result: Record<CartoonMode, number> & { applied: boolean } = { off: 0, on: 0, auto: 0, applied: false };
  for (const mode of modes) {
    const cutout = await refineCutout(image, lowRes, { ...defaultStillSettings().refinement, cartoonMode: mode }, {});
    result[mode] = measureCompositeError(cutout.foreground, cutout.alpha, truth.trueForeground, truth.trueAlpha, newBackground, truth.band ? { band: 'all', mask: truth.band } : {}) * 255;
    if (mode === 'auto') result.applied = cutout.isCartoon;
  }
  return result;
}

export async function runCartoonBench(sharedEngine?: Engine): Promise<void> {
  const engine = sharedEngine ?? createEngine();
  const installed = await engine.models.pickTiers('isnet-fp16');
  const rows: Array<Array<string | number>> = [];
  const totals = { off: 0, on: 0, auto: 0 };
  let worse = 0;
  let count = 0;
  for await (const item of spriteComposites()) {
    const lowRes = await cachedLowResMatte(engine, item.image, { best: installed.best }, 'isnet-fp16');
    const newBackground = toFloat(await rgb(join(fixturesDir, 'backgrounds/bgm_bg_cafe.png'), item.image.width, item.image.height));
    const errors = await cartoonModeErrors(item.image, lowRes, { trueAlpha: item.trueAlpha, trueForeground: item.trueForeground!, band: item.band }, newBackground);
    totals.off += errors.off; totals.on += errors.on; totals.auto += errors.auto;
    count++;
    const isWorse = errors.auto > errors.off + 1e-9;
    if (isWorse) worse++;
    rows.push([item.name, errors.off, errors.on, errors.auto, errors.applied ? 'yes' : 'no', isWorse ? 'WORSE' : '']);
  }
  rows.push(['mean', totals.off / count, totals.on / count, totals.auto / count, '', `${worse} worse`]);
  printTable(
    'Cartoon outline protection on sprite composites: band composite error (≤ 3 px from the true edge, 8-bit levels, over the cafe; lower is better)',
    ['composite', 'off', 'on', 'auto', 'auto applied', 'auto vs off'],
    rows,
  );
  process.stdout.write(`rule (auto ≤ off on every composite, and < off on average): ${worse === 0 && totals.auto < totals.off ? 'met' : 'NOT met'}\n`);
  if (!sharedEngine) await engine.dispose();
}
