import { assertImage, type AlphaMatte } from '../imageTypes';
import { maskSamples, type MetricMaskOptions } from './metricMask';

/** Options for {@link sumAbsoluteDifference}. */
export type SumAbsoluteDifferenceOptions = MetricMaskOptions;

/**
 * SAD as the matting literature reports it (DIM / Composition-1k, alphamatting.com): `Σ |α − α_true|` over the
 * counted pixels with alpha on the [0, 1] scale, divided by 1000.
 * @param alpha Predicted matte.
 * @param truth Ground-truth matte of the same size.
 * @param options Optional mask of counted pixels.
 * @returns SAD in thousands.
 */
export function sumAbsoluteDifference(alpha: AlphaMatte, truth: AlphaMatte, options: SumAbsoluteDifferenceOptions = {}): number {
  assertImage(alpha, 'alpha', { channels: 1 });
  assertImage(truth, 'truth', { channels: 1, width: alpha.width, height: alpha.height });
  const mask = maskSamples(options.mask, alpha.width, alpha.height);
  let sum = 0;
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    if (mask === undefined || mask[pixel] !== 0) sum += Math.abs(alpha.data[pixel]! - truth.data[pixel]!);
  }
  return sum / 1000;
}
