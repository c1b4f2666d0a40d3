import { assertImage, createFloatImage, expectation, type FloatImage } from '../imageTypes';
import { borrowFloatImage, openWorkingScope } from '../workingArrays';
import { boxBlur } from './boxBlur';

/** Options for {@link guidedCoefficients}. */
export interface GuidedCoefficientsOptions {
  /** Window radius in pixels: means are taken over `(2·radiusPx + 1)²` windows; a non-negative integer. */
  readonly radiusPx: number;
  /** Regularisation ε in squared guide units (guide in [0, 1]); larger smooths more, smaller follows the guide. */
  readonly epsilon: number;
}

/**
 * The averaged linear coefficients of He et al.'s guided filter ("Guided Image Filtering", 2010/2013) for a grey
 * guide `I` and an input `p` with any channel count: per window `a = cov(I, p) / (var(I) + ε)`,
 * `b = mean(p) − a·mean(I)`, then both averaged over the windows covering each pixel. The filtered output is
 * `q = ā·I + b̄`; computing ā and b̄ separately lets a caller evaluate them at another resolution (fast guided
 * upsampling). Means are OpenCV-style box blurs with reflect-101 borders.
 * @param guide One-channel float guide.
 * @param input Float image of the guide's size, any channel count.
 * @param options Radius and ε.
 * @param out Optional `2·channels` destination of the guide's size (any contents).
 * @returns A `2·channels` image interleaving `ā` and `b̄` per input channel: `[ā₀, b̄₀, ā₁, b̄₁, …]`.
 */
export function guidedCoefficients(guide: FloatImage, input: FloatImage, options: GuidedCoefficientsOptions, out?: FloatImage): FloatImage {
  assertImage(guide, 'guide', { channels: 1 });
  const { width, height } = guide;
  assertImage(input, 'input', { width, height });
  const { radiusPx, epsilon } = options;
  if (!Number.isInteger(radiusPx) || radiusPx < 0) throw new RangeError(expectation('a non-negative integer', 'radiusPx', radiusPx));
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(expectation('a positive finite number', 'epsilon', epsilon));
  const channels = input.channels;
  const stride = 2 + 2 * channels;
  // Layout per pixel: I, I², then p and I·p for each input channel.
  // The moments plane is borrowed from the thread's working arrays (`workingArrays.ts`).
  const { borrow, close } = openWorkingScope();
  try {
    const moments = borrowFloatImage(borrow, width, height, stride); // written in full below
    const I = guide.data;
    const p = input.data;
    const m = moments.data;
    for (let pixel = 0; pixel < width * height; pixel++) {
      const value = I[pixel]!;
      const base = pixel * stride;
      m[base] = value;
      m[base + 1] = value * value;
      for (let c = 0; c < channels; c++) {
        const sample = p[pixel * channels + c]!;
        m[base + 2 + 2 * c] = sample;
        m[base + 3 + 2 * c] = value * sample;
      }
    }
    boxBlur(moments, { radiusPx }, moments);
    const coefficients = out ?? createFloatImage(width, height, 2 * channels);
    assertImage(coefficients, 'out', { channels: 2 * channels, width, height });
    const k = coefficients.data;
    for (let pixel = 0; pixel < width * height; pixel++) {
      const base = pixel * stride;
      const meanGuide = m[base]!;
      const variance = Math.max(0, m[base + 1]! - meanGuide * meanGuide);
      for (let c = 0; c < channels; c++) {
        const meanInput = m[base + 2 + 2 * c]!;
        const covariance = m[base + 3 + 2 * c]! - meanGuide * meanInput;
        const a = covariance / (variance + epsilon);
        k[pixel * 2 * channels + 2 * c] = a;
        k[pixel * 2 * channels + 2 * c + 1] = meanInput - a * meanGuide;
      }
    }
    return boxBlur(coefficients, { radiusPx }, coefficients);
  } finally {
    close();
  }
}
