import { assertImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { maskSamples, type MetricMaskOptions } from './metricMask';

/** Options for {@link measureCompositeError}. */
export interface MeasureCompositeErrorOptions extends MetricMaskOptions {
  /** `'edge'` counts pixels with 0 < true α < 1 (where foreground colour matters); `'all'` counts every pixel. @default 'edge' */
  readonly band?: 'edge' | 'all';
}

/**
 * How wrong a cut-out looks on a new background: the mean absolute difference, over the counted pixels and the
 * three channels, between `αF + (1 − α)B` from the estimates and `α_true·F_true + (1 − α_true)B` from the truth.
 * Scores foreground colour estimation (colour bleeding, halos) together with the matte.
 * @param foregroundEstimate Estimated foreground colour, 3 channels in [0, 1].
 * @param alpha Estimated matte.
 * @param trueForeground True foreground colour.
 * @param trueAlpha True matte.
 * @param newBackground Background to composite onto.
 * @param options Which pixels to count.
 * @returns Mean absolute composite error on the [0, 1] scale, or 0 when no pixel is counted.
 */
export function measureCompositeError(
  foregroundEstimate: FloatImage,
  alpha: AlphaMatte,
  trueForeground: FloatImage,
  trueAlpha: AlphaMatte,
  newBackground: FloatImage,
  options: MeasureCompositeErrorOptions = {},
): number {
  assertImage(foregroundEstimate, 'foregroundEstimate', { channels: 3 });
  const { width, height } = foregroundEstimate;
  assertImage(alpha, 'alpha', { channels: 1, width, height });
  assertImage(trueForeground, 'trueForeground', { channels: 3, width, height });
  assertImage(trueAlpha, 'trueAlpha', { channels: 1, width, height });
  assertImage(newBackground, 'newBackground', { channels: 3, width, height });
  const band = options.band ?? 'edge';
  if (band !== 'edge' && band !== 'all') throw new RangeError(expectation("'edge' or 'all'", 'band', band));
  const mask = maskSamples(options.mask, width, height);
  let sum = 0;
  let count = 0;
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    const truthAlpha = trueAlpha.data[pixel]!;
    if (band === 'edge' && !(truthAlpha > 0 && truthAlpha < 1)) continue;
    if (mask !== undefined && mask[pixel] === 0) continue;
    const a = alpha.data[pixel]!;
    for (let c = pixel * 3; c < pixel * 3 + 3; c++) {
      const background = newBackground.data[c]!;
      const estimated = a * foregroundEstimate.data[c]! + (1 - a) * background;
      const expected = truthAlpha * trueForeground.data[c]! + (1 - truthAlpha) * background;
      sum += Math.abs(estimated - expected);
    }
    count += 3;
  }
  return count === 0 ? 0 : sum / count;
}
