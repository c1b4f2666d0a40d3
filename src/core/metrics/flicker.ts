import { assertImage, expectation, type AlphaMatte, type FloatImage } from '../imageTypes';
import { maskSamples, type MetricMaskOptions } from './metricMask';

/** Options for {@link measureFlicker}. */
export interface MeasureFlickerOptions extends MetricMaskOptions {
  /** A pixel counts as still when its grey level changed by less than this between the frames ([0, 1] scale). @default 0.02 */
  readonly stillThreshold?: number;
}

/**
 * Temporal flicker of a video matte: the mean `|α_t − α_{t−1}|` over pixels whose colour barely changed between the
 * two frames, where a stable matte should not change either. Lower is steadier.
 * @param previousAlpha Matte of frame t−1.
 * @param alpha Matte of frame t.
 * @param previousFrameGray Grey level of frame t−1 in [0, 1] (e.g. `toGray`).
 * @param frameGray Grey level of frame t.
 * @param options Stillness threshold and optional mask.
 * @returns Mean absolute alpha change over still pixels, or 0 when no pixel is still.
 */
export function measureFlicker(
  previousAlpha: AlphaMatte,
  alpha: AlphaMatte,
  previousFrameGray: FloatImage,
  frameGray: FloatImage,
  options: MeasureFlickerOptions = {},
): number {
  assertImage(alpha, 'alpha', { channels: 1 });
  const size = { channels: 1, width: alpha.width, height: alpha.height };
  assertImage(previousAlpha, 'previousAlpha', size);
  assertImage(previousFrameGray, 'previousFrameGray', size);
  assertImage(frameGray, 'frameGray', size);
  const threshold = options.stillThreshold ?? 0.02;
  if (!(threshold >= 0)) throw new RangeError(expectation('a number ≥ 0', 'stillThreshold', threshold));
  const mask = maskSamples(options.mask, alpha.width, alpha.height);
  let sum = 0;
  let count = 0;
  for (let pixel = 0; pixel < alpha.data.length; pixel++) {
    if (mask !== undefined && mask[pixel] === 0) continue;
    if (!(Math.abs(frameGray.data[pixel]! - previousFrameGray.data[pixel]!) < threshold)) continue;
    sum += Math.abs(alpha.data[pixel]! - previousAlpha.data[pixel]!);
    count++;
  }
  return count === 0 ? 0 : sum / count;
}
