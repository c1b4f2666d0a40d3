import { assertImage, expectation, type AlphaMatte } from '../imageTypes';
import { maskSamples, type MetricMaskOptions } from './metricMask';

/** Options for {@link gradientError}. */
export interface GradientErrorOptions extends MetricMaskOptions {
  /** Standard deviation of the Gaussian derivative filters, pixels. @default 1.4 */
  readonly sigmaPx?: number;
}

/**
 * Gradient error of Rhemann et al. (2009) as the DIM evaluation code computes it: gradient magnitudes of both
 * mattes from first-order Gaussian derivative filters (σ = 1.4, truncated where the Gaussian falls below 1 % of its
 * peak, 2-D kernel scaled to unit L2 norm, replicated borders), then `Σ (|∇α| − |∇α_true|)²` over the counted
 * pixels, divided by 1000. Mattes on the [0, 1] scale (the Python evaluation ports divide 8-bit mattes by 255).
 * @param alpha Predicted matte.
 * @param truth Ground-truth matte of the same size.
 * @param options Optional mask of counted pixels and σ.
 * @returns The gradient error in thousands.
 */
export function gradientError(alpha: AlphaMatte, truth: AlphaMatte, options: GradientErrorOptions = {}): number {
  assertImage(alpha, 'alpha', { channels: 1 });
  assertImage(truth, 'truth', { channels: 1, width: alpha.width, height: alpha.height });
  const sigma = options.sigmaPx ?? 1.4;
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(expectation('a positive finite number', 'sigmaPx', sigma));
  const mask = maskSamples(options.mask, alpha.width, alpha.height);
  const kernels = gaussianDerivativeKernels(sigma);
  const predicted = gradientMagnitude(alpha, kernels);
  const expected = gradientMagnitude(truth, kernels);
  let sum = 0;
  for (let pixel = 0; pixel < predicted.length; pixel++) {
    if (mask !== undefined && mask[pixel] === 0) continue;
    const difference = predicted[pixel]! - expected[pixel]!;
    sum += difference * difference;
  }
  return sum / 1000;
}

interface Kernels {
  readonly gaussian: Float64Array;
  readonly derivative: Float64Array;
}

/** 1-D factors of the DIM `gaussgradient` kernel; their outer product has unit L2 norm. */
function gaussianDerivativeKernels(sigma: number): Kernels {
  const half = Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * 1e-2)));
  const gaussian = new Float64Array(2 * half + 1);
  const derivative = new Float64Array(2 * half + 1);
  for (let i = 0; i < gaussian.length; i++) {
    const u = i - half;
    gaussian[i] = Math.exp(-(u * u) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    derivative[i] = (-u * gaussian[i]!) / (sigma * sigma);
  }
  const norm = Math.sqrt(gaussian.reduce((sum, value) => sum + value * value, 0) * derivative.reduce((sum, value) => sum + value * value, 0));
  for (let i = 0; i < derivative.length; i++) derivative[i]! /= norm;
  return { gaussian, derivative };
}

/** `sqrt(gx² + gy²)` with `gx = (dG_x ∗ G_y) ∗ α` and `gy = (G_x ∗ dG_y) ∗ α`, replicated borders. */
function gradientMagnitude(image: AlphaMatte, { gaussian, derivative }: Kernels): Float64Array {
  const { width, height } = image;
  const source = Float64Array.from(image.data);
  const scratch = new Float64Array(source.length);
  const gx = new Float64Array(source.length);
  const gy = new Float64Array(source.length);
  convolve(source, scratch, width, height, derivative, true);
  convolve(scratch, gx, width, height, gaussian, false);
  convolve(source, scratch, width, height, gaussian, true);
  convolve(scratch, gy, width, height, derivative, false);
  for (let pixel = 0; pixel < gx.length; pixel++) gx[pixel] = Math.hypot(gx[pixel]!, gy[pixel]!);
  return gx;
}

/** True 1-D convolution along x (`isHorizontal`) or y with a centred odd kernel and replicated borders. */
function convolve(source: Float64Array, target: Float64Array, width: number, height: number, kernel: Float64Array, isHorizontal: boolean): void {
  const half = kernel.length >> 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let i = 0; i < kernel.length; i++) {
        const offset = half - i; // convolution flips the kernel: out[x] = Σ k[u]·in[x − u]
        const sx = isHorizontal ? Math.min(width - 1, Math.max(0, x + offset)) : x;
        const sy = isHorizontal ? y : Math.min(height - 1, Math.max(0, y + offset));
        sum += kernel[i]! * source[sy * width + sx]!;
      }
      target[y * width + x] = sum;
    }
  }
}
