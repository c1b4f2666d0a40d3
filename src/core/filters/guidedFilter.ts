import { assertImage, createFloatImage, type FloatImage } from '../imageTypes';
import { guidedCoefficients } from './guidedCoefficients';

/** Options for {@link guidedFilter}. */
export interface GuidedFilterOptions {
  /** Window radius in pixels (`(2·radiusPx + 1)²` windows), a non-negative integer. @default 8 */
  readonly radiusPx?: number;
  /**
   * Regularisation ε in squared guide units (guide in [0, 1]): edges with variance well above ε are kept, flatter
   * areas are smoothed. 1e-4 (a 0.01 step) suits mattes; 0.01–0.16 smooth like an edge-aware blur. @default 1e-4
   */
  readonly epsilon?: number;
}

/**
 * He et al.'s guided filter with a grey guide: an edge-preserving smoothing of `input` whose edges follow the guide,
 * `q = ā·I + b̄` (see {@link guidedCoefficients}). Each input channel is filtered independently; output is not
 * clamped.
 * @param guide One-channel float guide (e.g. the image's luma from `toGray`).
 * @param input Float image of the guide's size, any channel count (usually an alpha matte).
 * @param options Radius and ε.
 * @param out Optional destination shaped like `input`; may be `input`.
 * @returns `out`, or a new image.
 */
export function guidedFilter(guide: FloatImage, input: FloatImage, options: GuidedFilterOptions = {}, out?: FloatImage): FloatImage {
  assertImage(guide, 'guide', { channels: 1 });
  const { width, height } = guide;
  assertImage(input, 'input', { width, height });
  const channels = input.channels;
  const result = out ?? createFloatImage(width, height, channels);
  assertImage(result, 'out', { channels, width, height });
  const coefficients = guidedCoefficients(guide, input, { radiusPx: options.radiusPx ?? 8, epsilon: options.epsilon ?? 1e-4 }).data;
  const I = guide.data;
  const q = result.data;
  for (let pixel = 0; pixel < width * height; pixel++) {
    const value = I[pixel]!;
    for (let c = 0; c < channels; c++) {
      const k = (pixel * channels + c) * 2;
      q[pixel * channels + c] = coefficients[k]! * value + coefficients[k + 1]!;
    }
  }
  return result;
}
