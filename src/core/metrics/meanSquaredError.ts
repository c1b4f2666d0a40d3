import { assertImage, type AlphaMatte } from '../imageTypes';
import { maskSamples, type MetricMaskOptions } from './metricMask';

/** Options for {@link meanSquaredError}. */
export type MeanSquaredErrorOptions = MetricMaskOptions;

/**
 * MSE of a matte, `mean (α − α_true)²` over the counted pixels on the [0, 1] scale, as the DIM evaluation computes
 * it (papers often print it ×10³).
 * @param alpha Predicted matte.
 * @param truth Ground-truth matte of the same size.
 * @param options Optional mask of counted pixels.
 * @returns The mean squared error, or 0 when no pixel is counted.
 */
export function meanSquaredError(alpha: AlphaMatte, truth: AlphaMatte, options: MeanSquaredErrorOptions = {}): number {
  assertImage(alpha, 'alpha', { channels: 1 });
  assertImage(truth, 'truth', { channels: 1, width: alpha.width, height: alpha.height });
  const mask = maskSamples(options.mask, alpha.width, alpha.height);
  let sum = 0;
  let count = 0;
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    if (mask !== undefined && mask[pixel] === 0) continue;
    const difference = alpha.data[pixel]! - truth.data[pixel]!;
    sum += difference * difference;
    count++;
  }
  return count === 0 ? 0 : sum / count;
}
